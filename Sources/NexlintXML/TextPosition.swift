#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 1-based line and column, columns counting Unicode scalars (NexlintCore's
/// `SourcePosition` is made from it).
package struct TextPosition: Sendable, Equatable {
    package var line: Int
    package var column: Int
}

/// Turns byte offsets of a UTF-8 buffer into line/column positions. Offsets are asked for in
/// document order, so the cursor only moves forward, carrying the line and column along:
/// each byte is looked at once however long the lines (a 5 MB one-line file included). An
/// earlier offset restarts it.
struct LineCursor {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let contentStart: Int
    private var offset: Int
    private var line = 1
    /// The column of the character at `offset`.
    private var column = 1

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let hasByteOrderMark = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        contentStart = hasByteOrderMark ? 3 : 0
        offset = contentStart
    }

    mutating func position(of target: Int) -> TextPosition {
        if target < offset { self = LineCursor(bytes: bytes) }
        let end = min(target, bytes.count)
        guard let base = bytes.baseAddress, offset < end else { return TextPosition(line: line, column: column) }
        var segmentStart = offset
        while segmentStart < end, let found = memchr(base + segmentStart, 0x0A, end - segmentStart) {
            segmentStart = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
            line += 1
            column = 1
        }
        column += Self.characterCount(UnsafeBufferPointer(rebasing: bytes[segmentStart..<end]))
        offset = end
        return TextPosition(line: line, column: column)
    }

    /// Characters in UTF-8 bytes: every byte but continuation bytes. Lines are almost always
    /// ASCII, which is checked eight bytes at a time.
    private static func characterCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let raw = UnsafeRawBufferPointer(bytes)
        var index = 0
        while index + 8 <= raw.count, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            index += 8
        }
        var count = index
        while index < raw.count {
            if raw[index] & 0xC0 != 0x80 { count += 1 }
            index += 1
        }
        return count
    }
}
