import NexlintXML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        guard address.isHTTPS else {
            return .failure(.notHTTPS(scheme: String(address.scheme)))
        }
        guard address.userInfo == nil, address.query == nil, address.fragment == nil,
              address.port == nil || address.port == "443" else { return .failure(.extraParts) }
        let host = address.host
        if ExchangeOnline.isClosedGermanAuthority(host) { return .failure(.closedAuthority(String(host))) }
        guard let cloud = ExchangeOnline.cloud(ofAuthority: host) else {
            return .failure(.unknownAuthority(String(host)))
        }
        // `/{tenant}/oauth2/v2.0/token`, the fixed part in any case.
        let path = address.path
        let startsWithSlash = path.utf8.first == UInt8(ascii: "/")
        let afterSlash = startsWithSlash ? path.utf8.index(after: path.utf8.startIndex) : path.utf8.startIndex
        let tenantLength = ASCII.withBytes(of: path[afterSlash...]) { bytes in
            bytes.firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
        }
        let tenantEnd = path.utf8.index(afterSlash, offsetBy: tenantLength)
        func rest(is expected: String) -> Bool {
            ASCII.equalIgnoringCase(path[tenantEnd...], expected)
        }
        if afterSlash != tenantEnd, rest(is: "/oauth2/token") { return .failure(.version1Path) }
        guard startsWithSlash, afterSlash != tenantEnd, rest(is: "/oauth2/v2.0/token") else {
            return .failure(.wrongPath(path.isEmpty ? "/" : String(path)))
        }
        let tenant = String(path[afterSlash..<tenantEnd])
        if let problem = tenantProblem(tenant) { return .failure(problem) }
        // The authority is a known one, so ASCII: lowercased byte by byte.
        return .success(TokenURL(authority: ASCII.lowercased(host), cloud: cloud, tenant: tenant))
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
    /// The value as written: its parts are slices of it, copied only by whoever keeps them.
    private let text: String
    private let colon: String.Index

    public var applicationID: Substring { text[..<colon] }
    public var mailbox: Substring { text[text.utf8.index(after: colon)...] }

    public enum Problem: Error, Sendable, Equatable {
        case noApplicationID
        case tooManyColons(Int)
        case malformedApplicationID(String)
        case malformedMailbox(String)
    }

    /// Checked on the bytes in place: two rules parse every OAuth channel's user.
    public static func parse(_ user: String) -> Result<ServiceAccountUser, Problem> {
        let colon: Result<Int, Problem> = ASCII.withBytes(of: user) { bytes in
            func colon(from start: Int) -> Int? {
                guard let base = bytes.baseAddress, start < bytes.count,
                      let found = memchr(base + start, Int32(UInt8(ascii: ":")), bytes.count - start) else { return nil }
                return UnsafeRawPointer(found) - UnsafeRawPointer(base)
            }
            guard let first = colon(from: 0) else { return .failure(.noApplicationID) }
            var colons = 1
            var next = colon(from: first + 1)
            while let found = next {
                colons += 1
                next = colon(from: found + 1)
            }
            guard colons == 1 else { return .failure(.tooManyColons(colons)) }
            let application = UnsafeBufferPointer(rebasing: bytes[..<first])
            let mailbox = UnsafeBufferPointer(rebasing: bytes[(first + 1)...])
            guard GUID.isWellFormed(bytes: application) else {
                return .failure(.malformedApplicationID(String(decoding: application, as: UTF8.self)))
            }
            guard MailboxAddress.isWellFormed(bytes: mailbox) else {
                return .failure(.malformedMailbox(String(decoding: mailbox, as: UTF8.self)))
            }
            return .success(first)
        }
        return colon.map { ServiceAccountUser(text: user, colon: user.utf8.index(user.utf8.startIndex, offsetBy: $0)) }
    }
}
