import NexlintCore

struct SecureTransport: Rule {
    static let description = RuleDescription(
        identifier: "EXO002",
        severity: .error,
        fix: .safe,
        reads: .httpConnections,
        title: "Exchange Online channel without an explicit secure=\"true\"",
        summary: """
            An Exchange Online channel whose `secure` attribute is missing or is not exactly \
            `true`. A missing `secure` inherits the root's `secureTransport` at run time; the \
            message says which value that gives.
            """,
        rationale: """
            The vendor's Exchange Online set-up requires `secure="true"` on the channel. \
            Relying on the inherited `secureTransport` means one change on the root element \
            sends the service account's credentials and every mailbox's mail without TLS.
            """,
        remedy: "Write `secure=\"true\"` on the channel. `nexlint lint --fix` does it.",
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" secureTransport="false" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """, fixed: """
                <Environment type="Generic" secureTransport="false" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="
                      secure="true"/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx" secure="false"
                      authentication="basic" user="svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """, fixed: """
                <Environment type="Generic">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true"
                      authentication="basic" user="svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        unit.activeExchangeOnlineChannels.forEachBorrowed { channel in
            // Most say secure="true", which needs no copy to be judged.
            if channel.attribute("secure", isLiterally: "true") { return }
            // Made only for a finding: most channels have none.
            func fix() -> Fix? { channel.fix(setting: [AttributeValueChange("secure", "true")]) }
            switch channel["secure"] {
            case .absent:
                let inherited: String
                switch unit.properties.value(of: "secureTransport")?.text {
                case nil where unit.properties.isDefined("secureTransport"):
                    inherited = "the root's secureTransport refers to a property nothing defines, so its value is unknown"
                case nil: inherited = "the root sets no secureTransport, so it is true by default"
                case "true"?: inherited = "the root's secureTransport is true"
                case let other?: inherited = "the root's secureTransport is `\(other)`, so it is NOT secure"
                }
                sink.report("no `secure` attribute: it inherits the root's secureTransport (\(inherited)); Exchange Online requires secure=\"true\" on the channel",
                            on: channel, fix: fix())
            case .value("true"), .unresolved:
                break
            case .value("false"):
                sink.report("secure=\"false\" sends Exchange credentials and mail without TLS; Exchange Online requires secure=\"true\"",
                            on: channel, fix: fix())
            case .value(let other) where other.lowercased() == "true":
                sink.report("secure=`\(other)` is not `true` (values are case-sensitive); Exchange Online requires secure=\"true\"",
                            on: channel, fix: fix())
            case .value(let other):
                sink.report("secure=`\(other)` is not a boolean NexJ reads as true (only `true` is); Exchange Online requires secure=\"true\"",
                            on: channel, fix: fix())
            }
        }
    }
}
