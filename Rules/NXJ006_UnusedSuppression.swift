import NexlintCore

struct UnusedSuppression: Rule {
    static let description = RuleDescription(
        identifier: "NXJ006",
        severity: .warning,
        title: "Suppression comment that suppresses nothing",
        summary: """
            A `<!-- nexlint-disable-next-line ID: reason -->` or \
            `<!-- nexlint-disable-file ID -->` comment that matched no finding, names an \
            unknown rule, names none, or is not one of these two directives. One finding per \
            comment, at the comment. Suppressions of rules not enabled in the run (see \
            `--select`/`--ignore`) are not reported.
            """,
        rationale: """
            A stale suppression hides the next real problem of that rule at that place, and a \
            misspelt one suppresses nothing while looking as if it did.
            """,
        remedy: "Delete the comment, or correct its directive or rule IDs.",
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    ↓<!-- nexlint-disable-next-line NXJ003: kept for the old queue -->
                    <MailConnection channel="Mail" host="smtp.contoso.com"/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic">
                  ↓<!-- nexlint-disable-fil NXJ003 -->
                  <ChannelConnections/>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    <MailConnection channel="Mail" host="smtp.contoso.com"/>
                    <!-- nexlint-disable-next-line NXJ003: the second one overrides the first on purpose -->
                    <MailConnection channel="Mail" host="smtp2.contoso.com"/>
                  </ChannelConnections>
                </Environment>
                """),
        ])

    func check(suppressions: [SuppressionOutcome], into sink: inout FindingSink) {
        let identifier = sink.ruleID
        for outcome in suppressions where outcome.suppressedNothing {
            let suppression = outcome.suppression
            // A suppression of this rule is never reported by it: that would be circular.
            guard !suppression.ruleIDs.contains(identifier) || suppression.unknownDirective != nil else { continue }
            sink.report(Self.message(for: outcome), file: suppression.file, at: suppression.position, subject: "comment")
        }
    }

    private static func message(for outcome: SuppressionOutcome) -> FindingMessage {
        let suppression = outcome.suppression
        if let directive = suppression.unknownDirective {
            return "`\(directive)` is not a nexlint directive (use \(Suppression.nextLineDirective) or \(Suppression.fileDirective))"
        }
        if suppression.ruleIDs.isEmpty { return "the suppression names no rule" }
        if case .nextElement(nil) = suppression.scope, outcome.unknownRuleIDs.isEmpty { return "no element follows the suppression" }
        // Both are said when both hold: unknown rules, and known ones that matched nothing.
        var parts: [String] = []
        if !outcome.unknownRuleIDs.isEmpty {
            parts.append("names unknown rule \(outcome.unknownRuleIDs.map { id in "`\(id)`" + (outcome.suggestions[id].map { " (did you mean `\($0)`?)" } ?? "") }.joined(separator: ", "))")
        }
        if !outcome.unusedRuleIDs.isEmpty {
            let ids = outcome.unusedRuleIDs.joined(separator: ", ")
            switch suppression.scope {
            case .nextElement(let target?): parts.append("matches no \(ids) finding on the element at line \(target.line)")
            case .nextElement(nil): parts.append("matches no \(ids) finding (no element follows it)")
            default: parts.append("matches no \(ids) finding in this file")
            }
        }
        return "the suppression \(parts.joined(separator: " and "))"
    }
}
