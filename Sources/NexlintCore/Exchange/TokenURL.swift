import NexlintXML

/// `exo.tokenURL` as the password grant needs it: `https://{authority}/{tenant GUID}/oauth2/v2.0/token`.
public struct TokenURL: Sendable, Equatable {
    public var authority: String
    public var cloud: MicrosoftCloud
    public var tenant: String

    public enum Problem: Error, Sendable, Equatable {
        case notAbsoluteURL
        case notHTTPS(scheme: String)
        case extraParts
        case unknownAuthority(String)
        /// Microsoft Cloud Germany's, closed in 2021.
        case closedAuthority(String)
        case version1Path
        case wrongPath(String)
        case placeholderTenant(String)
        case multiTenant(String)
        case domainTenant(String)
        case malformedGUID(String)
        case notGUID(String)
    }

    public static func parse(_ text: String) -> Result<TokenURL, Problem> {
        guard let address = WebAddress(text) else { return .failure(.notAbsoluteURL) }
        guard address.scheme.count == 5, address.scheme.hasSuffixIgnoringCase("https") else {
            return .failure(.notHTTPS(scheme: address.scheme))
        }
        guard address.userInfo == nil, address.query == nil, address.fragment == nil,
              address.port == nil || address.port == "443" else { return .failure(.extraParts) }
        if ExchangeOnline.isClosedGermanAuthority(address.host) { return .failure(.closedAuthority(address.host)) }
        guard let cloud = ExchangeOnline.cloud(ofAuthority: address.host) else {
            return .failure(.unknownAuthority(address.host))
        }
        // `/{tenant}/oauth2/v2.0/token`, the fixed part in any case.
        let path = address.path
        let afterSlash = path.utf8.first == UInt8(ascii: "/") ? path.utf8.index(after: path.utf8.startIndex) : path.utf8.startIndex
        let tenantEnd = path.utf8[afterSlash...].firstIndex(of: UInt8(ascii: "/")) ?? path.utf8.endIndex
        func rest(is expected: String) -> Bool {
            ASCII.equalIgnoringCase(path[tenantEnd...], expected)
        }
        if afterSlash != tenantEnd, rest(is: "/oauth2/token") { return .failure(.version1Path) }
        guard path.utf8.first == UInt8(ascii: "/"), afterSlash != tenantEnd, rest(is: "/oauth2/v2.0/token") else {
            return .failure(.wrongPath(path.isEmpty ? "/" : path))
        }
        let tenant = String(path[afterSlash..<tenantEnd])
        if let problem = tenantProblem(tenant) { return .failure(problem) }
        return .success(TokenURL(authority: address.host.lowercased(), cloud: cloud, tenant: tenant))
    }

    /// The URL `migrate` writes for a tenant in a cloud.
    public static func make(tenant: String, cloud: MicrosoftCloud) -> String {
        make(tenant: tenant, authority: ExchangeOnline.authority(of: cloud))
    }

    /// The v2.0 token endpoint of a tenant at an identity authority (a host).
    public static func make(tenant: String, authority: String) -> String {
        "https://\(authority)/\(tenant)/oauth2/v2.0/token"
    }

    private static let placeholderWords = ["tenant", "application", "app_id", "appid", "your", "xxxx", "guid", "client"]

    private static func tenantProblem(_ tenant: String) -> Problem? {
        if GUID.isWellFormed(tenant) { return nil }
        let lowered = tenant.lowercased()
        if tenant.contains(where: { "<>{}[]".contains($0) }) || placeholderWords.contains(where: lowered.contains) {
            return .placeholderTenant(tenant)
        }
        if ["common", "organizations", "consumers"].contains(lowered) { return .multiTenant(tenant) }
        if tenant.contains(".") { return .domainTenant(tenant) }
        return GUID.looksIntended(tenant) ? .malformedGUID(tenant) : .notGUID(tenant)
    }
}

/// An OAuth channel's `user`: `<application (client) ID>:<service account mailbox>`.
public struct ServiceAccountUser: Sendable, Equatable {
    public var applicationID: String
    public var mailbox: String

    public enum Problem: Error, Sendable, Equatable {
        case noApplicationID
        case tooManyColons(Int)
        case malformedApplicationID(String)
        case malformedMailbox(String)
    }

    public static func parse(_ user: String) -> Result<ServiceAccountUser, Problem> {
        let (colons, first) = ASCII.withBytes(of: user) { bytes in
            (bytes.reduce(0) { $1 == UInt8(ascii: ":") ? $0 + 1 : $0 }, bytes.firstIndex(of: UInt8(ascii: ":")))
        }
        guard colons > 0 else { return .failure(.noApplicationID) }
        guard colons == 1, let first else { return .failure(.tooManyColons(colons)) }
        let colon = user.utf8.index(user.utf8.startIndex, offsetBy: first)
        let application = user[..<colon], mailbox = user[user.utf8.index(after: colon)...]
        guard GUID.isWellFormed(application) else { return .failure(.malformedApplicationID(String(application))) }
        guard MailboxAddress.isWellFormed(mailbox) else { return .failure(.malformedMailbox(String(mailbox))) }
        return .success(ServiceAccountUser(applicationID: String(application), mailbox: String(mailbox)))
    }
}
