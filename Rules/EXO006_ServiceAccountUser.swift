import NexlintCore

struct ServiceAccountUserRule: Rule {
    static let description = RuleDescription(
        identifier: "EXO006",
        severity: .error,
        reads: .httpConnections,
        title: "OAuth channel user is not <application ID>:<mailbox>",
        summary: """
            The `user` of an Exchange Online channel on OAuth is missing or is not \
            `<application GUID>:<mailbox address>`: exactly one colon, a well-formed GUID \
            before it and a `local@domain.tld` address after it. (A Basic channel's user is \
            EXO009's concern: `migrate` reshapes it.)
            """,
        rationale: """
            NexJ's EXO component splits `user` at the colon: the application (client) ID goes \
            into the token request and the mailbox is the service account that signs in. \
            Anything else makes the token request fail.
            """,
        remedy: """
            Write `user="<application (client) ID>:<service account mailbox>"`, for example \
            `0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com`.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
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
        let shape = "<application (client) ID>:<service account mailbox>"
        unit.activeExchangeOnlineChannelsNotOnBasic.forEachBorrowed { channel in
            switch channel["user"] {
            case .absent:
                sink.report("no `user`: set user=\"\(shape)\"", on: channel)
            case .unresolved:
                return
            case .value:
                guard case .failure(let problem)? = channel.serviceAccount else { return }
                let message: FindingMessage = switch problem {
                case .noApplicationID: "user has no application ID: write \(shape)"
                case .tooManyColons(let count): "user has \(count) colons; exactly one separates \(shape)"
                case .malformedApplicationID(let id): "application ID `\(id)` in user is not a well-formed GUID (8-4-4-4-12 hex digits)"
                case .malformedMailbox(let mailbox): "`\(mailbox)` in user is not a mailbox address (local@domain.tld)"
                }
                sink.report(message, on: channel)
            }
        }
    }
}
