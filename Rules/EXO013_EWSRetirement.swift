import NexlintCore

struct EWSRetirement: Rule {
    static let description = RuleDescription(
        identifier: "EXO013",
        severity: .note,
        reads: .httpConnections,
        title: "EWS in Exchange Online is being retired",
        summary: """
            Once per unit with an Exchange Online channel, at the root element of the file \
            holding its first such channel: Microsoft blocks EWS in Exchange Online from \
            1 October 2026 and shuts it down on 1 April 2027, and the ApplicationImpersonation \
            role is retired.
            """,
        rationale: """
            Every Exchange Online channel of NexJ talks EWS. Past the block an administrator \
            must allow-list the application to keep it working, and past the shut-down nothing \
            will; synchronisation has to move to Microsoft Graph (with the \
            `full_access_as_app` permission scoped by RBAC for Applications instead of \
            impersonation).
            """,
        remedy: """
            Plan the move to Microsoft Graph with NexJ. Until then, keep the application on \
            Exchange Online's EWS allow-list. Silence this note per file with \
            `<!-- nexlint-disable-file EXO013 -->` once the plan exists.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                ↓<Environment type="Generic">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"/>
                  </ChannelConnections>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeOnPremises" url="https://mail.contoso.com/EWS/Exchange.asmx"/>
                  </ChannelConnections>
                </Environment>
                """),
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        guard let first = unit.activeExchangeOnlineChannels.first,
              let file = unit.files.first(where: { $0.path == first.file }) else { return }
        sink.report("channel `\(first.name ?? "?")` uses EWS, which Microsoft blocks in Exchange Online from 1 Oct 2026 and shuts down on 1 Apr 2027 (ApplicationImpersonation is already retired): plan the move to Microsoft Graph",
                    file: file.path, element: file.document.root)
    }
}
