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

    mutating func position(of target: Int) -> SourcePosition {
        if target < offset { self = LineCursor(bytes: bytes) }
        let end = min(target, bytes.count)
        guard let base = bytes.baseAddress, offset < end else { return SourcePosition(line: line, column: column) }
        var segmentStart = offset
        while segmentStart < end, let found = memchr(base + segmentStart, 0x0A, end - segmentStart) {
            segmentStart = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
            line += 1
            column = 1
        }
        column += Self.characterCount(UnsafeBufferPointer(rebasing: bytes[segmentStart..<end]))
        offset = end
        return SourcePosition(line: line, column: column)
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

extension String {
    /// An ASCII suffix in any letter case, without building lowercased copies: it runs on
    /// attribute names while parsing.
    public func hasSuffixIgnoringCase(_ suffix: String) -> Bool {
        let count = suffix.utf8.count
        guard utf8.count >= count else { return false }
        return ASCII.equalIgnoringCase(self[utf8.index(utf8.endIndex, offsetBy: -count)...], suffix)
    }
}

public enum ASCII {
    @inlinable
    public static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }

    /// Whether two texts have the same UTF-8 bytes, ASCII letters in any case. Compared on the
    /// bytes in place: walking two string views side by side costs far more per byte.
    /// Inlinable, so that it is specialised for the callers' string types.
    @inlinable
    public static func equalIgnoringCase(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        let inPlace = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                !zip(left, right).contains { lowercased($0) != lowercased($1) }
            }
        }
        if let result = inPlace ?? nil { return result }
        return !zip(lhs.utf8, rhs.utf8).contains { lowercased($0) != lowercased($1) }
    }

    /// Whether the text's UTF-8 bytes begin with the prefix's, compared in place (scheme
    /// prefixes such as `master:` are checked on every password value).
    @inlinable
    public static func hasPrefix(_ text: some StringProtocol, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard text.utf8.count >= count else { return false }
        let expected = UnsafeBufferPointer(start: prefix.utf8Start, count: count)
        return text.utf8.withContiguousStorageIfAvailable { $0.prefix(count).elementsEqual(expected) }
            ?? text.utf8.prefix(count).elementsEqual(expected)
    }
}
