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

/// An attribute with its element (a password attribute, a property reference).
public struct ElementAttribute: Sendable {
    public let element: NexJElement
    public let attribute: NexJAttribute

    init(_ marked: XMLMarkedAttribute) {
        element = NexJElement(marked.element)
        attribute = NexJAttribute(marked.attribute)
    }
}
