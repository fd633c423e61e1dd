import NexlintXML

/// Why a file is not well-formed XML (NXJ001): where, and libxml2's error in nexlint's words
/// (never libxml2's own message, which quotes the input).
public struct ParseFailure: Sendable, Hashable {
    public let position: SourcePosition
    public let message: String
    /// An unescaped `<` in an attribute value: almost always a documentation placeholder left in.
    public let isLessThanInAttributeValue: Bool

    init(_ error: XMLSyntaxError) {
        position = SourcePosition(line: error.line, column: error.column)
        message = error.message
        isLessThanInAttributeValue = error.isLessThanInAttributeValue
    }
}
