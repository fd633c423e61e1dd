import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the parses of one worker share: libxml2's name dictionary and the names classified
/// for the options in use. Used by one thread at a time: each worker of a parallel run has its
/// own, passed explicitly (a parse without one gets a fresh context).
package final class ParserContext: @unchecked Sendable {
    private var table: NameTable?

    package init() {}

    fileprivate func names(for options: ParseOptions) -> NameTable {
        if let table { return table.prepared(for: options) }
        let created = NameTable(options: options)
        table = created
        return created
    }
}

/// Parses XML with libxml2's SAX2 interface into ``XMLDocument`` values.
///
/// Safety: only `XML_PARSE_NONET` is set (no entity substitution, no DTD loading, no
/// XInclude, no `HUGE` limits lifted), every external entity resolves to nothing, and all
/// diagnostics go through the structured handlers, so libxml2 prints nothing itself.
/// No DOM is kept: elements are recorded as they start, which also gives exact offsets.
package enum XMLParser {
    private static let initialization: Void = nexlint_xml_initialize()

    /// Call once before parsing on several threads; parsing calls it too.
    package static func initialize() {
        _ = initialization
    }

    /// Parses a document; `options` say which attributes and comments to keep and mark (what
    /// is not kept is still parsed and checked by libxml2). A worker parsing many files passes
    /// its own `context`, so names are interned and classified once for all of them.
    package static func parse(_ raw: [UInt8], options: ParseOptions = ParseOptions(),
                             context: ParserContext = ParserContext()) -> Result<XMLDocument, XMLSyntaxError> {
        initialize()
        switch SourceEncoding.prepare(raw) {
        case .failure(let error):
            return .failure(error)
        case .success(let prepared):
            guard prepared.utf8.count < Int(Int32.max) else {
                return .failure(XMLSyntaxError(line: 1, column: 1, message: "the file is larger than 2 GB", code: 0))
            }
            return prepared.utf8.withUnsafeBufferPointer { buffer in
                parseUTF8(buffer, transcodedFrom: prepared.transcodedFrom, options: options, names: context.names(for: options))
            }
        }
    }

    private static func parseUTF8(_ buffer: UnsafeBufferPointer<UInt8>, transcodedFrom: String?,
                                  options: ParseOptions, names: NameTable) -> Result<XMLDocument, XMLSyntaxError> {
        guard let baseAddress = buffer.baseAddress, !buffer.isEmpty else {
            return .failure(XMLSyntaxError(line: 1, column: 1, message: "Document is empty", code: 4))
        }
        if let tagStart = AttributeLimit.firstStartTagExceeding(AttributeLimit.perStartTag, in: buffer) {
            var cursor = LineCursor(bytes: buffer)
            let position = cursor.position(of: tagStart)
            return .failure(XMLSyntaxError(
                line: position.line, column: position.column,
                message: "a start tag has more than \(AttributeLimit.perStartTag) attributes, more than nexlint parses (libxml2's duplicate-attribute check grows with the square of their number)",
                code: 0))
        }
        let characters = UnsafeRawPointer(baseAddress).assumingMemoryBound(to: CChar.self)
        guard let context = xmlCreateMemoryParserCtxt(characters, Int32(buffer.count)) else {
            return .failure(XMLSyntaxError(line: 1, column: 1, message: "libxml2 could not create a parser", code: 0))
        }
        defer {
            if let document = context.pointee.myDoc { xmlFreeDoc(document) }
            xmlFreeParserCtxt(context)
        }
        var libxml2Options = Int32(XML_PARSE_NONET.rawValue)
        if transcodedFrom != nil { libxml2Options |= Int32(XML_PARSE_IGNORE_ENC.rawValue) }
        xmlCtxtUseOptions(context, libxml2Options)
        installHandlers(on: context)
        nexlint_share_dictionary(context, names.dictionary)

        let state = ParseState(bytes: buffer, context: context, options: options, names: names)
        let unmanagedState = Unmanaged.passRetained(state)
        defer { unmanagedState.release() }
        context.pointee._private = unmanagedState.toOpaque()

        // The global structured handler catches what bypasses the context's (entity
        // sub-contexts, memory errors). It is per thread: set, parse, clear.
        nexlint_silence_generic_errors()
        xmlSetStructuredErrorFunc(unmanagedState.toOpaque()) { userData, error in
            guard let userData, let error else { return }
            Unmanaged<ParseState>.fromOpaque(userData).takeUnretainedValue().record(error.pointee)
        }
        xmlParseDocument(context)
        xmlSetStructuredErrorFunc(nil, nil)
        if let error = state.firstError { return .failure(error) }
        guard context.pointee.wellFormed != 0, let rootIndex = state.rootIndex else {
            return .failure(XMLSyntaxError(line: 1, column: 1, message: "the document is not well-formed", code: 0))
        }
        let tree = state.finishTree()
        return .success(XMLDocument(root: XMLElement(tree: tree, index: rootIndex), comments: state.comments,
                                    attributesMarkedByName: XMLMarkedAttributes(tree: tree, marks: state.markedByName),
                                    attributesMarkedByValue: XMLMarkedAttributes(tree: tree, marks: state.markedByValue),
                                    entityDeclarations: state.entityDeclarations,
                                    transcodedFrom: transcodedFrom))
    }

    private static func installHandlers(on context: xmlParserCtxtPtr) {
        var handler = xmlSAXHandler()
        // SAX2 defaults keep the DTD machinery (entity declarations, the entity checks that stop
        // billion-laughs documents); element, text and comment events are ours.
        xmlSAXVersion(&handler, 2)
        handler.characters = nil
        handler.ignorableWhitespace = nil
        handler.cdataBlock = nil
        handler.processingInstruction = nil
        handler.reference = nil
        handler.warning = nil
        handler.error = nil
        handler.fatalError = nil
        handler.startElementNs = { userData, localName, prefix, _, _, _, attributeCount, _, attributes in
            ParseState.with(userData) {
                $0.startElement(localName: localName, prefix: prefix, count: Int(attributeCount), attributes: attributes)
            }
        }
        handler.endElementNs = { userData, _, _, _ in
            ParseState.with(userData) { $0.endElement() }
        }
        handler.comment = { userData, text in
            ParseState.with(userData) { $0.comment(text) }
        }
        // Declarations are noted (NXJ008: nexlint never expands entities, so what they hold
        // goes unchecked) and then made as libxml2 makes them, for its own entity checks.
        handler.entityDecl = { userData, name, type, publicID, systemID, content in
            ParseState.with(userData) { $0.noteEntityDeclaration() }
            xmlSAX2EntityDecl(userData, name, type, publicID, systemID, content)
        }
        handler.serror = { userData, error in
            guard let userData, let error else { return }
            let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
            guard let state = context.pointee._private else { return }
            Unmanaged<ParseState>.fromOpaque(state).takeUnretainedValue().record(error.pointee)
        }
        context.pointee.sax.pointee = handler
    }
}

