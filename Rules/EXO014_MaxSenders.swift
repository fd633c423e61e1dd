import NexlintCore

struct MaxSenders: Rule {
    static let description = RuleDescription(
        identifier: "EXO014",
        severity: .warning,
        reads: .httpConnections,
        title: "Exchange Online channel without maxSenders",
        summary: """
            An enabled Exchange Online channel without a `maxSenders` attribute, or whose \
            `maxSenders` is empty or not a whole number of at least 1. (A value from a \
            property that nothing defines is NXJ004's.)
            """,
        rationale: """
            Exchange Online delivers change notifications only by streaming, and NexJ's \
            channel settings for Exchange Online require `maxSenders` when notifications \
            stream: it bounds the connections the channel opens to send and subscribe. Left \
            to its default, synchronisation of a few hundred mailboxes queues behind too few \
            senders, and mail and calendar updates arrive late or time out.
            """,
        remedy: """
            Set `maxSenders` on the HTTPConnection to the number of synchronised users \
            divided by 10, rounded up (NexJ's sizing): `maxSenders="20"` for 200 users. Review \
            it when the number of synchronised users grows.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx" maxSenders="0"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx" maxSenders=""
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
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx" maxSenders="${exo.senders}"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                    <HTTPConnection channel="OldSender" url="https://outlook.office365.com/EWS/Exchange.asmx" enabled="false"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """, definitions: ["exo.senders": "20"]),
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        unit.activeExchangeOnlineChannels.forEachBorrowed { channel in
            // Pieces already held, not a message of its own: a legacy repository has thousands.
            let problem: (String, String, String)
            switch channel["maxSenders"] {
            case .unresolved:
                return
            case .absent:
                problem = ("no `maxSenders`", "", "")
            case .value(let value) where value.isEmpty:
                problem = ("an empty `maxSenders`", "", "")
            case .value(let value):
                if let senders = Int(value), senders >= 1 { return }
                problem = ("`maxSenders` is `", value, "`, not a number of senders")
            }
            sink.report("\(problem.0)\(problem.1)\(problem.2): Exchange Online notifications stream, and NexJ needs maxSenders set for streaming; size it at one sender per ten synchronised users (maxSenders=\"20\" for 200)",
                        on: channel)
        }
    }
}
