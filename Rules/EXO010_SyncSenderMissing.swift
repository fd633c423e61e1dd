import NexlintCore

struct SyncSenderMissing: Rule {
    static let description = RuleDescription(
        identifier: "EXO010",
        severity: .error,
        title: "Sync target's ewsSender names no HTTPConnection",
        summary: """
            An Exchange Online sync target (from a `.synctargets` file) has no `ewsSender`, or \
            its `ewsSender` names no `HTTPConnection` in any unit it applies to: the units of \
            its directory, or every unit its configuration governs for `sync-targets:`, or every \
            unit for `--sync-targets`. A sender that names only connections switched off \
            (`enabled="false"`) is reported too, saying so. One finding per target. Not reported \
            when a file of those units could not be checked (NXJ001, NXJ002, NXJ005, NXJ008): the \
            sender may be in it.
            """,
        rationale: """
            The Admin Console's EWS Sender field picks the channel synchronisation talks \
            through; a name that matches no HTTP connection makes every synchronisation of the \
            target fail.
            """,
        remedy: "Set `ewsSender` to the `channel` name of the Exchange Online HTTPConnection.",
        triggeringExamples: [
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
                      ↓<SyncTarget name="EXO" type="ExchangeEWS" host="outlook.office365.com" version="Exchange Online"
                        method="Impersonation" subscriptionType="Streaming" ewsSender="ExchangeEWSSender"/>
                    </SyncTargets>
                    """),
            ]),
            RuleExample([
                ExampleFile("prod.environment", """
                    <Environment type="Generic">
                      <ChannelConnections>
                        <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx" enabled="false"/>
                      </ChannelConnections>
                    </Environment>
                    """),
                ExampleFile("exchange.synctargets", """
                    <SyncTargets>
                      ↓<SyncTarget name="EXO" type="ExchangeEWS" host="outlook.office365.com" version="Exchange Online"
                        method="Impersonation" subscriptionType="Streaming" ewsSender="ExchangeEWSSender5"/>
                    </SyncTargets>
                    """),
            ]),
        ],
        nonTriggeringExamples: [
            // The unit that would hold the sender cannot be checked (NXJ001): no second finding.
            RuleExample([
                ExampleFile("prod.environment", """
                    <Environment type="Generic">
                      <ChannelConnections>
                        <HTTPConnection channel="ExchangeEWSSender5" password="<client_secret>"/>
                      </ChannelConnections>
                    </Environment>
                    """),
                ExampleFile("exchange.synctargets", """
                    <SyncTargets>
                      <SyncTarget name="EXO" type="ExchangeEWS" host="outlook.office365.com" version="Exchange Online"
                        method="Impersonation" subscriptionType="Streaming" ewsSender="ExchangeEWSSender5"/>
                    </SyncTargets>
                    """),
            ]),
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
                      <SyncTarget name="EXO" type="ExchangeEWS" host="outlook.office365.com" version="Exchange Online"
                        method="Impersonation" subscriptionType="Streaming" ewsSender="ExchangeEWSSender5"/>
                    </SyncTargets>
                    """),
            ]),
        ])

    func check(syncTarget target: SyncTarget, scope: SyncTargetScope, into sink: inout FindingSink) {
        // A sender from a property nothing defines is NXJ004's.
        guard target.isExchangeOnline, !target.unresolved.contains("ewsSender") else { return }
        guard let sender = target.ewsSender, !sender.isEmpty else {
            sink.report("Exchange Online \(target.label) has no ewsSender: set it to the channel name of the Exchange Online HTTPConnection",
                        file: target.file, element: target.element)
            return
        }
        if scope.httpConnectionNames.contains(sender), !scope.enabledHTTPConnectionNames.contains(sender), scope.uncheckedFiles == 0 {
            sink.report("ewsSender `\(sender)` of \(target.label) names only a disabled HTTPConnection (enabled=\"false\"): nothing synchronises through it; enable the channel or name the one in use",
                        file: target.file, element: target.element)
            return
        }
        guard !scope.httpConnectionNames.contains(sender), scope.uncheckedFiles == 0 else { return }
        let why = scope.unitCount == 0 ? "there is no deployment unit in its scope" : "no unit it applies to has an HTTPConnection of that channel name"
        sink.report("ewsSender `\(sender)` of \(target.label) names no HTTPConnection: \(why)",
                    file: target.file, element: target.element)
    }
}
