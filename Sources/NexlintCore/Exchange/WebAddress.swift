/// An absolute URL split into the parts the rules judge. Deliberately small: it only needs to
/// read `scheme://[user-info@]host[:port][/path][?query][#fragment]`. It works on UTF-8
/// bytes: every Exchange channel's url goes through it.
public struct WebAddress: Sendable, Hashable {
    public var scheme: String
    public var userInfo: String?
    public var host: String
    public var port: String?
    public var path: String
    public var query: String?
    public var fragment: String?

    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0,
              colon + 2 < bytes.count || colon + 2 == bytes.count,
              bytes[colon...].starts(with: [UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "/")]) else { return nil }
        guard bytes[..<colon].allSatisfy({ byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }) else { return nil }
        scheme = string(0..<colon)
        var end = bytes.count
        if let hash = bytes[(colon + 3)...].firstIndex(of: UInt8(ascii: "#")) {
            fragment = string((hash + 1)..<end)
            end = hash
        }
        if let question = bytes[(colon + 3)..<end].firstIndex(of: UInt8(ascii: "?")) {
            query = string((question + 1)..<end)
            end = question
        }
        let authorityEnd = bytes[(colon + 3)..<end].firstIndex(of: UInt8(ascii: "/")) ?? end
        var hostStart = colon + 3
        var hostEnd = authorityEnd
        path = string(authorityEnd..<end)
        if let at = bytes[hostStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) {
            userInfo = string(hostStart..<at)
            hostStart = at + 1
        }
        if let portColon = bytes[hostStart..<authorityEnd].lastIndex(of: UInt8(ascii: ":")) {
            port = string((portColon + 1)..<authorityEnd)
            hostEnd = portColon
        }
        guard hostEnd > hostStart else { return nil }
        host = string(hostStart..<hostEnd)
    }

    /// The text with its scheme and path replaced and everything else kept.
    public func with(scheme: String, path: String) -> String {
        var text = scheme + "://"
        if let userInfo { text += userInfo + "@" }
        text += host
        if let port { text += ":" + port }
        text += path
        if let query { text += "?" + query }
        if let fragment { text += "#" + fragment }
        return text
    }
}
