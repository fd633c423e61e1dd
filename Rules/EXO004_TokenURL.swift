import NexlintCore

struct TokenURLRule: Rule {
    static let description = RuleDescription(
        identifier: "EXO004",
        severity: .error,
        reads: .httpConnections,
        title: "exo.tokenURL missing or not a tenant-specific v2.0 token endpoint",
        summary: """
            A unit with an Exchange Online channel on OAuth (not Basic) has no `exo.tokenURL` \
            root property, or its value is not \
            `https://{authority}/{tenant GUID}/oauth2/v2.0/token` with a Microsoft authority \
            (`login.microsoftonline.com`, `login.microsoftonline.us`, \
            `login.partner.microsoftonline.cn` or its older name `login.chinacloudapi.cn`) \
            matching the channels' cloud. Placeholders, `common`/`organizations`/`consumers`, a \
            domain, the v1 path `/oauth2/token`, a malformed GUID and Microsoft Cloud \
            Germany's `login.microsoftonline.de` (closed in 2021) each have their own message. \
            A value set with `--define` counts.
            """,
        rationale: """
            NexJ's EXO component asks this URL for the OAuth token with the password grant, \
            which needs one specific tenant; without it no Exchange request is authorised. The \
            vendor's example shows `<application_ID>` where the tenant ID belongs.
            """,
        remedy: """
            Add `exo.tokenURL="https://login.microsoftonline.com/<tenant ID>/oauth2/v2.0/token"` \
            to the root element, with the Directory (tenant) ID from the Azure app registration's \
            overview page.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                ↓<Environment type="Generic">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                ↓<Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/common/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                ↓<Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                ↓<Environment type="Generic" exo.tokenURL="https://login.microsoftonline.de/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.chinacloudapi.cn/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://partner.outlook.cn/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """, definitions: ["exo.tokenURL": "https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token"]),
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        let oauthChannels = unit.activeExchangeOnlineChannelsNotOnBasic
        guard let first = oauthChannels.first else { return }
        let property = ExchangeOnline.tokenURLProperty
        let holder = unit.properties.external[property] == nil ? unit.rootDefining(property) ?? unit.primary : unit.primary
        func report(_ message: FindingMessage) {
            sink.report(message, file: holder.path, element: holder.document.root)
        }
        guard unit.properties.isDefined(property) else {
            report("no `\(property)` root property, which channel `\(first.name ?? "?")` needs to get its OAuth token: add \(property)=\"\(TokenURL.make(tenant: "<tenant ID>", cloud: .global))\"")
            return
        }
        guard let parsed = unit.tokenURL else { return }
        switch parsed {
        case .failure(let problem):
            report("`\(property)` \(Self.explain(problem))")
        case .success(let tokenURL):
            for channel in oauthChannels {
                guard let cloud = channel.cloud, let host = channel.url?.host, cloud != tokenURL.cloud else { continue }
                report("`\(property)` uses the \(tokenURL.cloud.rawValue) authority `\(tokenURL.authority)` but channel `\(channel.name ?? "?")` talks to the \(cloud.rawValue) cloud (`\(host)`): use \(ExchangeOnline.authority(of: cloud))")
                break
            }
        }
    }

    private static func explain(_ problem: TokenURL.Problem) -> String {
        let shape = TokenURL.make(tenant: "<tenant ID>", cloud: .global)
        switch problem {
        case .notAbsoluteURL: return "is not an absolute URL; expected \(shape)"
        case .notHTTPS(let scheme): return "uses `\(scheme)`; the token endpoint is https only"
        case .extraParts: return "has a port, user information, query or fragment; expected exactly \(shape)"
        case .unknownAuthority(let host):
            return "host `\(host)` is not a Microsoft identity authority (\(ExchangeOnline.knownAuthorities.joined(separator: ", ")))"
        case .closedAuthority(let host):
            return "host `\(host)` is Microsoft Cloud Germany's authority, closed on 29 October 2021: tenants moved to the global cloud, use \(ExchangeOnline.authority(of: .global))"
        case .version1Path: return "uses the v1 endpoint `/oauth2/token`; NexJ's EXO component needs `/oauth2/v2.0/token`"
        case .wrongPath(let path): return "path `\(path)` is not /<tenant ID>/oauth2/v2.0/token"
        case .placeholderTenant(let tenant): return "still holds the placeholder `\(tenant)`: put the directory (tenant) ID GUID there"
        case .multiTenant(let tenant): return "tenant `\(tenant)` is not allowed: the password grant needs the tenant GUID"
        case .domainTenant(let tenant): return "tenant `\(tenant)` is a domain: use the tenant GUID (Directory (tenant) ID in the Azure app registration)"
        case .malformedGUID(let tenant): return "tenant `\(tenant)` is not a well-formed GUID (8-4-4-4-12 hex digits, no braces)"
        case .notGUID(let tenant): return "tenant `\(tenant)` is not a GUID: use the directory (tenant) ID"
        }
    }
}
