import NexlintCore

struct SyncTargetSettings: Rule {
    static let description = RuleDescription(
        identifier: "EXO012",
        severity: .error,
        title: "Exchange Online sync target with wrong settings",
        summary: """
            An Exchange Online sync target (its `version` is `Exchange Online` or its `host` an \
            Exchange Online host) whose host is not an Exchange Online host, or whose \
            `version`, `method` or `subscriptionType` is not exactly `Exchange Online`, \
            `Impersonation`, `Streaming`. One finding per wrong setting.
            """,
        rationale: """
            Exchange Online supports streaming notifications only, and NexJ reaches its \
            mailboxes through impersonation with the Exchange Online protocol version; other \
            values make subscriptions fail or synchronise nothing.
            """,
        remedy: """
            In the Admin Console (Synchronization → Targets), set Host `outlook.office365.com`, \
            Version `Exchange Online`, Method `Impersonation`, Subscription Type `Streaming`, \
            and mirror them in the `.synctargets` file.
            """,
        triggeringExamples: [
            RuleExample([
                ExampleFile("exchange.synctargets", """
                    <SyncTargets>
                      ↓↓<SyncTarget name="EXO" host="outlook.office365.com" version="Exchange Online"
                        method="Delegation" subscriptionType="Pull" ewsSender="ExchangeEWSSender5"/>
                    </SyncTargets>
                    """),
            ]),
        ],
        nonTriggeringExamples: [
            RuleExample([
                ExampleFile("exchange.synctargets", """
                    <SyncTargets>
                      <SyncTarget name="EXO" host="outlook.office365.com" version="Exchange Online"
                        method="Impersonation" subscriptionType="Streaming" ewsSender="ExchangeEWSSender5"/>
                      <SyncTarget name="OnPremises" host="mail.contoso.com" version="Exchange 2016"
                        method="Impersonation" subscriptionType="Pull" ewsSender="ExchangeOnPremises"/>
                    </SyncTargets>
                    """),
            ]),
        ])

    func check(syncTarget target: SyncTarget, scope: SyncTargetScope, into sink: inout FindingSink) {
        guard target.isExchangeOnline else { return }
        func report(_ problem: String) {
            sink.report("Exchange Online \(target.label): \(problem)", file: target.file, element: target.element)
        }
        if let host = target.host {
            if ExchangeOnline.cloud(ofEWSHost: host) == nil {
                report("host `\(host)` is not an Exchange Online host (\(ExchangeOnline.ewsHosts.joined(separator: ", ")))")
            }
        } else if !target.unresolved.contains("host") {
            report("no host: set host=\"outlook.office365.com\"")
        }
        let settings = [
            ("version", target.version, ExchangeOnline.syncVersion),
            ("method", target.method, ExchangeOnline.syncMethod),
            ("subscriptionType", target.subscriptionType, ExchangeOnline.syncSubscriptionType),
        ]
        // A value from a property nothing defines is NXJ004's.
        for (name, value, required) in settings where value != required && !target.unresolved.contains(name) {
            report(value.map { "\(name) `\($0)` must be `\(required)`" } ?? "no \(name): set \(name)=\"\(required)\"")
        }
    }
}
