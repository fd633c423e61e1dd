#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The elements, attributes and attribute values of one document in flat arrays, in document
/// order: a document of thousands of elements is a handful of allocations, made and freed at
/// once, instead of several per element. Made when the parse is done, then only read: its
/// arrays are constants, which a read borrows in place (a variable array property of a class
/// is retained and released around every read of an element).
final class XMLTree: Sendable {
    struct Element {
        var name: Int32
        var firstAttribute: Int32
        var attributeCount: Int32
        /// The index just past its last descendant: its next sibling's, when it has one.
        var subtreeEnd: Int32
        var position: TextPosition
        var startTag: Range<Int>
    }

    struct Attribute {
        var name: Int32
        /// Where its decoded value is in `values`.
        var valueStart: Int
        var valueEnd: Int
        var markedByName: Bool
        var markedByValue: Bool
    }

    /// Names by the parser's name number (shared by the documents a thread parses).
    let names: [ClassifiedName]
    let elements: [Element]
    let attributes: [Attribute]
    /// Attribute values, decoded, end to end: most are never read, so they become `String`s
    /// only when asked for. From malloc (the parser's buffer, handed over whole); freed with
    /// the tree.
    nonisolated(unsafe) let values: UnsafeBufferPointer<UInt8>

    /// Takes over `values`, a buffer from malloc of `valueCount` bytes (or nil): the tree frees it.
    init(names: [ClassifiedName], elements: [Element], attributes: [Attribute],
         values: UnsafeMutablePointer<UInt8>?, valueCount: Int) {
        self.names = names
        self.elements = elements
        self.attributes = attributes
        self.values = UnsafeBufferPointer(start: values, count: values == nil ? 0 : valueCount)
    }

    deinit {
        free(UnsafeMutableRawPointer(mutating: values.baseAddress))
    }

    func value(of attribute: Int) -> String {
        String(decoding: valueBytes(of: attribute), as: UTF8.self)
    }

    /// The attribute's decoded value, in place in `values` (which live as long as the tree).
    func valueBytes(of attribute: Int) -> UnsafeBufferPointer<UInt8> {
        let record = attributes[attribute]
        return UnsafeBufferPointer(rebasing: values[record.valueStart..<record.valueEnd])
    }

    /// Whether the name numbered `number` is `name`.
    func name(_ number: Int32, is name: String) -> Bool {
        names[Int(number)].is(name, length: name.utf8.count)
    }
}

/// What a parse keeps and marks, for callers that know what they read: making values for
/// attributes nobody reads is most of a parse's cost after libxml2's own.
package struct ParseOptions: Sendable, Equatable {
    /// Which attributes become ``XMLAttribute``s; nil keeps them all. Marked attributes and
    /// all of the root's are always kept.
    package var attributes: AttributeSelection?
    /// Attributes whose name ends with one of these (any letter case) are listed in
    /// ``XMLDocument/attributesMarkedByName``.
    package var markNameSuffixes: [String]
    /// Attributes whose value contains one of these byte strings are listed in
    /// ``XMLDocument/attributesMarkedByValue``.
    package var markValuesContaining: [[UInt8]]
    /// Only comments whose text starts with this (after white space) are kept; nil keeps all.
    package var commentPrefix: String?

    package init(attributes: AttributeSelection? = nil, markNameSuffixes: [String] = [],
                markValuesContaining: [[UInt8]] = [], commentPrefix: String? = nil) {
        self.attributes = attributes
        self.markNameSuffixes = markNameSuffixes
        self.markValuesContaining = markValuesContaining
        self.commentPrefix = commentPrefix
    }
}

/// Elements that keep all their attributes, and attribute names kept on every element.
package struct AttributeSelection: Sendable, Equatable {
    package var elementsKeepingAll: Set<String>
    package var namesKept: Set<String>

    package init(elementsKeepingAll: Set<String>, namesKept: Set<String>) {
        self.elementsKeepingAll = elementsKeepingAll
        self.namesKept = namesKept
    }
}

/// The attributes a parse marked one way, in the order their elements end: the indices of
/// each in one tree, made into an attribute and its element when visited. Holding them holds
/// the tree once, not twice per attribute, and they are freed as plain numbers.
package struct XMLMarkedAttributes: Sendable {
    struct Mark {
        var element: Int32
        var attribute: Int32
    }

    private let tree: XMLTree
    private let marks: [Mark]

    init(tree: XMLTree, marks: [Mark]) {
        self.tree = tree
        self.marks = marks
    }

    /// Each marked attribute and its element, lent to `body` in turn, made from the tree held
    /// here: handed out as values of their own (a collection's elements), each retained the
    /// tree twice and released it twice.
    package func forEach(_ body: (_ element: XMLElement, _ attribute: XMLAttribute) -> Void) {
        marks.withUnsafeBufferPointer { marks in
            for mark in marks {
                body(XMLElement(tree: tree, index: Int(mark.element)), XMLAttribute(tree: tree, index: Int(mark.attribute)))
            }
        }
    }
}