/// What the SAX callbacks build; reached from C through the context's `_private` pointer.
private final class ParseState {
    let bytes: UnsafeBufferPointer<UInt8>
    let context: xmlParserCtxtPtr
    // Only the parsing thread touches these: dynamic exclusivity checks on every append cost
    // more than the append.
    @exclusivity(unchecked) private var elements: [XMLTree.Element] = []
    @exclusivity(unchecked) private var attributes: [XMLTree.Attribute] = []
    @exclusivity(unchecked) private var cursor: LineCursor
    /// Indexes of the elements whose end tag has not come yet.
    @exclusivity(unchecked) private var open: [Int] = []
    @exclusivity(unchecked) private(set) var comments: [XMLComment] = []
    /// Comments before index `waitingFrom` have their next element; later ones wait for it.
    private var waitingFrom = 0
    private let names: NameTable
    @exclusivity(unchecked) private(set) var markedByName: [XMLMarkedAttributes.Mark] = []
    @exclusivity(unchecked) private(set) var markedByValue: [XMLMarkedAttributes.Mark] = []
    /// The selection's value markers as raw bytes, so checking one retains nothing.
    private let valueMarkers: [UnsafeBufferPointer<UInt8>]
    private let commentPrefix: [UInt8]?
    /// The root element's index, once its end tag has come.
    private(set) var rootIndex: Int?
    private(set) var firstError: XMLSyntaxError?
    /// Kept attributes' values end to end, copied in with memcpy and handed to the tree at the
    /// end (appending to an array cost about a hundred instructions a value); nil once handed.
    /// From malloc, grown with realloc: a large buffer then grows in place rather than being
    /// copied beside itself (a 42 MB environment's values peaked at twice their size).
    private var values: UnsafeMutablePointer<UInt8>?
    private var valuesCapacity: Int
    private var valuesCount = 0

