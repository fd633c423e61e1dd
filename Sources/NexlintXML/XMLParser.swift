import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses XML with libxml2's SAX2 interface into ``XMLDocument`` values.
///
/// Safety: only `XML_PARSE_NONET` is set (no entity substitution, no DTD loading, no
/// XInclude, no `HUGE` limits lifted), every external entity resolves to nothing, and all
/// diagnostics go through the structured handlers, so libxml2 prints nothing itself.
/// No DOM is kept: elements are recorded as they start, which also gives exact offsets.
public enum XMLParser {
    private static let initialization: Void = nexlint_xml_initialize()

    /// Call once before parsing on several threads; parsing calls it too.
    public static func initialize() {
        _ = initialization
    }

    /// Parses a document; `options` say which attributes and comments to keep and mark (what
    /// is not kept is still parsed and checked by libxml2).
    public static func parse(_ raw: [UInt8], options: ParseOptions = ParseOptions()) -> Result<XMLDocument, XMLSyntaxError> {
        initialize()
        switch SourceEncoding.prepare(raw) {
        case .failure(let error):
            return .failure(error)
        case .success(let prepared):
            guard prepared.utf8.count < Int(Int32.max) else {
                return .failure(XMLSyntaxError(line: 1, column: 1, message: "the file is larger than 2 GB", code: 0))
            }
            return prepared.utf8.withUnsafeBufferPointer { buffer in
                parseUTF8(buffer, transcodedFrom: prepared.transcodedFrom, options: options)
            }
        }
    }