/// One attribute as XML defines its value: references decoded, white space normalised.
package struct XMLAttribute: Sendable {
    let tree: XMLTree
    let index: Int

    package var name: String { tree.names[Int(tree.attributes[index].name)].text }
    package var value: String { tree.value(of: index) }

    /// The value's UTF-8 bytes, read in place without making the value a `String`.
    package func withValueBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        // The attribute holds the tree, and so its values, while `body` runs.
        try body(tree.valueBytes(of: index))
    }

    /// Whether the value begins with these bytes, checked without making the value a `String`.
    package func valueHasPrefix(_ prefix: StaticString) -> Bool {
        withValueBytes { $0.hasPrefix(prefix) }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether the bytes begin with the literal's.
    package func hasPrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard self.count >= count else { return false }
        return count == 0 || memcmp(baseAddress!, prefix.utf8Start, count) == 0
    }
}

/// An element of a parsed document, reduced to what linting needs: no text, no namespaces.
/// A handle into its document's arrays: copying one copies a reference and an index.
package struct XMLElement: Sendable {
    let tree: XMLTree
    let index: Int

    private var record: XMLTree.Element { tree.elements[index] }

    package var name: String { tree.names[Int(record.name)].text }

    /// Whether the element is named `name`, compared without copying the name out.
    package func isNamed(_ name: String) -> Bool {
        tree.name(record.name, is: name)
    }

    package var attributeCount: Int { Int(record.attributeCount) }

    package var attributes: [XMLAttribute] {
        let record = record
        let first = Int(record.firstAttribute)
        return (first..<first + Int(record.attributeCount)).map { XMLAttribute(tree: tree, index: $0) }
    }

    /// Its child elements in document order.
    package var children: [XMLElement] {
        var count = 0
        forEachChild { _ in count += 1 }
        var result: [XMLElement] = []
        result.reserveCapacity(count)
        forEachChild { result.append(XMLElement(tree: tree, index: $0)) }
        return result
    }

    /// Each child element in document order, without gathering them into an array.
    package func forEachChildElement(_ body: (XMLElement) -> Void) {
        forEachChild { body(XMLElement(tree: tree, index: $0)) }
    }

    /// The children's indexes: each child's subtree ends where its next sibling starts.
    private func forEachChild(_ body: (Int) -> Void) {
        var child = index + 1
        let end = Int(record.subtreeEnd)
        while child < end {
            body(child)
            child = Int(tree.elements[child].subtreeEnd)
        }
    }

    /// Where the start tag's `<` is.
    package var position: TextPosition { record.position }

    /// Byte range of the start tag, `<` through `>`, in the UTF-8 text that was parsed (the file
    /// itself unless ``XMLDocument/transcodedFrom`` says otherwise).
    package var startTagBytes: Range<Int> { record.startTag }

    package subscript(_ name: String) -> String? {
        attributeIndex(named: name).map(valueOfAttribute(at:))
    }

    /// Where the attribute named `name` is among the element's kept attributes (0 for the
    /// first), or nil.
    package func attributeIndex(named name: String) -> Int? {
        let record = record
        let first = Int(record.firstAttribute)
        let count = name.utf8.count
        // Read through pointers to the arrays' elements: indexing the tree's arrays (constants
        // though they are) in the loop cost about 27 instructions more a look-up.
        return tree.attributes.withUnsafeBufferPointer { attributes in
            tree.names.withUnsafeBufferPointer { names in
                (first..<first + Int(record.attributeCount)).first { attribute in
                    names[Int(attributes[attribute].name)].is(name, length: count)
                }.map { $0 - first }
            }
        }
    }

    /// The value of the kept attribute at `index` (0 for the first).
    package func valueOfAttribute(at index: Int) -> String {
        tree.value(of: Int(record.firstAttribute) + index)
    }

    /// The UTF-8 bytes of the value of the kept attribute at `index` (0 for the first), lent to
    /// `body` in place. No ``XMLAttribute`` is made: making one retains the tree, and releasing
    /// it is another atomic count, for a look at a few bytes.
    package func withValueBytesOfAttribute<Result>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        // The element holds the tree, and so its values, while `body` runs.
        try body(tree.valueBytes(of: Int(record.firstAttribute) + index))
    }
}

/// A comment with where it starts and the start tag of the first element that follows it.
package struct XMLComment: Sendable {
    package var text: String
    package var position: TextPosition
    package var nextElementPosition: TextPosition?
}

package struct XMLDocument: Sendable {
    package var root: XMLElement
    package var comments: [XMLComment]
    /// The attributes ``ParseOptions`` marked by name, and by value, each in the order their
    /// elements end (an attribute can be in both).
    package var attributesMarkedByName: XMLMarkedAttributes
    package var attributesMarkedByValue: XMLMarkedAttributes
    /// Where the `<!DOCTYPE` starts when its internal subset declares entities.
    package var entityDeclarations: TextPosition?
    /// The encoding the file was converted from before parsing, or nil for UTF-8 and ASCII.
    /// Byte offsets in the tree refer to the original file only when this is nil.
    package var transcodedFrom: String?
}

/// The first well-formedness error libxml2 reported, where it reported it.
package struct XMLSyntaxError: Error, Sendable, Hashable {
    package var line: Int
    package var column: Int
    package var message: String
    /// libxml2's error code (`xmlParserErrors`); 0 for errors found before parsing.
    package var code: Int

    package init(line: Int, column: Int, message: String, code: Int) {
        self.line = line
        self.column = column
        self.message = message
        self.code = code
    }

    /// `XML_ERR_LT_IN_ATTRIBUTE`: almost always a documentation placeholder left in a value.
    package var isLessThanInAttributeValue: Bool { code == 38 }
}
