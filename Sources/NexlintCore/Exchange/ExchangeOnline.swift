/// Microsoft clouds that host Exchange Online; each has its own EWS host and token authority.
public enum MicrosoftCloud: String, Sendable {
    case global = "global"
    case usGovernment = "US Government"
    case china = "China (21Vianet)"
}

/// What NexJ and Microsoft require of an Exchange Online channel (see the rule pages).
public enum ExchangeOnline {
    public static let authComponent = "rpc:System.Authentication.EXO"
    public static let ewsPath = "/EWS/Exchange.asmx"
    public static let tokenURLProperty = "exo.tokenURL"
    public static let syncVersion = "Exchange Online"
    public static let syncMethod = "Impersonation"
    public static let syncSubscriptionType = "Streaming"

    private static let ewsHosts: [String: MicrosoftCloud] = [
        "outlook.office365.com": .global,
        "outlook.office.com": .global,
        "outlook.office365.us": .usGovernment,
        "partner.outlook.cn": .china,
    ]

    private static let authorities: [String: MicrosoftCloud] = [
        "login.microsoftonline.com": .global,
        "login.microsoftonline.us": .usGovernment,
        "login.partner.microsoftonline.cn": .china,
    ]

    /// The cloud of an EWS host name (any case, a trailing dot allowed), or nil.
    public static func cloud(ofEWSHost host: String) -> MicrosoftCloud? {
        ewsHosts[normalized(host)]
    }

    public static func cloud(ofAuthority host: String) -> MicrosoftCloud? {
        authorities[normalized(host)]
    }

    public static func authority(of cloud: MicrosoftCloud) -> String {
        authorities.first { $0.value == cloud }!.key
    }

    public static func ewsHost(of cloud: MicrosoftCloud) -> String {
        switch cloud {
        case .global: "outlook.office365.com"
        case .usGovernment: "outlook.office365.us"
        case .china: "partner.outlook.cn"
        }
    }

    public static var knownAuthorities: [String] { authorities.keys.sorted() }

    private static func normalized(_ host: String) -> String {
        var lowered = host.lowercased()
        if lowered.hasSuffix(".") { lowered.removeLast() }
        return lowered
    }
}

/// Microsoft's identifiers: 32 hex digits grouped 8-4-4-4-12, any case, no braces.
public enum GUID {
    public static func isWellFormed<S: StringProtocol>(_ text: S) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// True for text that was meant as a GUID (only hex digits, dashes and braces, and long
    /// enough) but is not a well-formed one: it gets the "malformed GUID" message.
    public static func looksIntended<S: StringProtocol>(_ text: S) -> Bool {
        text.count >= 16 && text.allSatisfy { $0.isHexDigit || $0 == "-" || $0 == "{" || $0 == "}" }
    }

    public static func equal(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        lhs.lowercased() == rhs.lowercased()
    }
}

/// A mailbox address as NexJ's service-account user needs it: `local@domain.tld`.
public enum MailboxAddress {
    public static func isWellFormed<S: StringProtocol>(_ text: S) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(where: \.isWhitespace) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return false }
        return labels.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }
            && labels.last!.count >= 2 && labels.last!.allSatisfy(\.isLetter)
    }
}
