import NexlintCore

struct BasicAuthentication: Rule {
    static let description = RuleDescription(
        identifier: "EXO009",
        severity: .error,
        fix: .migrate,
        reads: .httpConnections,
        title: "Exchange Online channel uses Basic authentication",
        summary: """
            An Exchange Online channel with `authentication="basic"`, `"proactive"`, or no \
            `authentication` attribute (whose default is basic). Such a channel is not also \
            checked by EXO001, EXO006 or EXO007: its user and password are Basic-shaped by \
            nature, and `nexlint migrate` reshapes them.
            """,
        rationale: """
            Microsoft turned Basic authentication off for EWS in Exchange Online from \
            1 October 2022: every request of this channel is refused, so mail and calendar \
            synchronisation stop for every user.
            """,
        remedy: """
            Run `nexlint migrate --tenant-id <tenant GUID> --app-id <application GUID>` to turn \
            the channel into an OAuth channel (custom authentication with NexJ's EXO component, \
            user `<app ID>:<mailbox>`, password `text:<client secret>:<password>`) and add \
            `exo.tokenURL` to the root.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" user="svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            // A URL without a scheme still names Exchange Online.
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender" url="outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="basic" user="svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender" url="//outlook.office365.com:443/EWS/Exchange.asmx"
                      secure="true" user="svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeOnPremises" url="https://mail.contoso.com/EWS/Exchange.asmx"
                      secure="true" authentication="basic" user="svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                    <HTTPConnection channel="OnPremisesWithoutScheme" url="mail.contoso.com/EWS/Exchange.asmx"
                      secure="true" authentication="basic" user="svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                    <HTTPConnection channel="RetiredSender" enabled="false" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="basic" user="svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        unit.activeExchangeOnlineChannels.forEachBorrowed { channel in
            guard case .basic(let mode) = channel.authentication else { return }
            // Pieces already held, not a new string: a legacy repository has thousands of these.
            let how = mode.map { ("authentication=\"", $0, "\"") } ?? ("no authentication attribute, whose default is basic", "", "")
            sink.report("Basic authentication (\(how.0)\(how.1)\(how.2)), which Exchange Online has refused since 1 Oct 2022: migrate it to OAuth with `nexlint migrate`",
                        on: channel)
        }
    }
}
