import NexlintXML

/// A safe fix: attribute values to set on one element's start tag (spec §6: the EXO001
/// `authComponent`, EXO002 `secure`, EXO003 scheme and path).
public struct Fix: Sendable, Hashable {
    public var file: String
    public var element: String
    /// The start tag's bytes in the file as it was read.
    public var tagBytes: Range<Int>
    /// Attribute names and the values to give them, in order.
    public var values: [AttributeValueChange]

    public init(file: String, element: String, tagBytes: Range<Int>, values: [AttributeValueChange]) {
        self.file = file
        self.element = element
        self.tagBytes = tagBytes
        self.values = values
    }
}
