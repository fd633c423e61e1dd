import Foundation
import NexlintConfig
@testable import NexlintCore
import NexlintRules
import Testing

private func load(_ yaml: String) throws(ConfigurationError) -> Configuration {
    let directory = try! temporaryDirectory()
    let file = directory.appendingPathComponent(".nexlint.yml")
    try! write(yaml, to: file)
    return try Configuration.load(file.path, ruleIdentifiers: RuleExampleTests.identifiers, workingDirectory: directory.path)
}

private func error(_ yaml: String) -> ConfigurationError? {
    do {
        _ = try load(yaml)
        return nil
    } catch {
        return error
    }
}

@Suite struct ConfigurationTests {
    @Test func readsEveryKey() throws {
        let configuration = try load("""
            rules:
              EXO013: off
              EXO008: error
            exclude:
              - "*.bak"
              - legacy/**
            sync-targets:
              - ops/exo.synctargets
            properties:
              exo.tokenURL: https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token
            fail-on: warning
            """)
        #expect(configuration.disabledRules == ["EXO013"])
        #expect(configuration.severities == ["EXO008": .error])
        #expect(configuration.exclude?.patterns == ["*.bak", "legacy/**"])
        #expect(configuration.syncTargets.count == 1 && configuration.syncTargets[0].hasSuffix("ops/exo.synctargets"))
        #expect(configuration.properties.keys.sorted() == ["exo.tokenURL"])
        #expect(configuration.failOn == .warning)
        #expect(try load("").failOn == nil)
    }

    @Test func errorsNameTheFileLineAndNearestValidName() {
        let key = error("fail-on: error\nrule:\n  EXO001: off\n")
        #expect(key?.line == 2)
        #expect(key?.message == "unknown key `rule`; did you mean `rules`?")
        #expect(key?.description.hasSuffix(".nexlint.yml:2: unknown key `rule`; did you mean `rules`?") == true)
        #expect(error("rules:\n  EXO01: off\n")?.message == "unknown rule `EXO01`; did you mean `EXO001`?")
        #expect(error("rules:\n  EXO001: warn\n")?.message.contains("did you mean `warning`?") == true)
        #expect(error("fail-on: errors\n")?.message.contains("did you mean `error`?") == true)
        #expect(error("exclude: legacy\n")?.message == "`exclude` must be a list")
        #expect(error("rules: [EXO001]\n")?.message == "`rules` must be a mapping")
        #expect(error("- a\n- b\n")?.line == 1)
        #expect(error("rules:\n  EXO001: off\n bad: [\n")?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func excludeGlobsWorkLikeGitignore() {
        let filter = PathFilter(patterns: ["*.bak.environment", "archive", "legacy/*.server", "envs/**/old.connections", "/top.environment"], base: "/repo")
        func excluded(_ path: String) -> Bool { filter.excludes(path, workingDirectory: "/repo") }
        #expect(excluded("a/b/x.bak.environment"))
        #expect(excluded("archive/prod.environment"))
        #expect(excluded("deep/archive/x/prod.environment"))
        #expect(excluded("legacy/app.server"))
        #expect(!excluded("legacy/sub/app.server"))
        #expect(excluded("envs/old.connections"))
        #expect(excluded("envs/a/b/old.connections"))
        #expect(excluded("top.environment"))
        #expect(!excluded("sub/top.environment"))
        #expect(!excluded("prod.environment"))
        #expect(!filter.excludes("/elsewhere/archive/x.environment", workingDirectory: "/repo"))
        #expect(Glob.matches("[a-c]?.env*", "b1.environment"))
        #expect(!Glob.matches("[!a-c]*", "apple"))
    }
}

