import NexlintCore

struct CustomAuthComponent: Rule {
    static let description = RuleDescription(
        identifier: "EXO001",
        severity: .error,
        fix: .safe,
        reads: .httpConnections,
        title: "OAuth channel without NexJ's Exchange Online auth component",
        summary: """
            An Exchange Online channel with `authentication="custom"` whose `authComponent` is \
            missing or is not `rpc:System.Authentication.EXO`; or a channel whose \
            authentication mode is neither custom nor Basic (`none`, `certificate`, a misspelt \
            `Custom`: values are case-sensitive). Basic modes are EXO009's. A channel without \
            `authComponent` inherits the root element's, as NexJ does: the EXO component there \
            passes; another one there is reported, saying it is inherited.
            """,
        rationale: """
            With `custom`, NexJ hands authentication to the component `authComponent` names; \
            only `rpc:System.Authentication.EXO` fetches the OAuth token Exchange Online \
            requires. Any other mode cannot sign in to Exchange Online at all.
            """,
        remedy: """
            Set `authentication="custom"` and `authComponent="rpc:System.Authentication.EXO"`. \
            `nexlint lint --fix` sets a missing or wrong `authComponent`.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """, fixed: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="
                      authComponent="rpc:System.Authentication.EXO"/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="Custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic" authComponent="rpc:System.Authentication.NTLM"
                  exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """, fixed: """
                <Environment type="Generic" authComponent="rpc:System.Authentication.NTLM"
                  exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="
                      authComponent="rpc:System.Authentication.EXO"/>
                  </ChannelConnections>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            // The root's component is inherited (NexJ: the channel's, else the environment's).
            RuleExample(environment: """
                <Environment type="Generic" authComponent="rpc:System.Authentication.EXO"
                  exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom"
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
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        unit.activeExchangeOnlineChannels.forEachBorrowed { channel in
            switch channel.authentication {
            case .custom:
                // Most name the component as it is, which needs no copy to be judged.
                if channel.attribute("authComponent", isLiterally: ExchangeOnline.authComponent) { return }
                // Made only for a finding: most channels have none.
                func fix() -> Fix? { channel.fix(setting: [AttributeValueChange("authComponent", ExchangeOnline.authComponent)]) }
                switch channel["authComponent"] {
                case .absent:
                    // NexJ: a channel without one uses the environment's (the root's).
                    switch unit.properties.value(of: "authComponent")?.text {
                    case nil:
                        sink.report("custom authentication without `authComponent`: set authComponent=\"\(ExchangeOnline.authComponent)\"",
                                    on: channel, fix: fix())
                    case ExchangeOnline.authComponent?:
                        break
                    case let inherited?:
                        sink.report("no `authComponent`, so it inherits the root element's `\(inherited)`, which is not `\(ExchangeOnline.authComponent)`, the component that fetches Exchange Online's OAuth token: set it on the channel",
                                    on: channel, fix: fix())
                    }
                case .value(let component) where component != ExchangeOnline.authComponent:
                    sink.report("authComponent `\(component)` is not `\(ExchangeOnline.authComponent)`, the component that fetches Exchange Online's OAuth token",
                                on: channel, fix: fix())
                case .value, .unresolved:
                    break
                }
            case .other(let mode) where ["custom", "basic", "proactive"].contains(mode.lowercased()):
                sink.report("authentication `\(mode)` is not a NexJ authentication mode (values are case-sensitive): use `custom` with authComponent=\"\(ExchangeOnline.authComponent)\"",
                            on: channel)
            case .other(let mode):
                sink.report("authentication `\(mode)` cannot sign in to Exchange Online: use authentication=\"custom\" with authComponent=\"\(ExchangeOnline.authComponent)\"",
                            on: channel)
            case .basic, .unresolved:
                break
            }
        }
    }
}
