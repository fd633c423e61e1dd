@testable import NexlintCore
import Testing

/// The documentation pages are made at the start of every SARIF report, so they are made from
/// bytes and scalars where that gives the same text; these pin the cases where it might not.
@Suite struct RuleDocumentationTests {
    @Test func marksAreRemovedAndEveryOtherCharacterKept() {
        // U+2192 (→) shares its first two UTF-8 bytes with the mark (U+2193).
        let file = ExampleFile("a.environment", "↓<a b=\"→é↓e\u{301}\"/>↓")
        #expect(file.contents == "<a b=\"→ée\u{301}\"/>")
        #expect(file.markedPositions.map(\.column) == [1, 9, 14])
    }

    @Test func wrappedLinesKeepCodeSpansWholeAndCountCharacters() {
        let text = "one two `a b c` three"
        #expect(RuleDocumentation.wrap(text, width: 12, indent: "  ") == "  one two\n  `a b c`\n  three")
        // Five characters, seven bytes: "  " + 5 + " " + 3 is 11, within 11.
        #expect(RuleDocumentation.wrap("cafe\u{301}s abc", width: 11, indent: "  ") == "  cafe\u{301}s abc")
        #expect(RuleDocumentation.wrap("cafe\u{301}s abc", width: 10, indent: "  ") == "  cafe\u{301}s\n  abc")
        #expect(RuleDocumentation.wrap(" \t\n ", width: 10, indent: "  ") == "")
    }
}