@Suite(.serialized) struct ConfiguredRunTests {
    private func repository() throws -> URL {
        let root = try temporaryDirectory()
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Run.packageRoot.appendingPathComponent("Samples/basic-auth"), to: root.appendingPathComponent("envs"))
        try FileManager.default.copyItem(at: Run.packageRoot.appendingPathComponent("Samples/rules/NXJ003"), to: root.appendingPathComponent("legacy"))
        return root
    }

    @Test func configurationIsFoundUpwardAndApplied() throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(at: root) }
        // The rules this is about, so that another rule added to the catalogue changes nothing here.
        let select = ["--select", "EXO008,EXO009,EXO013,NXJ003"]
        let before = try Run(["lint", "--format", "json"] + select + ["."], in: root.appendingPathComponent("envs"))
        #expect(Set(before.findings.map { $0["rule"] as! String }) == ["EXO008", "EXO009", "EXO013"])
        try write("rules:\n  EXO013: off\n  EXO008: error\nexclude:\n  - legacy\nfail-on: never\n", to: root.appendingPathComponent(".nexlint.yml"))
        let after = try Run(["lint", "--format", "json"] + select + ["."], in: root.appendingPathComponent("envs"))
        #expect(after.status == 0)
        #expect(after.findings.map { $0["rule"] as! String } == ["EXO008", "EXO009"])
        #expect(after.findings.first?["severity"] as? String == "error")
        let whole = try Run(["lint", "--format", "json", "--fail-on", "error"], in: root)
        #expect(whole.status == 1)
        #expect(whole.findings.allSatisfy { ($0["file"] as! String).hasPrefix("envs/") })
        // Excluded even when named, as pre-commit names files one by one.
        #expect(try Run(["lint", "--format", "json", "legacy/crm.environment"], in: root).findings.isEmpty)
    }

    @Test func badConfigurationExitsTwoNamingTheKey() throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(at: root) }
        try write("fail-on: error\nexlude:\n  - legacy\n", to: root.appendingPathComponent("custom.yml"))
        let run = try Run(["lint", "--config", "custom.yml", "."], in: root)
        #expect(run.status == 2)
        #expect(run.output.isEmpty)
        #expect(run.errors == "nexlint: custom.yml:2: unknown key `exlude`; did you mean `exclude`?\n")
        let missing = try Run(["lint", "--config", "nope.yml", "."], in: root)
        #expect(missing.status == 2)
        #expect(missing.errors.contains("nope.yml: No such file or directory"))
    }
}

@Suite(.serialized) struct BaselineTests {
    @Test func entriesMatchWithoutLinesAndCount() {
        let repository = RepositoryLocation(root: "/r", workingDirectory: "/r")
        func finding(_ line: Int, _ channel: String) -> Finding {
            Finding(ruleID: "EXO002", severity: .error, location: SourceLocation(file: "a.environment", position: SourcePosition(line: line, column: 1)),
                    message: "m", channel: channel, element: "HTTPConnection")
        }
        let baseline = Baseline(recording: [finding(3, "A"), finding(5, "A"), finding(7, "B")], repository: repository)
        #expect(baseline.entries.map(\.count) == [2, 1])
        #expect(baseline.newFindings([finding(30, "A"), finding(50, "A"), finding(70, "B")], repository: repository).isEmpty)
        #expect(baseline.newFindings([finding(3, "A"), finding(5, "A"), finding(6, "A"), finding(7, "C")], repository: repository).map(\.location.line) == [6, 7])
    }

    @Test func writtenBaselineHidesKnownFindingsAfterEdits() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: Run.packageRoot.appendingPathComponent("Samples/basic-auth"), to: directory.appendingPathComponent("envs"))
        // The rules this is about, so that another rule added to the catalogue changes nothing here.
        let select = ["--select", "EXO002,EXO008,EXO009,EXO013"]
        let record = try Run(["lint"] + select + ["--write-baseline", "baseline.json", "envs"], in: directory)
        #expect(record.status == 1)
        #expect(record.errors.contains("recorded 3 findings in baseline.json"))
        let clean = try Run(["lint"] + select + ["--baseline", "baseline.json", "envs"], in: directory)
        #expect(clean.status == 0)
        #expect(clean.output == "No findings in 2 files (3 hidden by the baseline).\n")

        let file = directory.appendingPathComponent("envs/crm-legacy.environment")
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "<Environment", with: "<!-- moved -->\n\n\n<Environment")
        try write(text, to: file)
        #expect(try Run(["lint"] + select + ["--baseline", "baseline.json", "envs"], in: directory).status == 0)

        text = text.replacingOccurrences(of: "secure=\"true\"", with: "secure=\"false\"")
        try write(text, to: file)
        let regressed = try Run(["lint"] + select + ["--format", "json", "--baseline", "baseline.json", "envs"], in: directory)
        #expect(regressed.status == 1)
        #expect(regressed.findings.map { $0["rule"] as! String } == ["EXO002"])

        try write("{\"not\": \"a baseline\"}", to: directory.appendingPathComponent("bad.json"))
        let bad = try Run(["lint"] + select + ["--baseline", "bad.json", "envs"], in: directory)
        #expect(bad.status == 2)
        #expect(bad.errors.contains("not a nexlint baseline"))
    }
}
