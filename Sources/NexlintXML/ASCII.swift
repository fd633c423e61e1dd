#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level comparisons for the ASCII names and prefixes configuration files use: they run
/// on every attribute or channel, where comparing `Character`s costs far more. Public, unlike
/// the rest of this module, and inlinable: the model's checks in NexlintCore specialise them
/// for their string types (a package-level generic is called unspecialised, at ~900
/// instructions a comparison).
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
    /// XML's white space: space, tab, line feed, carriage return.
    @inlinable
    public static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    @inlinable
    public static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }

    @inlinable
    public static func uppercased(_ byte: UInt8) -> UInt8 {
        (0x61...0x7A).contains(byte) ? byte - 0x20 : byte
    }

    /// The text with its ASCII letters lowercased and every other byte as it is: what
    /// `lowercased()` gives for ASCII text, at a fraction of its cost (no Unicode tables).
    public static func lowercased(_ text: some StringProtocol) -> String {
        withBytes(of: text) { mapped($0, lowercased) }
    }

    /// Bytes with their ASCII letters uppercased and every other byte as it is: what
    /// `uppercased()` gives for ASCII text.
    public static func uppercased(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        mapped(bytes, uppercased)
    }

    private static func mapped(_ bytes: UnsafeBufferPointer<UInt8>, _ transform: (UInt8) -> UInt8) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { copy in
            for index in 0..<bytes.count { copy[index] = transform(bytes[index]) }
            return bytes.count
        }
    }

    /// Whether two texts have the same UTF-8 bytes, ASCII letters in any case. Compared on the
    /// bytes in place: walking two string views side by side costs far more per byte.
    /// Inlinable, so that it is specialised for the callers' string types.
    @inlinable
    public static func equalIgnoringCase(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        return withBytes(of: lhs) { left in
            withBytes(of: rhs) { right in equalIgnoringCase(left, right) }
        }
    }

    /// The same on bytes. Most bytes compared are equal as they are: only those that differ
    /// are lowercased.
    @inlinable
    public static func equalIgnoringCase(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        for index in 0..<left.count where left[index] != right[index] {
            guard lowercased(left[index]) == lowercased(right[index]) else { return false }
        }
        return true
    }

    /// The text's UTF-8 bytes in place: walking a `String.UTF8View` costs several times more
    /// per byte than a buffer. A small string (15 bytes or fewer, most names) is held inline,
    /// not in storage of its own: its bytes are copied to the stack, not to an array.
    @inlinable
    public static func withBytes<Result>(of text: some StringProtocol, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var string = String(text)
        return string.withUTF8(body)
    }

    /// Whether the text's UTF-8 bytes begin with the prefix's, compared in place (scheme
    /// prefixes such as `master:` are checked on every password value).
    @inlinable
    public static func hasPrefix(_ text: some StringProtocol, _ prefix: StaticString) -> Bool {
        withBytes(of: text) { hasPrefix($0, prefix) }
    }

    /// The same on bytes.
    @inlinable
    public static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        return bytes.count >= count
            && equal(UnsafeBufferPointer(rebasing: bytes[..<count]), UnsafeBufferPointer(start: prefix.utf8Start, count: count))
    }

    /// Whether two runs of bytes are the same, compared by one `memcmp`: comparing them
    /// element by element cost about 15 instructions a byte.
    @inlinable
    public static func equal(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        left.count == right.count && (left.isEmpty || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0)
    }
}
