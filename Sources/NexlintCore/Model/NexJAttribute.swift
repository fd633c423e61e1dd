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
/// references): each made when visited, from indices into its document.
public struct ElementAttributes: Sendable {
    private let marked: XMLMarkedAttributes

    init(_ marked: XMLMarkedAttributes) {
        self.marked = marked
    }

    /// Each attribute and its element, lent to `body` in turn (see
    /// ``XMLMarkedAttributes/forEach(_:)``).
    public func forEach(_ body: (_ element: NexJElement, _ attribute: NexJAttribute) -> Void) {
        marked.forEach { body(NexJElement($0), NexJAttribute($1)) }
    }
}
