import NexlintXML

/// A 1-based line and column in a source file. Columns count Unicode scalars, so a position
/// means the same thing whether the file was stored as UTF-8, UTF-16 or ISO-8859-1.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(_ position: TextPosition) {
        self.init(line: position.line, column: position.column)
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}
