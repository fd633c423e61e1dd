#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 1-based line and column in a source file. Columns count Unicode scalars, so a position
/// means the same thing whether the file was stored as UTF-8, UTF-16 or ISO-8859-1.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// Turns byte offsets of a UTF-8 buffer into line/column positions. Offsets are asked for in
/// document order, so the cursor only moves forward (line breaks found with `memchr`); an
/// earlier offset restarts it.
struct LineCursor {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let contentStart: Int
    private var offset = 0
    private var line = 1
    private var lineStart = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let hasByteOrderMark = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        contentStart = hasByteOrderMark ? 3 : 0
    }

    mutating func position(of target: Int) -> SourcePosition {
        if target < offset { self = LineCursor(bytes: bytes) }
        let end = min(target, bytes.count)
        if let base = bytes.baseAddress {
            while offset < end, let found = memchr(base + offset, 0x0A, end - offset) {
                offset = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
                line += 1
                lineStart = offset
            }
        }
        offset = max(offset, end)
        // Columns count characters: every byte but UTF-8 continuation bytes.
        var column = 1
        var index = max(lineStart, contentStart)
        while index < end {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourcePosition(line: line, column: column)
    }
}