    init(bytes: UnsafeBufferPointer<UInt8>, context: xmlParserCtxtPtr, options: ParseOptions, names: NameTable) {
        self.bytes = bytes
        self.context = context
        self.names = names
        commentPrefix = options.commentPrefix.map { Array($0.utf8) }
        valueMarkers = options.markValuesContaining.map { marker in
            let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: marker.count)
            _ = copy.initialize(from: marker)
            return UnsafeBufferPointer(copy)
        }
        cursor = LineCursor(bytes: bytes)
        // Room for what a typical configuration file of this size holds, so that the arrays
        // are not regrown a dozen times per file (an estimate: they still grow when needed).
        elements.reserveCapacity(bytes.count / 128 + 8)
        attributes.reserveCapacity(bytes.count / 48 + 8)
        valuesCapacity = bytes.count / 4 + 64
        values = Self.reallocate(nil, capacity: valuesCapacity)
        open.reserveCapacity(16)
    }

    deinit {
        free(values)
        for marker in valueMarkers { marker.deallocate() }
    }

    /// Runs a callback's work on the state, unless the callback comes from an entity's
    /// sub-parser, whose offsets do not refer to the file. The parse holds the state, so the
    /// callback borrows it without a reference count of its own.
    static func with(_ userData: UnsafeMutableRawPointer?, _ body: (ParseState) -> Void) {
        guard let userData else { return }
        let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let raw = context.pointee._private else { return }
        Unmanaged<ParseState>.fromOpaque(raw)._withUnsafeGuaranteedRef { state in
            guard state.context == context, context.pointee.inputNr == 1 else { return }
            body(state)
        }
    }

    /// Offset just past the last byte libxml2 has consumed.
    private var consumed: Int { min(Int(xmlByteConsumed(context)), bytes.count) }

    func startElement(localName: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?, count: Int,
                      attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        // libxml2 is at the start tag's `>`, or at the `/` of `/>`; a literal `<` cannot occur
        // inside a tag, so the last `<` before it opens the tag.
        let current = consumed
        let selfClosing = current + 1 < bytes.count && bytes[current] == UInt8(ascii: "/") && bytes[current + 1] == UInt8(ascii: ">")
        let tagEnd = min(current + (selfClosing ? 2 : 1), bytes.count)
        let tagStart = max(0, nexlint_last_index_of(bytes.baseAddress, max(tagEnd - 1, 0), UInt8(ascii: "<")))
        let position = cursor.position(of: tagStart)
        while waitingFrom < comments.count {
            comments[waitingFrom].nextElementPosition = position
            waitingFrom += 1
        }

        let elementName = names.number(localName, prefix)
        // Flags are read in place: copying a classified name out would retain its string.
        let keepsAll = open.isEmpty || names.entries[elementName].keepsAllAttributes
        let firstAttribute = self.attributes.count
        if let attributes {
            for index in 0..<count {
                let base = index * 5
                guard let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
                let attributeName = names.number(attributes[base], attributes[base + 1])
                let markedByName = names.entries[attributeName].isMarked
                let markedByValue = hasMarker(start, end - start)
                guard keepsAll || names.entries[attributeName].isAlwaysKept || markedByName || markedByValue else { continue }
                let valueStart = valuesCount
                let raw = UnsafeBufferPointer(start: start, count: end - start)
                if memchr(start, Int32(UInt8(ascii: "&")), raw.count) != nil {
                    var decoded = Self.decodeReferences(String(decoding: raw, as: UTF8.self))
                    decoded.withUTF8 { appendValue($0) }
                } else {
                    appendValue(raw)
                }
                self.attributes.append(XMLTree.Attribute(name: Int32(attributeName), valueStart: valueStart,
                                                         valueEnd: valuesCount, markedByName: markedByName,
                                                         markedByValue: markedByValue))
            }
        }
        elements.append(XMLTree.Element(name: Int32(elementName), firstAttribute: Int32(firstAttribute),
                                        attributeCount: Int32(self.attributes.count - firstAttribute),
                                        subtreeEnd: 0, position: position, startTag: tagStart..<tagEnd))
        open.append(elements.count - 1)
    }

    private func appendValue(_ value: UnsafeBufferPointer<UInt8>) {
        guard let source = value.baseAddress, !value.isEmpty, values != nil else { return }
        if valuesCount + value.count > valuesCapacity {
            valuesCapacity = max(2 * valuesCapacity, valuesCount + value.count)
            values = Self.reallocate(values, capacity: valuesCapacity)
        }
        (values! + valuesCount).update(from: source, count: value.count)
        valuesCount += value.count
    }

    private static func reallocate(_ buffer: UnsafeMutablePointer<UInt8>?, capacity: Int) -> UnsafeMutablePointer<UInt8> {
        // As Swift's own allocations do, running out of memory stops the program.
        guard let grown = realloc(buffer, capacity) else { fatalError("out of memory") }
        return grown.assumingMemoryBound(to: UInt8.self)
    }

    /// The document's tree, made of what the parse gathered (once: it takes over the values).
    func finishTree() -> XMLTree {
        defer { values = nil }
        return XMLTree(names: names.entries, elements: elements, attributes: attributes, values: values, valueCount: valuesCount)
    }

    func endElement() {
        guard let closing = open.popLast() else { return }
        elements[closing].subtreeEnd = Int32(elements.count)
        let first = Int(elements[closing].firstAttribute)
        for attribute in first..<first + Int(elements[closing].attributeCount) {
            let record = attributes[attribute]
            guard record.markedByName || record.markedByValue else { continue }
            let marked = XMLMarkedAttributes.Mark(element: Int32(closing), attribute: Int32(attribute))
            if record.markedByName { markedByName.append(marked) }
            if record.markedByValue { markedByValue.append(marked) }
        }
        if open.isEmpty { rootIndex = closing }
    }

    func comment(_ text: UnsafePointer<xmlChar>?) {
        guard let text else { return }
        if let commentPrefix {
            var firstVisible = text
            while ASCII.isWhitespace(firstVisible.pointee) { firstVisible += 1 }
            guard commentPrefix.withUnsafeBufferPointer({ strncmp(firstVisible, $0.baseAddress!, $0.count) == 0 }) else { return }
        }
        let content = String(cString: text)
        // The comment ends at or after the consumed offset; its `<!--` is the last one before,
        // since `--` cannot occur inside a comment. Found from `<` to `<` with memrchr (a byte
        // at a time cost a file of tens of thousands of comments 8% of its checking).
        let searchEnd = min(consumed + 3, bytes.count)
        var start = max(searchEnd - 4, 0)
        while start > 0 && !(bytes[start] == 0x3C && bytes[start + 1] == 0x21 && bytes[start + 2] == 0x2D && bytes[start + 3] == 0x2D) {
            start = max(0, nexlint_last_index_of(bytes.baseAddress, start, UInt8(ascii: "<")))
        }
        comments.append(XMLComment(text: content, position: cursor.position(of: start), nextElementPosition: nil))
    }

    /// Where the DOCTYPE declaring entities starts, once one is declared.
    private(set) var entityDeclarations: TextPosition?

    func noteEntityDeclaration() {
        guard entityDeclarations == nil else { return }
        let keyword: [UInt8] = Array("<!DOCTYPE".utf8)
        var start = 0
        while start + keyword.count <= bytes.count, !bytes[start..<(start + keyword.count)].elementsEqual(keyword) { start += 1 }
        entityDeclarations = cursor.position(of: start + keyword.count <= bytes.count ? start : 0)
    }

    func record(_ error: xmlError) {
        guard firstError == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        // Never libxml2's message: it quotes the input, which may be part of a secret.
        firstError = XMLSyntaxError(line: max(Int(error.line), 1), column: max(Int(error.int2), 1),
                                    message: XMLErrorKind.describe(error.code), code: Int(error.code))
    }


    private func hasMarker(_ start: UnsafePointer<xmlChar>, _ length: Int) -> Bool {
        for marker in valueMarkers where nexlint_contains_bytes(start, length, marker.baseAddress, marker.count) != 0 {
            return true
        }
        return false
    }

    /// Without entity substitution libxml2 hands SAX attribute values with `&` kept as `&#38;`
    /// (and undeclared-entity references verbatim); decode character and predefined references.
    static func decodeReferences(_ value: String) -> String {
        var result = ""
        var rest = Substring(value)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let afterAmpersand = rest.index(after: ampersand)
            guard let semicolon = rest[afterAmpersand...].firstIndex(of: ";"),
                  let decoded = decodeReference(rest[afterAmpersand..<semicolon]) else {
                result.append("&")
                rest = rest[afterAmpersand...]
                continue
            }
            result.unicodeScalars.append(decoded)
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }

    private static func decodeReference(_ name: Substring) -> Unicode.Scalar? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard name.first == "#" else { return nil }
            let digits = name.dropFirst()
            let number = digits.first == "x" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            return number.flatMap(Unicode.Scalar.init)
        }
    }
}

