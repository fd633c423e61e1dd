import NexlintCore

struct UnsyncedChannel: Rule {
    static let description = RuleDescription(
        identifier: "EXO011",
        severity: .warning,
        reads: .httpConnections,
        title: "Exchange Online channel that no sync target uses",
        summary: """
            A unit has at least one Exchange Online sync target, and one of its Exchange Online \
            channels is the `ewsSender` of none of them.
            """,
        rationale: """
            A second Exchange Online channel that synchronisation never uses is usually a \
            leftover or a typo in the target's EWS Sender; either way its credentials sit in \
            the repository for nothing, or the intended channel is not the one in use.
            """,
        remedy: "Point a sync target's `ewsSender` at the channel, or remove the channel.",
        triggeringExamples: [
            RuleExample([
                ExampleFile("prod.environment", """
                    <Environment type="Generic">
                      <ChannelConnections>
                        <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"/>
                        ↓<HTTPConnection channel="ExchangeEWSSenderOld" url="https://outlook.office365.com/EWS/Exchange.asmx"/>
                      </ChannelConnections>
                    </Environment>
                    """),
                ExampleFile("exchange.synctargets", """
                    <SyncTargets>
                      <SyncTarget name="EXO" host="outlook.office365.com" version="Exchange Online"
                        method="Impersonation" subscriptionType="Streaming" ewsSender="ExchangeEWSSender5"/>
                    </SyncTargets>
                    """),
            ]),
        ],
        nonTriggeringExamples: [
            RuleExample([
                ExampleFile("prod.environment", """
                    <Environment type="Generic">
                      <ChannelConnections>
                        <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"/>
                      </ChannelConnections>
                    </Environment>
                    """),
                ExampleFile("exchange.synctargets", """
                    <SyncTargets>
                      <SyncTarget name="EXO" host="outlook.office365.com" version="Exchange Online"
                        method="Impersonation" subscriptionType="Streaming" ewsSender="ExchangeEWSSender5"/>
                    </SyncTargets>
                    """),
            ]),
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        let targets = unit.syncTargets.filter(\.isExchangeOnline)
        // A target whose sender refers to a property nothing defines may name any channel.
        guard !targets.isEmpty, !targets.contains(where: { $0.unresolved.contains("ewsSender") }) else { return }
        let senders = Set(targets.compactMap(\.ewsSender))
        unit.activeExchangeOnlineChannels.forEachBorrowed { channel in
            guard !senders.contains(channel.name ?? "") else { return }
            let names = targets.map(\.label).joined(separator: ", ")
            sink.report("not the ewsSender of any Exchange Online sync target (\(names)), so nothing is synchronised through it", on: channel)
        }
    }
}
