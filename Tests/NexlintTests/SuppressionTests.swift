import Testing
import NexlintCore

@Suite struct SuppressionTests {
    private let duplicate = """
        <Environment>
          <ChannelConnections>
            <MailConnection channel="M"/>
            %COMMENT%
            <MailConnection
                channel="M"/>
          </ChannelConnections>
        </Environment>
        """

    /// The rules these cases are about (by ID and prefix, so a rule added to the catalogue
    /// changes nothing here).
    private func findings(_ comment: String, selection: RuleSelection = RuleSelection(select: ["NXJ003", "NXJ006", "EXO"])) -> [Finding] {
        lint([ExampleFile("t.environment", duplicate.replacingOccurrences(of: "%COMMENT%", with: comment))], selection: selection)
    }

    @Test func nextLineSuppressesTheFollowingStartTagEvenAcrossLines() {
        #expect(findings("<!-- nexlint-disable-next-line NXJ003: intended -->").isEmpty)
        #expect(findings("<!--nexlint-disable-next-line EXO002,NXJ003-->").map(\.ruleID) == ["NXJ006"])
    }

    @Test func fileSuppressionWorksAnywhere() {
        #expect(findings("<!-- nexlint-disable-file NXJ003 -->").isEmpty)
    }

    @Test func unusedSuppressionsAreReportedAtTheComment() {
        let unused = findings("<!-- nexlint-disable-next-line NXJ003, EXO002: why -->")
        #expect(unused.map(\.ruleID) == ["NXJ006"])
        #expect(unused.first?.location.position == SourcePosition(line: 4, column: 5))
        #expect(unused.first?.message.contains("EXO002") == true)
    }

    @Test func malformedSuppressionsAreReported() {
        let typo = findings("<!-- nexlint-disable-nextline NXJ003 -->")
        #expect(Set(typo.map(\.ruleID)) == ["NXJ003", "NXJ006"])
        #expect(typo.first { $0.ruleID == "NXJ006" }?.message.contains("nexlint-disable-nextline") == true)
        #expect(findings("<!-- nexlint-disable-next-line NXJ033 -->").first { $0.ruleID == "NXJ006" }?.message.contains("NXJ033") == true)
        #expect(findings("<!-- nexlint-disable-file -->").first { $0.ruleID == "NXJ006" }?.message.contains("names no rule") == true)
    }

    @Test func ordinaryCommentsAreNotSuppressions() {
        #expect(findings("<!-- nexlint: see ticket 12 -->").map(\.ruleID) == ["NXJ003"])
        #expect(findings("<!-- the second Mail wins -->").map(\.ruleID) == ["NXJ003"])
    }

    /// Rule IDs are read in any case; one that is not ASCII is uppercased as Swift does (ß is
    /// SS) and is unknown. Each suppression is judged on its own IDs, however the one before
    /// it was judged.
    @Test func ruleIDsAreReadInAnyCaseAndEachSuppressionOnItsOwn() {
        #expect(findings("<!-- nexlint-disable-next-line nxj003: intended -->").isEmpty)
        #expect(findings("<!-- nexlint-disable-next-line Nxj003, exo002 -->").first?.message.contains("EXO002") == true)
        let notASCII = findings("<!-- nexlint-disable-next-line exo00ß -->").filter { $0.ruleID == "NXJ006" }
        #expect(notASCII.count == 1 && notASCII[0].message.contains("names unknown rule `EXO00SS`"))
        let three = findings("""
            <!-- nexlint-disable-next-line EXO002 -->
            <!-- nexlint-disable-next-line NXJ033 -->
            <!-- nexlint-disable-next-line EXO002, NXJ003 -->
            """)
        let unused = three.filter { $0.ruleID == "NXJ006" }
        #expect(three.filter { $0.ruleID == "NXJ003" }.isEmpty)
        #expect(unused.count == 3)
        #expect(unused.filter { $0.message.contains("names unknown rule `NXJ033`") }.count == 1)
        #expect(unused.filter { $0.message.contains("EXO002") }.count == 2)
        #expect(unused.filter { $0.message.contains("unknown") }.count == 1)
    }

    @Test func suppressionsOfRulesNotRunAreNotReported() {
        let selected = RuleSelection(select: ["EXO"])
        #expect(findings("<!-- nexlint-disable-next-line NXJ003 -->", selection: selected).isEmpty)
    }
}
