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
        let start = max(lineStart, contentStart)
        guard start < end else { return SourcePosition(line: line, column: 1) }
        return SourcePosition(line: line, column: 1 + Self.characterCount(UnsafeBufferPointer(rebasing: bytes[start..<end])))
    }

    /// Characters in UTF-8 bytes: every byte but continuation bytes. Lines are almost always
    /// ASCII, which is checked eight bytes at a time.
    private static func characterCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let raw = UnsafeRawBufferPointer(bytes)
        var index = 0
        var isASCII = true
        while index + 8 <= raw.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                isASCII = false
                break
            }
            index += 8
        }
        if isASCII {
            while index < raw.count, raw[index] < 0x80 { index += 1 }
            if index == raw.count { return raw.count }
        }
        return bytes.reduce(0) { $1 & 0xC0 != 0x80 ? $0 + 1 : $0 }
    }
}