/// A name with what the parse options say about it.
struct ClassifiedName {
    var text: String
    var keepsAllAttributes: Bool
    var isAlwaysKept: Bool
    var isMarked: Bool
    /// The text's UTF-8 length, kept: a name look-up compares it for every attribute it passes
    /// over, and a `String` works its length out each time it is asked.
    var length: Int

    init(text: String, keepsAllAttributes: Bool, isAlwaysKept: Bool, isMarked: Bool) {
        self.text = text
        self.keepsAllAttributes = keepsAllAttributes
        self.isAlwaysKept = isAlwaysKept
        self.isMarked = isMarked
        length = text.utf8.count
    }

    /// Whether it is `name`, whose UTF-8 length is `length`. Lengths first: most names compared
    /// differ in length, and a full comparison of unequal strings is far dearer than counting.
    @inline(__always)
    func `is`(_ name: String, length: Int) -> Bool {
        self.length == length && text == name
    }
}

/// Names as the parser has classified them, numbered, for the parses of one ``ParserContext``.
/// Every parse with the context shares one libxml2 dictionary, so one interned pointer is one
/// name from file to file: a name is made into a `String` and classified once, and documents refer to it
/// by number. Starts over when the options change, or when the dictionary has grown past a
/// bound (names made up by hostile input must not accumulate).
final class NameTable {
    /// An open-addressing slot: a name's interned pointers and its number, or -1 when free.
    private struct Slot {
        var localName: UnsafePointer<xmlChar>?
        var prefix: UnsafePointer<xmlChar>?
        var number: Int32
    }

