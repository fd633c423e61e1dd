/// One attribute as XML defines its value: references decoded, white space normalised.
public struct XMLAttribute: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
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

    public init(name: String, attributes: [XMLAttribute] = [], children: [XMLElement] = [],
                position: SourcePosition, startTagBytes: Range<Int>) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.position = position
        self.startTagBytes = startTagBytes
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
