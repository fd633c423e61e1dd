/// An absolute URL split into the parts the rules judge. Deliberately small: it only needs to
/// read `scheme://[user-info@]host[:port][/path][?query][#fragment]`.
public struct WebAddress: Sendable, Hashable {
    public var scheme: String
    public var userInfo: String?
    public var host: String
    public var port: String?
    public var path: String
    public var query: String?
    public var fragment: String?

    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else { return nil }
        scheme = String(text[..<colon])
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else { return nil }
        var rest = text[text.index(colon, offsetBy: 3)...]
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        path = String(rest[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[..<at])
            authority = authority[authority.index(after: at)...]
        }
        if let colon = authority.lastIndex(of: ":") {
            port = String(authority[authority.index(after: colon)...])
            authority = authority[..<colon]
        }
        host = String(authority)
        guard !host.isEmpty else { return nil }
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
