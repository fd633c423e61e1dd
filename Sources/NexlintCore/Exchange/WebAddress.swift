import NexlintXML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An absolute URL split into the parts the rules judge. Deliberately small: it only needs to
/// read `scheme://[user-info@]host[:port][/path][?query][#fragment]`. It keeps the text and the
/// byte offsets of each part, found on the UTF-8 bytes (the delimiters are ASCII), and makes a
/// part a `String` only when asked: every HTTP channel's url goes through it. A reference
/// type: a channel holds its parsed url in one reference; two are equal when their texts are.
public final class WebAddress: Sendable, Hashable {
    public let text: String
    private let schemeEnd: Int
    private let userInfoRange: Range<Int>?
    private let hostRange: Range<Int>
    private let portRange: Range<Int>?
    private let pathRange: Range<Int>
    private let queryRange: Range<Int>?
    private let fragmentRange: Range<Int>?

    public init?(_ text: String) {
        var text = text
        guard let parts = text.withUTF8(Self.split) else { return nil }
        self.text = text
        (schemeEnd, userInfoRange, hostRange, portRange, pathRange, queryRange, fragmentRange) = parts
    }

    private static func split(_ bytes: UnsafeBufferPointer<UInt8>)
        -> (Int, Range<Int>?, Range<Int>, Range<Int>?, Range<Int>, Range<Int>?, Range<Int>?)? {
        func first(_ byte: Unicode.Scalar, in range: Range<Int>) -> Int? {
            guard !range.isEmpty, let base = bytes.baseAddress,
                  let found = memchr(base + range.lowerBound, Int32(UInt8(ascii: byte)), range.count) else { return nil }
            return UnsafeRawPointer(found) - UnsafeRawPointer(base)
        }
        func last(_ byte: Unicode.Scalar, in range: Range<Int>) -> Int? {
            range.reversed().first { bytes[$0] == UInt8(ascii: byte) }
        }
        guard let colon = first(":", in: 0..<bytes.count), colon > 0, colon + 3 <= bytes.count,
              bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/") else { return nil }
        guard bytes[..<colon].allSatisfy({ byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }) else { return nil }
        let authorityStart = colon + 3
        var end = bytes.count
        var fragment: Range<Int>?
        if let hash = first("#", in: authorityStart..<end) {
            fragment = (hash + 1)..<end
            end = hash
        }
        var query: Range<Int>?
        if let question = first("?", in: authorityStart..<end) {
            query = (question + 1)..<end
            end = question
        }
        let authorityEnd = first("/", in: authorityStart..<end) ?? end
        var hostStart = authorityStart
        var hostEnd = authorityEnd
        var userInfo: Range<Int>?
        if let at = last("@", in: hostStart..<authorityEnd) {
            userInfo = hostStart..<at
            hostStart = at + 1
        }
        var port: Range<Int>?
        if let portColon = last(":", in: hostStart..<authorityEnd) {
            port = (portColon + 1)..<authorityEnd
            hostEnd = portColon
        }
        guard hostEnd > hostStart else { return nil }
        return (colon, userInfo, hostStart..<hostEnd, port, authorityEnd..<end, query, fragment)
    }

    /// A part as a slice of the text (the offsets are character boundaries: each follows or
    /// precedes an ASCII delimiter), copied only by whoever keeps it.
    private func part(_ range: Range<Int>) -> Substring {
        let utf8 = text.utf8
        return text[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)]
    }

    public var scheme: Substring { part(0..<schemeEnd) }
    public var userInfo: Substring? { userInfoRange.map(part) }
    public var host: Substring { part(hostRange) }
    public var port: Substring? { portRange.map(part) }
    public var path: Substring { part(pathRange) }
    public var query: Substring? { queryRange.map(part) }
    public var fragment: Substring? { fragmentRange.map(part) }

    /// The host's bytes in place, for a comparison that need not make them a `Substring`.
    public func withHostBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        ASCII.withBytes(of: text) { body(UnsafeBufferPointer(rebasing: $0[hostRange])) }
    }

    /// The scheme is https, in any letter case.
    public var isHTTPS: Bool { part(0..<schemeEnd, equalsIgnoringCase: "https") }

    /// The path is `path`, in any letter case.
    public func hasPath(equalIgnoringCase path: StaticString) -> Bool {
        part(pathRange, equalsIgnoringCase: path)
    }

    /// Compared on the bytes in place: every Exchange channel's url is judged so, and making
    /// the part a `Substring` costs more than comparing it.
    private func part(_ range: Range<Int>, equalsIgnoringCase expected: StaticString) -> Bool {
        range.count == expected.utf8CodeUnitCount && ASCII.withBytes(of: text) { bytes in
            ASCII.equalIgnoringCase(UnsafeBufferPointer(rebasing: bytes[range]),
                                    UnsafeBufferPointer(start: expected.utf8Start, count: expected.utf8CodeUnitCount))
        }
    }

    public static func == (lhs: WebAddress, rhs: WebAddress) -> Bool { lhs.text == rhs.text }

    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// The text with its scheme and path replaced and everything else kept.
    public func with(scheme: String, path: String) -> String {
        scheme + part(schemeEnd..<pathRange.lowerBound) + path + part(pathRange.upperBound..<text.utf8.count)
    }
}
