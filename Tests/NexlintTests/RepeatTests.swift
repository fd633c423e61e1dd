@testable import NexlintCore
import Testing

/// One problem, one finding: equal findings are reported once, and findings that only share a
/// place, rule and message are all kept.
@Suite struct RepeatTests {
    static func finding(_ line: Int, _ message: String, element: String = "HTTPConnection",
                        severity: Severity = .error) -> Finding {
        Finding(ruleID: "EXO001", severity: severity, location: SourceLocation(file: "a.environment", position: SourcePosition(line: line, column: 3)),
                message: FindingMessage(message), channel: "EWS", element: element)
    }

    @Test func equalFindingsAreKeptOnce() {
        var findings = [Self.finding(2, "b"), Self.finding(1, "a"), Self.finding(2, "b"), Self.finding(2, "b", element: "Other"),
                        Self.finding(2, "b", severity: .warning), Self.finding(1, "a"), Self.finding(3, "c")]
        findings.sort()
        Analysis.removeRepeats(&findings)
        let kept = findings.map { "\($0.location.line) \($0.message) \($0.element) \($0.severity)" }
        #expect(kept.count == 5)
        #expect(Set(kept) == ["1 a HTTPConnection error", "2 b HTTPConnection error", "2 b Other error", "2 b HTTPConnection warning",
                              "3 c HTTPConnection error"])
        #expect(Analysis.isStrictlyAscending(findings) == false, "the three kept at line 2 share a sort key")
    }

    /// At one place and rule, findings sort by message, then by channel; none sorts before itself.
    @Test func findingsAtOnePlaceSortByMessageThenChannel() {
        func finding(_ message: String, _ channel: String?) -> Finding {
            Finding(ruleID: "EXO001", severity: .error, location: SourceLocation(file: "a.environment", position: SourcePosition(line: 2, column: 3)),
                    message: FindingMessage(message), channel: channel, element: "HTTPConnection")
        }
        let expected = [finding("a", "Z"), finding("b", nil), finding("b", "A"), finding("b", "B"), finding("c", "A")]
        for _ in 0..<20 {
            var findings = expected.shuffled()
            Analysis.order(&findings)
            #expect(findings.map { "\($0.message) \($0.channel ?? "-")" } == ["a Z", "b -", "b A", "b B", "c A"])
        }
        #expect(expected.allSatisfy { !($0 < $0) })
        #expect(expected[1] < expected[2] && !(expected[2] < expected[1]))
        #expect(expected[0] < expected[4] && !(expected[4] < expected[0]))
    }
}
