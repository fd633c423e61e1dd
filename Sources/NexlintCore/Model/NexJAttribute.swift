import NexlintXML

/// One attribute of a checked file, its value as XML defines it (references decoded, white
/// space normalised).
public struct NexJAttribute: Sendable {
    package let xml: XMLAttribute

    package init(_ xml: XMLAttribute) {
        self.xml = xml
    }

    public var name: String { xml.name }
    public var value: String { xml.value }

    /// The value's UTF-8 bytes, read in place without making the value a `String`.
    public func withValueBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try xml.withValueBytes(body)
    }

    /// Whether the value begins with these bytes, checked without making the value a `String`.
    public func valueHasPrefix(_ prefix: StaticString) -> Bool {
        xml.valueHasPrefix(prefix)
    }
}

/// Attributes with their elements, as a parse marked them (password attributes, property
/// references): each made when read, from indices into its document.
public struct ElementAttributes: RandomAccessCollection, Sendable {
    private let marked: XMLMarkedAttributes

    init(_ marked: XMLMarkedAttributes) {
        self.marked = marked
    }

    public var startIndex: Int { marked.startIndex }
    public var endIndex: Int { marked.endIndex }

    public subscript(position: Int) -> ElementAttribute {
        ElementAttribute(marked[position])
    }
}

/// An attribute with its element (a password attribute, a property reference).
public struct ElementAttribute: Sendable {
    public let element: NexJElement
    public let attribute: NexJAttribute

    init(_ marked: XMLMarkedAttribute) {
        element = NexJElement(marked.element)
        attribute = NexJAttribute(marked.attribute)
    }
}