    private static let maximumDictionarySize = 65_536

    private(set) var dictionary: xmlDictPtr
    private var options: ParseOptions
    /// By number. Documents keep the array as it was when they were parsed.
    @exclusivity(unchecked) private(set) var entries: [ClassifiedName] = []
    @exclusivity(unchecked) private var slots: [Slot]

    fileprivate init(options: ParseOptions) {
        dictionary = xmlDictCreate()
        self.options = options
        slots = Self.freeSlots(256)
    }

    deinit {
        xmlDictFree(dictionary)
    }

    private static func freeSlots(_ count: Int) -> [Slot] {
        [Slot](repeating: Slot(localName: nil, prefix: nil, number: -1), count: count)
    }

    /// Ready for a parse with these options: started over when they differ from the last
    /// parse's, or when the dictionary has grown past its bound.
    fileprivate func prepared(for options: ParseOptions) -> NameTable {
        if self.options != options || xmlDictSize(dictionary) > Self.maximumDictionarySize {
            startOver(options: options)
        }
        return self
    }

    private func startOver(options: ParseOptions) {
        // A new dictionary may reuse the old one's addresses, so the numbers go with it.
        xmlDictFree(dictionary)
        dictionary = xmlDictCreate()
        self.options = options
        entries = []
        slots = Self.freeSlots(256)
    }

    /// The number of a name, classified when it is first seen.
    func number(_ localName: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?) -> Int {
        let mask = slots.count - 1
        var slot = Self.home(localName, prefix, mask: mask)
        while slots[slot].number >= 0 {
            if slots[slot].localName == localName && slots[slot].prefix == prefix { return Int(slots[slot].number) }
            slot = (slot + 1) & mask
        }
        let number = entries.count
        let text = (prefix.map { String(cString: $0) + ":" } ?? "") + (localName.map { String(cString: $0) } ?? "")
        entries.append(classify(text))
        slots[slot] = Slot(localName: localName, prefix: prefix, number: Int32(number))
        if entries.count * 2 > slots.count { grow() }
        return number
    }

    private func grow() {
        let old = slots
        slots = Self.freeSlots(old.count * 2)
        let mask = slots.count - 1
        for entry in old where entry.number >= 0 {
            var slot = Self.home(entry.localName, entry.prefix, mask: mask)
            while slots[slot].number >= 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

    /// Where a name's probe starts. Interned names lie a few bytes apart; multiplicative
    /// hashing spreads them over the slots.
    private static func home(_ localName: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?, mask: Int) -> Int {
        let key = UInt64(UInt(bitPattern: localName)) &+ UInt64(UInt(bitPattern: prefix)) &* 31
        return Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    private func classify(_ text: String) -> ClassifiedName {
        let isMarked = options.markNameSuffixes.contains { text.hasSuffixIgnoringCase($0) }
        guard let selection = options.attributes else {
            return ClassifiedName(text: text, keepsAllAttributes: true, isAlwaysKept: true, isMarked: isMarked)
        }
        // The sets are small: a linear search beats hashing every new name.
        return ClassifiedName(text: text, keepsAllAttributes: selection.elementsKeepingAll.contains { $0 == text },
                              isAlwaysKept: selection.namesKept.contains { $0 == text }, isMarked: isMarked)
    }
}
