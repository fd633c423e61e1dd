@testable import NexlintConfig
import NexlintCore
import Testing

/// The YAML a configuration file may use, as `ConfigurationYAML` reads it.
private func parse(_ text: String) throws -> ConfigurationYAML.Node? {
    try ConfigurationYAML.parse(text)
}

/// A node as nested Swift values, so whole documents compare in one expectation.
private func plain(_ node: ConfigurationYAML.Node?) -> String {
    switch node {
    case nil: "nil"
    case .scalar(let text, _)?: "'\(text)'"
    case .sequence(let items, _)?: "[" + items.map(plain).joined(separator: ", ") + "]"
    case .mapping(let entries, _)?: "{" + entries.map { plain($0.key) + ": " + plain($0.value) }.joined(separator: ", ") + "}"
    }
}

private func problem(_ text: String) -> (line: Int, problem: String)? {
    do {
        _ = try ConfigurationYAML.parse(text)
        return nil
    } catch {
        return (error.line, error.problem)
    }
}

@Suite struct ConfigurationYAMLTests {
    @Test func blockCollectionsByIndentation() throws {
        let text = """
            # nexlint settings
            ---
            rules:
                EXO013: off   # not yet
                EXO008: error
            exclude:
            - archive
            -   "**/*.bak.environment"
            properties:
              exo.tokenURL: https://login.microsoftonline.com/t/oauth2/v2.0/token#x
              empty:
            fail-on: never
            ...
            """
        #expect(plain(try parse(text)) == """
            {'rules': {'EXO013': 'off', 'EXO008': 'error'}, 'exclude': ['archive', '**/*.bak.environment'], \
            'properties': {'exo.tokenURL': 'https://login.microsoftonline.com/t/oauth2/v2.0/token#x', 'empty': ''}, \
            'fail-on': 'never'}
            """)
    }

    @Test func flowCollectionsAndQuotedScalars() throws {
        #expect(plain(try parse("exclude: [a, 'b c', \"d\\\"e\", 'it''s']\n")) == "{'exclude': ['a', 'b c', 'd\"e', 'it's']}")
        #expect(plain(try parse("rules: {EXO001: off, EXO002: note}\r\n")) == "{'rules': {'EXO001': 'off', 'EXO002': 'note'}}")
        #expect(plain(try parse("'quoted key': \"a # not a comment\" # a comment\n")) == "{'quoted key': 'a # not a comment'}")
        #expect(plain(try parse("list: []\nmap: {}\n")) == "{'list': [], 'map': {}}")
    }

    @Test func emptyDocumentsHaveNoRoot() throws {
        #expect(try parse("") == nil)
        #expect(try parse("# only a comment\n\n---\n") == nil)
    }

    @Test func nodesKnowTheirLines() throws {
        guard case .mapping(let entries, let line)? = try parse("\n# c\nrules:\n  EXO001: off\nexclude:\n  - a\n") else {
            Issue.record("not a mapping")
            return
        }
        #expect(line == 3)
        #expect(entries.map(\.key.line) == [3, 5])
        #expect(entries[1].value.line == 6)
    }

    @Test func anchorsAliasesAndBlockScalarsAreReadAsYAMLReadsThem() throws {
        let text = """
            shared: &common
              - archive
              - legacy
            exclude: *common
            note: |
              two
              lines
            folded: >
              one
              line
            tagged: !!str 42
            """
        #expect(plain(try parse(text)) == """
            {'shared': ['archive', 'legacy'], 'exclude': ['archive', 'legacy'], 'note': 'two\nlines\n', \
            'folded': 'one line\n', 'tagged': '42'}
            """)
    }

    @Test func whatIsNotAConfigurationDocumentIsAnErrorWithItsLine() {
        #expect(problem("rules:\n  EXO001: off\n bad: [\n")?.line == 3)
        #expect(problem("a: 1\na: 2\n")! == (2, "duplicate key `a`"))
        #expect(problem("a:\n\t- x\n")?.line == 2)
        #expect(problem("a: [x, y\n")?.line == 2)
        #expect(problem("a: 'open\n")?.line == 2)
        // An error at the end of the input names the last line, not the one after it (found by fuzzing).
        #expect(problem("sync-targets: [ops/rules:\n x. ")?.line == 2)
        #expect(problem("rules:\n  E\rO013: off\n  E\rO013: off\n").map { (1...4).contains($0.line) } == true)
        #expect(problem("a: 1\n---\nb: 2\n")! == (2, "several documents in one file"))
        #expect(problem("a: *nowhere\n")! == (1, "alias `*nowhere` names no anchor"))
        #expect(problem("a:\n    b: 1\n  c: 2\n")?.line == 3)
        #expect(problem(String(repeating: "[", count: 50_000))?.problem == "lists and mappings nest more than 32 deep")
        // Each level doubles the one before: a million million nodes if expanded.
        let laughs = "a: &a [x, x]\n" + (1..<40).map { "l\($0): &l\($0) [*\($0 == 1 ? "a" : "l\($0 - 1)"), *\($0 == 1 ? "a" : "l\($0 - 1)")]\n" }.joined()
        #expect(problem(laughs)?.problem == "aliases expand past 100000 nodes")
    }
}

/// Baselines are read with JSONDecoder: what --write-baseline writes comes back, anything
/// else is a one-line refusal, however it is broken.
@Suite struct BaselineReadingTests {
    @Test func readsWhatTheWriterWrites() throws {
        let baseline = Baseline(entries: [
            Baseline.Entry(file: "quote \" backslash \\ é \u{1F600} \u{2028}.environment", rule: "EXO008", subject: "EWS", count: 2,
                           digests: ["ab", "cd"]),
            Baseline.Entry(file: "a.environment", rule: "NXJ004", subject: "Environment", count: 1, digests: nil),
        ], salt: "0123456789abcdef")
        let read = try BaselineFile.parse(Array(baseline.serialized().utf8), file: "b.json")
        #expect(read.serialized() == baseline.serialized())
        #expect(read.entries.first?.file == "quote \" backslash \\ é \u{1F600} \u{2028}.environment")
    }

    @Test func refusesWhatIsNotABaseline() {
        let entry = #"{"file": "a", "rule": "EXO008", "subject": "S", "count": COUNT}"#
        for text in ["", "{", "[1,]", "\"unterminated", "{\"version\": 1}", "{\"version\": 1, \"entries\": {}}",
                     #"{"version": 1, "entries": [{"file": "a"}]}"#,
                     #"{"version": 1, "entries": [ENTRY]}"#.replacingOccurrences(of: "ENTRY", with: entry.replacingOccurrences(of: "COUNT", with: "1.5")),
                     #"{"version": 1, "entries": [ENTRY]}"#.replacingOccurrences(of: "ENTRY", with: entry.replacingOccurrences(of: "COUNT", with: "99999999999999999999999")),
                     String(repeating: "[", count: 100_000)] {
            #expect(throws: ConfigurationError.self, "\(text.prefix(80))") { try BaselineFile.parse(Array(text.utf8), file: "b.json") }
        }
        #expect(throws: ConfigurationError.self) { try BaselineFile.parse([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], file: "b.json") }
        #expect(throws: ConfigurationError.self) {
            try BaselineFile.parse(Array(#"{"version": 2, "entries": []}"#.utf8), file: "b.json")
        }
    }
}
