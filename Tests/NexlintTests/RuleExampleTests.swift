import Foundation
import Testing
import NexlintCore
import NexlintRules

/// Runs every rule's documented examples: adding a rule with broken examples fails here.
@Suite struct RuleExampleTests {
    static let identifiers = RuleCatalog.all.map { type(of: $0).description.identifier }

    static func description(_ id: String) -> RuleDescription {
        type(of: RuleCatalog.all.first { type(of: $0).description.identifier == id }!).description
    }

    /// Nothing here lists the rules: the catalogue is whatever Rules/ holds, one rule per file,
    /// each file named after its rule's identifier, identifiers unique and well-formed.
    @Test func catalogueIsOneRulePerFileUnderRules() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Run.packageRoot.appendingPathComponent("Rules").path)
            .filter { $0.hasSuffix(".swift") }
        #expect(Set(RuleCatalog.entries.map(\.file)) == Set(files))
        #expect(RuleCatalog.entries.count == files.count)
        for entry in RuleCatalog.entries {
            let id = type(of: entry.rule).description.identifier
            #expect(entry.file.hasPrefix(id + "_"), "\(entry.file) holds \(id)")
            #expect(id.wholeMatch(of: /(NXJ|EXO)[0-9]{3}/) != nil, "\(id) is not an identifier like EXO001")
        }
        #expect(Set(Self.identifiers).count == Self.identifiers.count)
        #expect(Self.identifiers == Self.identifiers.sorted())
    }

    /// The generator finds a rule however it is declared, and refuses a file with none or two,
    /// or one that reaches past the model into the XML layer.
    @Test func generatorFindsEachRuleAndRefusesAFileWithNoneOrTwo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let generator = Run.binary.deletingLastPathComponent().appendingPathComponent("RuleCatalogGenerator")
        func generate(_ sources: [String: String]) throws -> Run {
            var paths: [String] = []
            for (name, source) in sources {
                let url = directory.appendingPathComponent(name)
                try source.write(to: url, atomically: true, encoding: .utf8)
                paths.append(url.path)
            }
            return try Run([directory.appendingPathComponent("out.swift").path] + paths, executable: generator)
        }
        let accepted = try generate([
            "A.swift": "final class First: Sendable, Rule {}",
            "B.swift": "package struct Second: NexlintCore.Rule {}",
            "C.swift": "struct Third {}\nextension Third: Rule {}",
            "D.swift": "// struct NotARule: Rule\nlet text = \"struct Neither: Rule\"\npublic enum Fourth: Rule {}",
        ])
        #expect(accepted.status == 0, "\(accepted.errors)")
        let generated = try String(contentsOf: directory.appendingPathComponent("out.swift"), encoding: .utf8)
        for line in ["(First(), \"A.swift\")", "(Second(), \"B.swift\")", "(Third(), \"C.swift\")", "(Fourth(), \"D.swift\")"] {
            #expect(generated.contains(line))
        }
        #expect(!generated.contains("NotARule") && !generated.contains("Neither"))
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            try FileManager.default.removeItem(at: directory.appendingPathComponent(file))
        }
        let refused = try generate(["None.swift": "struct Helper {}", "Two.swift": "struct A: Rule {}\nstruct B: Rule {}",
                                    "Layer.swift": "import NexlintCore\n@testable import NexlintXML\nstruct C: Rule {}"])
        #expect(refused.status == 1)
        #expect(refused.errors.contains("None.swift:1: error: declares no rule"))
        #expect(refused.errors.contains("Two.swift:1: error: declares 2 rules (A, B)"))
        #expect(refused.errors.contains("Layer.swift:1: error: imports NexlintXML: a rule reads files through NexlintCore's model"))
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

    /// Each failing example gives the rule's findings exactly at its `↓` marks: same files,
    /// lines and columns, as many as there are marks.
    @Test(arguments: identifiers)
    func triggeringExamplesTriggerWhereMarked(_ id: String) {
        for example in Self.description(id).triggeringExamples {
            let expected = example.files.flatMap { file in file.markedPositions.map { "\(file.name):\($0)" } }.sorted()
            #expect(!expected.isEmpty, "\(id): a failing example marks its findings with ↓")
            let findings = lint(example.files, definitions: example.definitions).filter { $0.ruleID == id }
            #expect(findings.map { "\($0.location.file):\($0.location.position)" }.sorted() == expected,
                    "\(id) on \(example.files.map(\.contents))")
            #expect(findings.allSatisfy { !$0.message.isEmpty })
        }
    }

    /// A fixable rule shows what its fixes do: one pass over a failing example gives exactly
    /// the fixed text, which parses and leaves the rule nothing to report.
    @Test(arguments: identifiers)
    func fixesGiveTheFixedTextInOnePass(_ id: String) throws {
        let rule = Self.description(id)
        let fixedExamples = rule.triggeringExamples.filter { !$0.fixed.isEmpty }
        #expect((rule.fix == .safe) == !fixedExamples.isEmpty, "\(id): a rule with safe fixes shows a fixed text, and only such a rule")
        for example in fixedExamples {
            let fixes = lint(example.files, definitions: example.definitions).filter { $0.ruleID == id }.compactMap(\.fix)
            var after = example.files
            for fixed in example.fixed {
                let original = try #require(example.files.first { $0.name == fixed.name })
                let rewrite = try #require(Rewrite.make(path: fixed.name, source: Array(original.contents.utf8),
                                                        changes: fixes.filter { $0.file == fixed.name }.map { ($0.tagBytes, $0.element, $0.values) }))
                #expect(String(decoding: rewrite.updated, as: UTF8.self) == fixed.contents, "\(id) fixes \(fixed.name)")
                #expect(rewrite.reloaded(with: catalogueOptions).document != nil, "\(id): the fixed \(fixed.name) parses")
                after = after.map { $0.name == fixed.name ? fixed : $0 }
            }
            #expect(lint(after, definitions: example.definitions).filter { $0.ruleID == id }.isEmpty, "\(id) converges in one pass")
        }
    }

    /// Whether every finding the rule's examples mark is on a start tag's `<` (a rule about
    /// elements), rather than where parsing stopped or at a file's start.
    static func reportsOnStartTags(_ id: String) -> Bool {
        description(id).triggeringExamples.allSatisfy { example in
            example.files.allSatisfy { file in
                file.markedPositions.allSatisfy { file.contents.character(at: $0) == "<" }
            }
        }
    }

    @Test(arguments: identifiers)
    func nonTriggeringExamplesStayQuiet(_ id: String) {
        for example in Self.description(id).nonTriggeringExamples {
            #expect(example.files.allSatisfy { $0.markedPositions.isEmpty }, "\(id): a passing example has no ↓")
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
                    == lint(example.files, definitions: example.definitions, options: NexJFileLoader.parseEverything))
        }
    }

    @Test func attributeSelectionKeepsWhatRulesReadInTheSamples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let samples = root.appendingPathComponent("Samples")
        let files = try FileManager.default.subpathsOfDirectory(atPath: samples.path).sorted()
            .filter { NexJFileKind(path: $0) != nil }
            .map { ExampleFile($0, String(decoding: try Data(contentsOf: samples.appendingPathComponent($0)), as: UTF8.self)) }
        #expect(files.count > 20)
        #expect(lint(files) == lint(files, options: NexJFileLoader.parseEverything))
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
