import Foundation
import NexlintConfig
import NexlintCore
import Testing

/// The README's snippets are copied into users' repositories as they are: each must parse,
/// and what it names must exist.
@Suite struct ReadmeTests {
    static let readme = (try? String(contentsOf: Run.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""

    /// The fenced ```yaml blocks, in order.
    static var yamlBlocks: [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```yaml" {
                current = []
            } else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(current!.joined(separator: "\n") + "\n")
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// Python's YAML reader (PyYAML, which pre-commit itself uses), or nil with the reason it is missing.
    private static func parse(_ yaml: String) throws -> (ok: Bool, output: String)? {
        let probe = try Run(["python3", "-c", "import yaml"], executable: URL(fileURLWithPath: "/usr/bin/env"))
        guard probe.status == 0 else { return nil }
        let file = try temporaryDirectory().appendingPathComponent("snippet.yaml")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        try write(yaml, to: file)
        let run = try Run(["python3", "-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])), default=str))", file.path],
                          executable: URL(fileURLWithPath: "/usr/bin/env"))
        return (run.status == 0, run.status == 0 ? run.output : run.errors)
    }

    @Test func everyYAMLSnippetParses() throws {
        let blocks = Self.yamlBlocks
        #expect(blocks.count >= 4, "the configuration, pre-commit, GitHub Actions and GitLab examples")
        for block in blocks {
            guard let parsed = try Self.parse(block) else {
                print("ReadmeTests: skipped parsing the README's YAML with PyYAML: python3 with the yaml module is not installed (scripts/bootstrap installs it)")
                return
            }
            #expect(parsed.ok, "does not parse: \(block)\n\(parsed.output)")
        }
    }

    @Test func theConfigurationExampleIsOneNexlintReads() throws {
        let example = try #require(Self.yamlBlocks.first { $0.hasPrefix("rules:") })
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(".nexlint.yml")
        try write(example, to: file)
        let configuration = try Configuration.load(file.path, ruleIdentifiers: RuleExampleTests.identifiers, workingDirectory: directory.path)
        #expect(configuration.baseline?.hasSuffix("ci/nexlint-baseline.json") == true)
        #expect(!configuration.disabledRules.isEmpty && configuration.exclude != nil && !configuration.syncTargets.isEmpty)
    }

    /// The GitLab job's nexlint command runs as written and leaves every report the job
    /// hands GitLab: Code Quality (a JSON array) and JUnit.
    @Test func theGitLabJobWritesTheReportsItDeclares() throws {
        let job = try #require(Self.yamlBlocks.first { $0.contains("codequality:") })
        let command = try #require(job.split(separator: "\n").first { $0.contains("nexlint lint") })
        let arguments = command.components(separatedBy: "nexlint lint")[1].split(separator: " ").map(String.init)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["crm-prod.environment", "exchange.synctargets"] {
            try FileManager.default.copyItem(at: Run.packageRoot.appendingPathComponent("Samples/exchange-online/\(name)"),
                                             to: directory.appendingPathComponent(name))
        }
        let run = try Run(["lint"] + arguments, in: directory)
        #expect(run.status == 0, "\(run.errors)")
        let reports = job.split(separator: "\n").drop { !$0.contains("reports:") }.dropFirst()
            .compactMap { $0.split(separator: ": ").last.map(String.init) }
        #expect(reports == ["gl-code-quality-report.json", "nexlint.xml"])
        let codeQuality = try Data(contentsOf: directory.appendingPathComponent(reports[0]))
        #expect((try JSONSerialization.jsonObject(with: codeQuality) as? [[String: Any]])?.first?["check_name"] as? String == "EXO013")
        let junit = try String(contentsOf: directory.appendingPathComponent(reports[1]), encoding: .utf8)
        #expect(junit.contains(#"failures="0""#) && junit.contains("<system-out>"))
    }

    @Test func theCIExamplesBuildOutsideTheWorkspaceAndNameARevisionThatExists() throws {
        let blocks = Self.yamlBlocks
        let preCommit = try #require(blocks.first { $0.contains("rev:") && $0.contains("hooks:") })
        let github = try #require(blocks.first { $0.contains("runs-on:") })
        #expect(github.contains("\non:\n"), "a workflow without `on:` never runs")
        #expect(github.contains("RUNNER_TEMP/nexlint") && !github.contains("path: .nexlint"), "the tool is built outside the workspace")
        #expect(github.contains("actions/cache@"))
        let hookIDs = try String(contentsOf: Run.packageRoot.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("- id: ") }.map { String($0.dropFirst(6)) }
        for line in preCommit.split(separator: "\n") where line.contains("id: ") {
            let id = line.split(separator: "id: ")[1].split(separator: " ")[0]
            #expect(hookIDs.contains(String(id)), "hook `\(id)` is not in .pre-commit-hooks.yaml")
        }
        let revisions = Set(Self.readme.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: #"[0-9a-f]{40}"#, options: .regularExpression) else { return nil }
            return String(line[range])
        })
        #expect(!revisions.isEmpty)
        guard FileManager.default.fileExists(atPath: Run.packageRoot.appendingPathComponent(".git").path) else {
            print("ReadmeTests: skipped checking the README's revisions: the package is not a git checkout")
            return
        }
        for revision in revisions {
            let exists = try Run(["git", "-C", Run.packageRoot.path, "cat-file", "-e", revision + "^{commit}"], executable: URL(fileURLWithPath: "/usr/bin/env"))
            #expect(exists.status == 0, "the README names \(revision), which is not a commit of this repository")
        }
    }
}