    private static func parseUTF8(_ buffer: UnsafeBufferPointer<UInt8>, transcodedFrom: String?,
                                  options: ParseOptions) -> Result<XMLDocument, XMLSyntaxError> {
        guard let baseAddress = buffer.baseAddress, !buffer.isEmpty else {
            return .failure(XMLSyntaxError(line: 1, column: 1, message: "Document is empty", code: 4))
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
        let names = NameCache.forThisThread(options: options)
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
        guard context.pointee.wellFormed != 0, let root = state.root else {
            return .failure(XMLSyntaxError(line: 1, column: 1, message: "the document is not well-formed", code: 0))
        }
        return .success(XMLDocument(root: root, comments: state.comments, markedAttributes: state.marked,
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
            guard let state = ParseState.of(userData) else { return }
            state.startElement(localName: localName, prefix: prefix, count: Int(attributeCount), attributes: attributes)
        }
        handler.endElementNs = { userData, _, _, _ in
            ParseState.of(userData)?.endElement()
        }
        handler.comment = { userData, text in
            ParseState.of(userData)?.comment(text)
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
    /// An element whose end tag has not come yet; it becomes an ``XMLElement`` then.
    private struct OpenElement {
        var name: String
        var attributes: [XMLAttribute]
        var children: [XMLElement] = []
        var position: SourcePosition
        var startTagBytes: Range<Int>
        /// Indexes into `attributes` of marked ones: (index, by name, by value).
        var marks: [(Int, Bool, Bool)]
    }


    let bytes: UnsafeBufferPointer<UInt8>
    let context: xmlParserCtxtPtr
    let values = AttributeValueStore()
    // Only the parsing thread touches these; see AttributeValueStore.bytes.
    @exclusivity(unchecked) private var cursor: LineCursor
    @exclusivity(unchecked) private var open: [OpenElement] = []
    @exclusivity(unchecked) private(set) var comments: [XMLComment] = []
    /// Comments before index `waitingFrom` have their next element; later ones wait for it.
    private var waitingFrom = 0
    private let names: NameCache
    @exclusivity(unchecked) private(set) var marked: [MarkedAttribute] = []
    private let options: ParseOptions
    /// The selection's value markers as raw bytes, so checking one retains nothing.
    private let valueMarkers: [UnsafeBufferPointer<UInt8>]
    private let commentPrefix: [UInt8]?
    private(set) var root: XMLElement?
    private(set) var firstError: XMLSyntaxError?

    init(bytes: UnsafeBufferPointer<UInt8>, context: xmlParserCtxtPtr, options: ParseOptions, names: NameCache) {
        self.bytes = bytes
        self.context = context
        self.options = options
        self.names = names
        commentPrefix = options.commentPrefix.map { Array($0.utf8) }
        valueMarkers = options.markValuesContaining.map { marker in
            let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: marker.count)
            _ = copy.initialize(from: marker)
            return UnsafeBufferPointer(copy)
        }
        cursor = LineCursor(bytes: bytes)
    }

    deinit {
        for marker in valueMarkers { marker.deallocate() }
    }

    /// The state for a callback, or nil when the callback comes from an entity's sub-parser,
    /// whose offsets do not refer to the file.
    static func of(_ userData: UnsafeMutableRawPointer?) -> ParseState? {
        guard let userData else { return nil }
        let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let raw = context.pointee._private else { return nil }
        let state = Unmanaged<ParseState>.fromOpaque(raw).takeUnretainedValue()
        guard state.context == context, context.pointee.inputNr == 1 else { return nil }
        return state
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

        // Read the element's entry now (after the slot is filled): an attribute's name may take
        // the same slot below.
        let elementSlot = nameSlot(localName, prefix)
        let element = names.entries[elementSlot]
        let keepsAll = open.isEmpty || element.keepsAllAttributes
        var parsedAttributes: [XMLAttribute] = []
        if keepsAll { parsedAttributes.reserveCapacity(count) }
        var marks: [(Int, Bool, Bool)] = []
        if let attributes {
            for index in 0..<count {
                let base = index * 5
                guard let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
                // Flags are read in place: copying the cached name out would retain its string
                // for every attribute, kept or not.
                let attribute = nameSlot(attributes[base], attributes[base + 1])
                let markedByName = names.entries[attribute].isMarked
                let markedByValue = hasMarker(start, end - start)
                guard keepsAll || names.entries[attribute].isAlwaysKept || markedByName || markedByValue else { continue }
                if markedByName || markedByValue {
                    marks.append((parsedAttributes.count, markedByName, markedByValue))
                }
                let bytes = UnsafeBufferPointer(start: start, count: end - start)
                let range: Range<Int>
                if memchr(start, Int32(UInt8(ascii: "&")), bytes.count) != nil {
                    var decoded = Self.decodeReferences(String(decoding: bytes, as: UTF8.self))
                    range = decoded.withUTF8 { values.append($0) }
                } else {
                    range = values.append(bytes)
                }
                parsedAttributes.append(XMLAttribute(name: names.entries[attribute].text, store: values, range: range))
            }
        }
        open.append(OpenElement(name: element.text, attributes: parsedAttributes,
                                position: position, startTagBytes: tagStart..<tagEnd, marks: marks))
    }

    func endElement() {
        guard let closing = open.popLast() else { return }
        let finished = XMLElement(name: closing.name, attributes: closing.attributes, children: closing.children,
                                  position: closing.position, startTagBytes: closing.startTagBytes, values: values)
        for (index, byName, byValue) in closing.marks {
            marked.append(MarkedAttribute(element: finished, attribute: closing.attributes[index], byName: byName, byValue: byValue))
        }
        if open.isEmpty {
            root = finished
        } else {
            open[open.count - 1].children.append(finished)
        }
    }

    func comment(_ text: UnsafePointer<xmlChar>?) {
        guard let text else { return }
        if let commentPrefix {
            var firstVisible = text
            while [0x20, 0x09, 0x0A, 0x0D].contains(firstVisible.pointee) { firstVisible += 1 }
            guard commentPrefix.withUnsafeBufferPointer({ strncmp(firstVisible, $0.baseAddress!, $0.count) == 0 }) else { return }
        }
        let content = String(cString: text)
        // The comment ends at or after the consumed offset; its `<!--` is the last one before,
        // since `--` cannot occur inside a comment.
        let searchEnd = min(consumed + 3, bytes.count)
        var start = max(searchEnd - 4, 0)
        while start > 0 && !(bytes[start] == 0x3C && bytes[start + 1] == 0x21 && bytes[start + 2] == 0x2D && bytes[start + 3] == 0x2D) {
            start -= 1
        }
        comments.append(XMLComment(text: content, position: cursor.position(of: start), nextElementPosition: nil))
    }

    func record(_ error: xmlError) {
        guard firstError == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = error.message.map { String(cString: $0) } ?? "XML error \(error.code)"
        // libxml2 appends the offending bytes on a second line ("Bytes: 0x.."); they could be
        // part of a secret, so only the first line is kept.
        let firstLine = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? message
        firstError = XMLSyntaxError(line: max(Int(error.line), 1), column: max(Int(error.int2), 1),
                                    message: firstLine.trimmingTrailingPunctuation(), code: Int(error.code))
    }


    private func nameSlot(_ localName: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?) -> Int {
        names.slot(localName, prefix)
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

private extension String {
    func trimmingTrailingPunctuation() -> String {
        var result = Substring(self)
        while let last = result.last, last == " " || last == "\n" || last == "." { result = result.dropLast() }
        return String(result)
    }
}

/// Names as the parser has classified them, for the parses of one thread. Every parse on the
/// thread shares one libxml2 dictionary, so one interned pointer is one name from file to file,
/// and a small direct-mapped cache saves making and classifying the same `String` again.
/// Starts over when the options change, or when the dictionary has grown past a bound (names
/// made up by hostile input must not accumulate).
final class NameCache {
    struct Name {
        var pointer: UnsafePointer<xmlChar>?
        var text: String
        var keepsAllAttributes: Bool
        var isAlwaysKept: Bool
        var isMarked: Bool
    }

    private static let uncachedSlot = 256
    private static let maximumDictionarySize = 65_536
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { cache in
            guard let cache else { return }
            Unmanaged<NameCache>.fromOpaque(cache).release()
        }
        return key
    }()

    private(set) var dictionary: xmlDictPtr
    private var options: ParseOptions
    @exclusivity(unchecked) private(set) var entries: [Name]

    private init(options: ParseOptions) {
        dictionary = xmlDictCreate()
        self.options = options
        entries = Self.emptyEntries
    }

    deinit {
        xmlDictFree(dictionary)
    }

    private static var emptyEntries: [Name] {
        [Name](repeating: Name(pointer: nil, text: "", keepsAllAttributes: true, isAlwaysKept: true, isMarked: false),
               count: uncachedSlot + 1)
    }

    static func forThisThread(options: ParseOptions) -> NameCache {
        let cache: NameCache
        if let existing = pthread_getspecific(key) {
            cache = Unmanaged<NameCache>.fromOpaque(existing).takeUnretainedValue()
        } else {
            cache = NameCache(options: options)
            pthread_setspecific(key, Unmanaged.passRetained(cache).toOpaque())
        }
        if cache.options != options || xmlDictSize(cache.dictionary) > maximumDictionarySize {
            cache.startOver(options: options)
        }
        return cache
    }

    private func startOver(options: ParseOptions) {
        // A new dictionary may reuse the old one's addresses, so the entries go with it.
        xmlDictFree(dictionary)
        dictionary = xmlDictCreate()
        self.options = options
        entries = Self.emptyEntries
    }

    /// The slot holding the name, filled if it held another. Prefixed names (rare in NexJ
    /// files) share one extra slot, refilled each time.
    func slot(_ localName: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?) -> Int {
        guard let localName, prefix == nil else {
            let text = localName.map { (prefix.map { String(cString: $0) + ":" } ?? "") + String(cString: $0) } ?? ""
            entries[Self.uncachedSlot] = classify(nil, text)
            return Self.uncachedSlot
        }
        // Interned names lie a few bytes apart; multiplicative hashing spreads them over the slots.
        let slot = Int(truncatingIfNeeded: (UInt64(UInt(bitPattern: localName)) &* 0x9E37_79B9_7F4A_7C15) >> 56)
        if entries[slot].pointer != localName { entries[slot] = classify(localName, String(cString: localName)) }
        return slot
    }

    private func classify(_ pointer: UnsafePointer<xmlChar>?, _ text: String) -> Name {
        let isMarked = options.markNameSuffixes.contains { text.hasSuffixIgnoringCase($0) }
        guard let selection = options.attributes else {
            return Name(pointer: pointer, text: text, keepsAllAttributes: true, isAlwaysKept: true, isMarked: isMarked)
        }
        // The sets are small: a linear search beats hashing every new name.
        return Name(pointer: pointer, text: text, keepsAllAttributes: selection.elementsKeepingAll.contains { $0 == text },
                    isAlwaysKept: selection.namesKept.contains { $0 == text }, isMarked: isMarked)
    }
}
