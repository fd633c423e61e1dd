import NexlintCore

struct EWSEndpoint: Rule {
    static let description = RuleDescription(
        identifier: "EXO003",
        severity: .error,
        fix: .safe,
        reads: .httpConnections,
        title: "Exchange Online channel url is not the EWS endpoint",
        summary: """
            An Exchange Online channel whose `url` is missing, not `https`, not on an Exchange \
            Online host (`outlook.office365.com`, `outlook.office.com`, `outlook.office365.us`, \
            `partner.outlook.cn`), on a port other than 443, with a path other than \
            `/EWS/Exchange.asmx` (any case), or with a query, fragment or user information. \
            One finding per channel lists every problem of its url. A url that refers to a \
            property nothing defines is NXJ004's and is not judged here.
            """,
        rationale: """
            EWS answers only at `https://<host>/EWS/Exchange.asmx`; anything else fails every \
            request, and credentials in the URL leak into logs.
            """,
        remedy: """
            Use `https://outlook.office365.com/EWS/Exchange.asmx` (or the host of your cloud). \
            `nexlint lint --fix` corrects the scheme and the path when the host is right and \
            nothing else is wrong.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="http://outlook.office365.com/ews/services.wsdl"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """, fixed: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://mail.contoso.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            // No url at all: the auth component makes it an Exchange Online channel.
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/ews/exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            // The url refers to a property nothing defines: NXJ004 reports it, not this rule.
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="${ews.url}"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        unit.activeExchangeOnlineChannels.forEachBorrowed { channel in
            // A channel has a parsed `url` only when the attribute resolved to an absolute URL:
            // the value itself (a copy of it is an atomic count to take and one to drop) is
            // asked for only when there is none.
            guard let address = channel.url else {
                switch channel["url"] {
                case .unresolved:
                    return
                case .absent:
                    sink.report("no `url`: set url=\"https://\(ExchangeOnline.ewsHost(of: .global))\(ExchangeOnline.ewsPath)\"", on: channel)
                case .value:
                    let host = ExchangeOnline.ewsHost(of: channel.cloud ?? .global)
                    sink.report("url is not an absolute URL\(channel.cloud == nil ? "" : " (it has no scheme)"); use https://\(host)\(ExchangeOnline.ewsPath)", on: channel)
                }
                return
            }
            var fixable: [String] = []
            var other: [String] = []
            if !address.isHTTPS { fixable.append("the scheme is `\(address.scheme)`, not https") }
            if !ExchangeOnline.hasEWSPath(address) {
                fixable.append(address.path.isEmpty ? "it has no path, not \(ExchangeOnline.ewsPath)"
                               : "the path is `\(address.path)`, not \(ExchangeOnline.ewsPath)")
            }
            if channel.cloud == nil {
                other.append("the host `\(address.host)` is not an Exchange Online EWS host")
            }
            if let port = address.port, port != "443" { other.append("the port is \(port), not 443") }
            if address.userInfo != nil { other.append("it carries user information (credentials belong in user and password)") }
            if address.query != nil || address.fragment != nil { other.append("it has a query or fragment") }
            let problems = fixable + other
            guard !problems.isEmpty else { return }
            let fix = other.isEmpty
                ? channel.fix(setting: [AttributeValueChange("url", ExchangeOnline.ewsEndpoint(of: address))])
                : nil
            sink.report("url is not the EWS endpoint: \(problems.joined(separator: "; "))", on: channel, fix: fix)
        }
    }
}
