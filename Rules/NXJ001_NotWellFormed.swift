import NexlintCore

struct NotWellFormed: Rule {
    static let description = RuleDescription(
        identifier: "NXJ001",
        severity: .error,
        title: "File is not well-formed XML",
        summary: """
            The file cannot be parsed as XML. nexlint reports libxml2's first error, where \
            libxml2 found it, once per file: everything after it follows from it. The file is \
            not checked further. A start tag with more than 512 attributes is reported here \
            too, before libxml2 parses it: libxml2's duplicate check would take time growing \
            with the square of their number.
            """,
        rationale: """
            NexJ refuses to load a malformed environment, so one broken file stops the whole \
            deployment. The commonest cause is copying the vendor's example, whose \
            `<client_secret>`-style placeholders put a literal `<` inside an attribute value.
            """,
        remedy: """
            Fix the XML at the reported position. Replace documentation placeholders such as \
            `<client_secret>` with the real values, and escape a literal `<` or `&` in a value \
            as `&lt;` or `&amp;`.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" password="text:↓<client_secret>:<service_account_password>"/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                </Environment>↓
                """),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" description="R&amp;D &lt;test&gt;">
                  <ChannelConnections/>
                </Environment>
                """),
        ])

    func check(file: NexJFile, into sink: inout FindingSink) {
        guard case .malformed(let error) = file.content else { return }
        let message: FindingMessage = error.isLessThanInAttributeValue
            ? "an attribute value contains an unescaped `<`: a documentation placeholder such as `<client_secret>` was probably left in; put the real value there (escape a literal `<` as `&lt;`)"
            : "not well-formed XML: \(error.message)"
        sink.report(message, file: file.path, at: error.position, subject: "document")
    }
}
