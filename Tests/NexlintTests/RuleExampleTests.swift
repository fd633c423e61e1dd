import Foundation
import Testing
import NexlintCore
import NexlintRules

/// Runs every rule's documented examples: adding a rule with broken examples fails here.
@Suite struct RuleExampleTests {
    static let identifiers = RuleCatalog.all.map { type(of: $0).description.identifier }

    private static func description(_ id: String) -> RuleDescription {
        type(of: RuleCatalog.all.first { type(of: $0).description.identifier == id }!).description
    }

    @Test func catalogueHoldsExactlyTheSpecifiedRules() {
        // EXO014 of the spec comes with its issue (#16).
        let expected = (1...8).map { "NXJ00\($0)" } + (1...13).map { String(format3: $0) }
        #expect(Set(Self.identifiers) == Set(expected))
        #expect(Self.identifiers.count == expected.count)
        #expect(Self.identifiers == Self.identifiers.sorted())
    }

    @Test(arguments: identifiers)
    func ruleIsDocumented(_ id: String) {
        let rule = Self.description(id)
        #expect(!rule.title.isEmpty && !rule.summary.isEmpty && !rule.rationale.isEmpty && !rule.remedy.isEmpty)
        #expect(!rule.triggeringExamples.isEmpty, "\(id) needs a failing example")
        #expect(!rule.nonTriggeringExamples.isEmpty, "\(id) needs a passing example")
        let page = RuleDocumentation.page(for: rule)
        for heading in ["What it finds", "Why it matters", "How to fix it", "Failing example", "Passing example"] {
            #expect(page.contains(heading))
        }
    }

    @Test(arguments: identifiers)
    func triggeringExamplesTrigger(_ id: String) {
        for example in Self.description(id).triggeringExamples {
            let findings = lint(example.files, definitions: example.definitions).filter { $0.ruleID == id }
            #expect(!findings.isEmpty, "\(id) did not trigger on \(example.files.map(\.contents))")
            for finding in findings {
                let file = example.files.first { $0.name == finding.location.file }!
                // Findings sit on a start tag's `<` (or a comment's); NXJ001 and NXJ002
                // report where parsing stopped or the file's start.
                if !["NXJ001", "NXJ002"].contains(id) {
                    #expect(file.contents.character(at: finding.location.position) == "<",
                            "\(id) reported at \(finding.location.position), not on a tag")
                }
                #expect(!finding.message.isEmpty)
            }
        }
    }

    @Test(arguments: identifiers)
    func nonTriggeringExamplesStayQuiet(_ id: String) {
        for example in Self.description(id).nonTriggeringExamples {
            let findings = lint(example.files, definitions: example.definitions).filter { $0.ruleID == id }
            #expect(findings.isEmpty, "\(id) triggered on its passing example: \(findings.map(\.message))")
        }
    }

    /// The loader keeps only the attributes the rules read; no rule may lose a finding to that.
    @Test(arguments: identifiers)
    func attributeSelectionKeepsWhatRulesRead(_ id: String) {
        let rule = Self.description(id)
        for example in rule.triggeringExamples + rule.nonTriggeringExamples {
            #expect(lint(example.files, definitions: example.definitions)
                    == lint(example.files, definitions: example.definitions, options: ConfigLoader.parseEverything))
        }
    }

    @Test func attributeSelectionKeepsWhatRulesReadInTheSamples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let samples = root.appendingPathComponent("Samples")
        let files = try FileManager.default.subpathsOfDirectory(atPath: samples.path).sorted()
            .filter { ConfigKind(path: $0) != nil }
            .map { ExampleFile($0, String(decoding: try Data(contentsOf: samples.appendingPathComponent($0)), as: UTF8.self)) }
        #expect(files.count > 20)
        #expect(lint(files) == lint(files, options: ConfigLoader.parseEverything))
    }

    @Test(arguments: identifiers)
    func messagesNeverContainSecrets(_ id: String) {
        let rule = Self.description(id)
        for example in rule.triggeringExamples + rule.nonTriggeringExamples {
            let secrets = example.files.flatMap { file in Self.secrets(in: file.contents) }
            for finding in lint(example.files, definitions: example.definitions) {
                for secret in secrets {
                    #expect(!finding.message.contains(secret), "\(finding.ruleID) message shows a secret")
                }
            }
        }
    }

    /// Every password value of a file and the two parts it decodes to (documentation
    /// placeholders such as `<client_secret>` are not secrets).
    static func secrets(in contents: String) -> [String] {
        var found: [String] = []
        var rest = Substring(contents)
        while let range = rest.firstRange(of: "assword=\"") {
            let value = rest[range.upperBound...].prefix { $0 != "\"" }
            rest = rest[range.upperBound...]
            guard !value.isEmpty, !value.hasPrefix("master:"), !value.hasPrefix("${"), !value.contains("<") else { continue }
            found.append(String(value))
            if case .reversible(_, let decoded?) = PasswordValue(String(value)) {
                let parts = PasswordValue.splitCredentials(decoded).map { [$0.secret, $0.password] } ?? [Substring(decoded)]
                found += parts.map(String.init).filter { $0.count >= 4 }
            }
        }
        return found
    }
}

private extension String {
    init(format3 number: Int) {
        self = "EXO" + String(repeating: "0", count: 3 - String(number).count) + String(number)
    }
}
