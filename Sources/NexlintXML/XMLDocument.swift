/// The attribute values of one document, decoded, end to end in one buffer: most values are
/// never read, so they become `String`s only when asked for. Filled by the parser, then only read.
public final class AttributeValueStore: @unchecked Sendable {
    // Written by one parsing thread, then only read: dynamic exclusivity checks on every
    // append cost more than the append.
    @exclusivity(unchecked) private(set) var bytes: [UInt8] = []

    init() {}

    func append(_ value: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = bytes.count
        bytes.append(contentsOf: value)
        return start..<bytes.count
    }

    func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }
}

/// What a parse keeps and marks, for callers that know what they read: making values for
/// attributes nobody reads is most of a parse's cost after libxml2's own.
public struct ParseOptions: Sendable, Equatable {
    /// Which attributes become ``XMLAttribute``s; nil keeps them all. Marked attributes and
    /// all of the root's are always kept.
    public var attributes: AttributeSelection?
    /// Attributes whose name ends with one of these (any letter case) are listed in
    /// ``XMLDocument/markedAttributes``.
    public var markNameSuffixes: [String]
    /// Attributes whose value contains one of these byte strings are listed there too.
    public var markValuesContaining: [[UInt8]]
    /// Only comments whose text starts with this (after white space) are kept; nil keeps all.
    public var commentPrefix: String?

    public init(attributes: AttributeSelection? = nil, markNameSuffixes: [String] = [],
                markValuesContaining: [[UInt8]] = [], commentPrefix: String? = nil) {
        self.attributes = attributes
        self.markNameSuffixes = markNameSuffixes
        self.markValuesContaining = markValuesContaining
        self.commentPrefix = commentPrefix
    }
}

/// Elements that keep all their attributes, and attribute names kept on every element.
public struct AttributeSelection: Sendable, Equatable {
    public var elementsKeepingAll: Set<String>
    public var namesKept: Set<String>

    public init(elementsKeepingAll: Set<String>, namesKept: Set<String>) {
        self.elementsKeepingAll = elementsKeepingAll
        self.namesKept = namesKept
    }
}

/// An attribute a parse marked, with its element, and why.
public struct MarkedAttribute: Sendable {
    public var element: XMLElement
    public var attribute: XMLAttribute
    public var byName: Bool
    public var byValue: Bool
}

/// One attribute as XML defines its value: references decoded, white space normalised.
/// Valid while its element lives: the element owns the buffer the value is in.
public struct XMLAttribute: Sendable {
    public let name: String
    // Unowned: a reference count per attribute costs more than the value; the element holds
    // the buffer for all of its attributes.
    private unowned(unsafe) let store: AttributeValueStore
    private let range: Range<Int>

    init(name: String, store: AttributeValueStore, range: Range<Int>) {
        self.name = name
        self.store = store
        self.range = range
    }

    public var value: String { store.string(range) }
}

/// An element of a parsed document, reduced to what linting needs: no text, no namespaces.
/// A reference type, built once by the parser and never changed: rules pass elements around
/// and walk trees, and a copy is then one reference, not a copy of every field.
public final class XMLElement: Sendable {
    public let name: String
    public let attributes: [XMLAttribute]
    public let children: [XMLElement]
    /// Where the start tag's `<` is.
    public let position: SourcePosition
    /// Byte range of the start tag, `<` through `>`, in the UTF-8 text that was parsed (the file
    /// itself unless ``XMLDocument/transcodedFrom`` says otherwise).
    public let startTagBytes: Range<Int>
    /// Keeps the attributes' values alive.
    private let values: AttributeValueStore

    init(name: String, attributes: [XMLAttribute], children: [XMLElement], position: SourcePosition,
         startTagBytes: Range<Int>, values: AttributeValueStore) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.position = position
        self.startTagBytes = startTagBytes
        self.values = values
    }

    public subscript(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }
}

/// A comment with where it starts and the start tag of the first element that follows it.
public struct XMLComment: Sendable {
    public var text: String
    public var position: SourcePosition
    public var nextElementPosition: SourcePosition?
}

public struct XMLDocument: Sendable {
    public var root: XMLElement
    public var comments: [XMLComment]
    /// The attributes ``ParseOptions`` marked, in the order their elements end.
    public var markedAttributes: [MarkedAttribute]
    /// The encoding the file was converted from before parsing, or nil for UTF-8 and ASCII.
    /// Byte offsets in the tree refer to the original file only when this is nil.
    public var transcodedFrom: String?
}

/// The first well-formedness error libxml2 reported, where it reported it.
public struct XMLSyntaxError: Error, Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var message: String
    /// libxml2's error code (`xmlParserErrors`); 0 for errors found before parsing.
    public var code: Int

    public init(line: Int, column: Int, message: String, code: Int) {
        self.line = line
        self.column = column
        self.message = message
        self.code = code
    }

    /// `XML_ERR_LT_IN_ATTRIBUTE`: almost always a documentation placeholder left in a value.
    public var isLessThanInAttributeValue: Bool { code == 38 }
}
