import NexlintXML

/// Microsoft clouds that host Exchange Online; each has its own EWS host and token authority.
public enum MicrosoftCloud: String, Sendable {
    case global = "global"
    case usGovernment = "US Government"
    case china = "China (21Vianet)"
}

/// What NexJ and Microsoft require of an Exchange Online channel (see the rule pages).
public enum ExchangeOnline {
    public static let authComponent = "rpc:System.Authentication.EXO"
    /// EWS's path, a literal so that urls are compared with it in place.
    private static let ewsPathLiteral: StaticString = "/EWS/Exchange.asmx"
    public static let ewsPath = ewsPathLiteral.description

    /// Whether a url has EWS's path (in any letter case).
    public static func hasEWSPath(_ address: WebAddress) -> Bool {
        address.hasPath(equalIgnoringCase: ewsPathLiteral)
    }

    /// The url as the EWS endpoint of its host: https, EWS's path (what EXO003's fix and a
    /// migration write).
    public static func ewsEndpoint(of address: WebAddress) -> String {
        address.with(scheme: "https", path: ewsPath)
    }
    public static let tokenURLProperty = "exo.tokenURL"
    public static let syncVersion = "Exchange Online"
    public static let syncMethod = "Impersonation"
    public static let syncSubscriptionType = "Streaming"

    private static let ewsHostTable: [(String, MicrosoftCloud)] = [
        ("outlook.office365.com", .global),
        ("outlook.office.com", .global),
        ("outlook.office365.us", .usGovernment),
        ("partner.outlook.cn", .china),
    ]

    /// The first of a cloud's names is the one `migrate` writes: China's current authority, then
    /// the older name MSAL still uses.
    private static let authorities: [(String, MicrosoftCloud)] = [
        ("login.microsoftonline.com", .global),
        ("login.microsoftonline.us", .usGovernment),
        ("login.partner.microsoftonline.cn", .china),
        ("login.chinacloudapi.cn", .china),
    ]

    /// Microsoft Cloud Germany's authority, closed on 29 October 2021.
    public static let closedGermanAuthority = "login.microsoftonline.de"

    /// Whether a host is that closed authority (any case, a trailing dot allowed).
    public static func isClosedGermanAuthority(_ host: Substring) -> Bool {
        ASCII.withBytes(of: host) { name in
            ASCII.withBytes(of: closedGermanAuthority) { ASCII.equalIgnoringCase(withoutTrailingDot(name), $0) }
        }
    }

    /// The cloud of an EWS host name (any case, a trailing dot allowed), or nil.
    public static func cloud(ofEWSHost host: some StringProtocol) -> MicrosoftCloud? {
        ASCII.withBytes(of: host, cloud(ofEWSHostBytes:))
    }

    /// The same on the host's bytes in place: every HTTP channel's url is judged so, and
    /// making its host a `Substring` to compare cost more than the comparisons.
    public static func cloud(ofEWSHostBytes host: UnsafeBufferPointer<UInt8>) -> MicrosoftCloud? {
        cloud(of: host, in: ewsHostTable)
    }

    /// The cloud of the EWS host a URL written without a scheme starts with
    /// (`outlook.office365.com/EWS/…`, `//outlook.office365.com/…`, a port allowed), or nil.
    public static func cloud(ofURLWithoutScheme text: String) -> MicrosoftCloud? {
        var rest = text.hasPrefix("//") ? text.dropFirst(2) : text[...]
        rest = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let colon = rest.lastIndex(of: ":") { rest = rest[..<colon] }
        return cloud(ofEWSHost: rest)
    }

    public static func cloud(ofAuthority host: some StringProtocol) -> MicrosoftCloud? {
        ASCII.withBytes(of: host) { cloud(of: $0, in: authorities) }
    }

    public static func authority(of cloud: MicrosoftCloud) -> String {
        authorities.first { $0.1 == cloud }!.0
    }

    public static func ewsHost(of cloud: MicrosoftCloud) -> String {
        switch cloud {
        case .global: "outlook.office365.com"
        case .usGovernment: "outlook.office365.us"
        case .china: "partner.outlook.cn"
        }
    }

    public static var knownAuthorities: [String] { authorities.map(\.0).sorted() }

    /// Every EWS host name of every cloud, in table order (the global cloud's first).
    public static var ewsHosts: [String] { ewsHostTable.map(\.0) }

    /// Compared byte by byte in any ASCII case, a trailing dot allowed: every channel's host
    /// goes through here.
    private static func cloud(of host: UnsafeBufferPointer<UInt8>, in table: [(String, MicrosoftCloud)]) -> MicrosoftCloud? {
        let name = withoutTrailingDot(host)
        // By index: a closure over the entries copied each through generic witnesses.
        for index in table.indices where ASCII.withBytes(of: table[index].0, { ASCII.equalIgnoringCase(name, $0) }) {
            return table[index].1
        }
        return nil
    }

    /// A fully qualified host name's final dot (`outlook.office365.com.`) names the same host.
    private static func withoutTrailingDot(_ host: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        host.last == UInt8(ascii: ".") ? UnsafeBufferPointer(rebasing: host.dropLast()) : host
    }
}

/// Microsoft's identifiers: 32 hex digits grouped 8-4-4-4-12, any case, no braces.
public enum GUID {
    public static func isWellFormed<S: StringProtocol>(_ text: S) -> Bool {
        ASCII.withBytes(of: text, isWellFormed(bytes:))
    }

    static func isWellFormed(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 36 else { return false }
        for index in 0..<36 {
            let byte = bytes[index]
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard isHexDigit(byte) else { return false }
            }
        }
        return true
    }

    /// True for text that was meant as a GUID (only hex digits, dashes and braces, and long
    /// enough) but is not a well-formed one: it gets the "malformed GUID" message.
    public static func looksIntended<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.count >= 16 && text.utf8.allSatisfy {
            isHexDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}")
        }
    }

    public static func equal(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        ASCII.equalIgnoringCase(lhs, rhs)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        // Wrapping subtraction: one comparison a range (`| 0x20` lowercases letters).
        byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 6
    }
}

/// A mailbox address as NexJ's service-account user needs it: `local@domain.tld`.
public enum MailboxAddress {
    public static func isWellFormed<S: StringProtocol>(_ text: S) -> Bool {
        ASCII.withBytes(of: text, isWellFormed(bytes:))
    }

    static func isWellFormed(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var atCount = 0
        var localLength = 0
        var label = 0, labels = 0
        var lastLabelLetters = true
        for byte in bytes {
            if byte == UInt8(ascii: "@") {
                atCount += 1
                guard atCount == 1, localLength > 0 else { return false }
                continue
            }
            if ASCII.isWhitespace(byte) { return false }
            guard atCount == 1 else {
                localLength += 1
                continue
            }
            if byte == UInt8(ascii: ".") {
                guard label > 0 else { return false }
                labels += 1
                label = 0
                lastLabelLetters = true
                continue
            }
            let isLetter = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte >= 0x80
            guard isLetter || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-") else { return false }
            if !isLetter { lastLabelLetters = false }
            label += 1
        }
        // At least one dot, no empty label, and a top-level domain of two letters or more.
        return atCount == 1 && labels >= 1 && label >= 2 && lastLabelLetters
    }
}
