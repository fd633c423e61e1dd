import Foundation
import Testing

/// Issue 17: the habits of CI systems and terminals, checked through the binary.
@Suite struct EcosystemTests {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The subset of JSON Schema the GitLab fixture uses: type, required, properties, items,
    /// enum, minimum, minLength. The problems found, as `path: what`.
    private static func violations(of value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
        var problems: [String] = []
        switch schema["type"] as? String {
        case "array"?:
            guard let array = value as? [Any] else { return ["\(path): not an array"] }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() { problems += violations(of: item, against: items, at: "\(path)[\(index)]") }
            }
        case "object"?:
            guard let object = value as? [String: Any] else { return ["\(path): not an object"] }
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { problems.append("\(path): no \(key)") }
            for (key, property) in schema["properties"] as? [String: [String: Any]] ?? [:] {
                if let member = object[key] { problems += violations(of: member, against: property, at: "\(path).\(key)") }
            }
        case "string"?:
            guard let string = value as? String else { return ["\(path): not a string"] }
            if let minimum = schema["minLength"] as? Int, string.count < minimum { problems.append("\(path): too short") }
            if let allowed = schema["enum"] as? [String], !allowed.contains(string) { problems.append("\(path): `\(string)` not allowed") }
        case "integer"?:
            guard let number = value as? Int else { return ["\(path): not an integer"] }
            if let minimum = schema["minimum"] as? Int, number < minimum { problems.append("\(path): below \(minimum)") }
        default:
            problems.append("\(path): the schema uses a type this check does not know")
        }
        return problems
    }

    @Test func gitlabReportHasTheFieldsGitLabReadsAndStableFingerprints() throws {
        let schemaData = try Data(contentsOf: Self.fixtures.appendingPathComponent("gitlab-code-quality.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: schemaData) as? [String: Any])
        let run = try Run(["lint", "--format", "gitlab", "Samples"])
        #expect(run.status == 1 && run.errors.isEmpty)
        let report = try JSONSerialization.jsonObject(with: Data(run.output.utf8))
        #expect(Self.violations(of: report, against: schema).isEmpty, "\(Self.violations(of: report, against: schema))")
        let issues = try #require(report as? [[String: Any]])
        #expect(issues.count > 20)
        let fingerprints = issues.map { $0["fingerprint"] as! String }
        #expect(Set(fingerprints).count == fingerprints.count, "fingerprints are unique")
        #expect(Set(issues.map { $0["severity"] as! String }) == ["info", "minor", "major"])
        #expect(issues.allSatisfy { (($0["location"] as! [String: Any])["path"] as! String).hasPrefix("Samples/") })

        // Lines move, fingerprints stay.
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sample = try String(contentsOf: Run.packageRoot.appendingPathComponent("Samples/basic-auth/crm-legacy.environment"), encoding: .utf8)
        try write(sample, to: directory.appendingPathComponent("crm.environment"))
        func lint() throws -> [(fingerprint: String, line: Int)] {
            let output = try Run(["lint", "--format", "gitlab", "."], in: directory).output
            let issues = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
            return issues.map { issue in
                let location = issue["location"] as! [String: Any]
                return (issue["fingerprint"] as! String, (location["lines"] as! [String: Any])["begin"] as! Int)
            }
        }
        let before = try lint()
        try write(sample.replacingOccurrences(of: "<ChannelConnections>", with: "<!-- moved -->\n\n\n   <ChannelConnections>"),
                  to: directory.appendingPathComponent("crm.environment"))
        let after = try lint()
        #expect(!before.isEmpty && before.map(\.fingerprint) == after.map(\.fingerprint))
        #expect(zip(before, after).contains { $0.line != $1.line })
    }

    @Test func aNoteIsAPassingJUnitCaseAsTheExitCodeSays() throws {
        let run = try Run(["lint", "--format", "junit", "Samples/exchange-online"])
        #expect(run.status == 0)
        #expect(run.output.contains(#"<testsuites name="nexlint" tests="2" failures="0" errors="0" skipped="0" time="0">"#))
        #expect(run.output.contains("<system-out>Samples/exchange-online/crm-prod.environment:3:1: note: channel `ExchangeEWSSender5` uses EWS"))
        #expect(!run.output.contains("<failure"))
        // Warnings and errors still fail.
        let failing = try Run(["lint", "--format", "junit", "Samples/rules/EXO014"])
        #expect(failing.output.contains(#"<failure type="warning" message="channel `ExchangeEWSSender5`: no `maxSenders`"#))
    }

    @Test func colourFollowsTheFlagThenTheConventions() throws {
        let escape = "\u{1B}["
        func output(_ arguments: [String], _ environment: [String: String] = [:]) throws -> String {
            try Run(["lint"] + arguments + ["Samples/exchange-online"], environment: environment).output
        }
        // Not a terminal: plain unless asked.
        #expect(!(try output([])).contains(escape))
        #expect(try output(["--color", "always"]).contains(escape))
        #expect(try output([], ["FORCE_COLOR": "1"]).contains(escape))
        // Set but empty counts as unset (no-color.org, force-color.org).
        #expect(!(try output([], ["FORCE_COLOR": ""])).contains(escape))
        #expect(try output([], ["FORCE_COLOR": "1", "NO_COLOR": ""]).contains(escape))
        // The flag wins over the environment.
        #expect(!(try output(["--color", "never"], ["FORCE_COLOR": "1"])).contains(escape))
        #expect(!(try output(["--no-color"], ["FORCE_COLOR": "1"])).contains(escape))
        #expect(try output(["--color", "always"], ["NO_COLOR": "1"]).contains(escape))
        let bad = try Run(["lint", "--color", "sometimes", "Samples/exchange-online"])
        #expect(bad.status == 2)
    }

    @Test func aDashIsStandardOutputAndQIsQuiet() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try Run(["lint", "--format", "json", "--output", "-", "\(Run.packageRoot.path)/Samples/exchange-online"], in: directory)
        #expect(run.status == 0)
        #expect((run.json["summary"] as? [String: Any])?["files"] as? Int == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "no file named -")
        let twice = try Run(["lint", "--format", "json", "--output", "-", "--format", "text", "Samples/exchange-online"])
        #expect(twice.status == 2 && twice.errors.contains("only one --format can write to standard output"))
        let quiet = try Run(["lint", "-q", "Samples/exchange-online"])
        #expect(quiet.status == 0 && !quiet.output.contains("Found") && quiet.output.contains("[EXO013]"))
    }

    @Test func theTextReportMarksWhatFixCanFixAndCountsWhatTheBaselineHides() throws {
        let fixable = try Run(["lint", "Samples/rules/EXO002", "Samples/rules/EXO004"])
        let lines = fixable.output.split(separator: "\n")
        #expect(lines.contains { $0.hasSuffix("[EXO002] [*]") })
        #expect(lines.contains { $0.hasSuffix("[EXO004]") })
        #expect(fixable.output.hasSuffix("in 2 files. 1 fixable with `nexlint lint --fix` ([*]).\n"), "\(fixable.output)")

        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: Run.packageRoot.appendingPathComponent("Samples/rules/EXO002/crm.environment"),
                                         to: directory.appendingPathComponent("crm.environment"))
        #expect(try Run(["lint", "--write-baseline", "baseline.json", "."], in: directory).status == 1)
        let hidden = try Run(["lint", "--baseline", "baseline.json", "."], in: directory)
        #expect(hidden.status == 0)
        #expect(hidden.output == "No findings in 1 file (1 hidden by the baseline).\n")
    }

    @Test func ruleIDsAreReadInAnyCaseEverywhere() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write("""
            <Environment type="Generic">
              <!-- nexlint-disable-next-line exo002 EXO31 -->
              <ChannelConnections/>
            </Environment>
            """, to: directory.appendingPathComponent("crm.environment"))
        try write("rules:\n  exo013: off\n", to: directory.appendingPathComponent(".nexlint.yml"))
        let run = try Run(["lint", "--ignore", "nxj004", "."], in: directory)
        #expect(run.errors.isEmpty, "\(run.errors)")
        #expect(run.output.contains("the suppression names unknown rule `EXO31` (did you mean `EXO001`?) and matches no EXO002 finding on the element at line 3 [NXJ006]"))
        try write("rules:\n  exo31: off\n", to: directory.appendingPathComponent(".nexlint.yml"))
        let typo = try Run(["lint", "."], in: directory)
        #expect(typo.status == 2 && typo.errors.contains("unknown rule `EXO31`; did you mean `EXO001`?"))
    }

    /// Recording a baseline over part of a repository replaces that part's entries only.
    @Test func aBaselineWrittenForSomePathsKeepsTheOthers() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        for (sample, target) in [("rules/EXO002/crm.environment", "a/crm.environment"), ("basic-auth/crm-legacy.environment", "b/crm.environment")] {
            try write(try String(contentsOf: Run.packageRoot.appendingPathComponent("Samples/\(sample)"), encoding: .utf8),
                      to: root.appendingPathComponent(target))
        }
        func entries() throws -> [String] {
            let data = try Data(contentsOf: root.appendingPathComponent("baseline.json"))
            let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return (document["entries"] as! [[String: Any]]).map { "\($0["file"]!) \($0["rule"]!)" }
        }
        #expect(try Run(["lint", "--write-baseline", "baseline.json", "."], in: root).status == 1)
        let whole = try entries()
        #expect(whole.contains { $0.hasPrefix("a/") } && whole.contains { $0.hasPrefix("b/") })
        let partial = try Run(["lint", "--write-baseline", "baseline.json", "a"], in: root)
        #expect(partial.errors == "nexlint: recorded 1 findings in baseline.json; kept the entries of 1 file this run did not cover\n")
        #expect(try entries() == whole)
        #expect(try Run(["lint", "--baseline", "baseline.json", "."], in: root).status == 0)
    }

    @Test func statisticsCountEachRulesFindings() throws {
        let statistics = try Run(["lint", "--statistics", "Samples"])
        let json = try Run(["lint", "--format", "json", "Samples"])
        #expect(statistics.status == json.status)
        var expected: [String: Int] = [:]
        for finding in json.findings { expected[finding["rule"] as! String, default: 0] += 1 }
        let lines = statistics.output.split(separator: "\n").dropLast()
        var counted: [String: Int] = [:]
        for line in lines {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            counted[String(fields[1])] = Int(fields[0])
        }
        #expect(counted == expected)
        let counts = lines.map { Int($0.split(separator: " ")[0])! }
        #expect(counts == counts.sorted(by: >), "most frequent first")
        #expect(lines.contains { $0.contains("EXO002  [*] Exchange Online channel without an explicit secure=\"true\"") })
        #expect(statistics.output.split(separator: "\n").last?.hasPrefix("Found ") == true)
    }

    @Test func aMistypedCommandGetsTheNearestOne() throws {
        let run = try Run(["lnt", "Samples"])
        #expect(run.status == 2)
        #expect(run.errors == "nexlint: 2 unexpected arguments: 'lnt', 'Samples'; did you mean `nexlint lint`?\n")
        #expect(try Run(["zzzzz"]).errors == "nexlint: Unexpected argument 'zzzzz'\n")
    }

    /// The terminal snippets of the README run as written (from the package root), and the
    /// completion scripts complete rule IDs.
    @Test func theTerminalSnippetsRun() throws {
        let readme = try String(contentsOf: Run.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "### In the terminal").dropFirst().first?
            .components(separatedBy: "## Configuration").first)
        let commands = section.components(separatedBy: "```sh\n").dropFirst().flatMap { block in
            block.components(separatedBy: "```").first!.split(separator: "\n").map { line in
                String(line.prefix { $0 != "#" && $0 != "|" && $0 != ">" }).trimmingCharacters(in: .whitespaces)
            }
        }
        #expect(commands.count == 7)
        for command in commands {
            var arguments = command.split(separator: " ").map(String.init).dropFirst()
            arguments = arguments.map { $0 == "envs/" || $0 == "." ? "Samples" : $0 }[...]
            let run = try Run(Array(arguments))
            #expect([0, 1].contains(run.status) && !run.output.isEmpty, "\(command): \(run.errors)")
            if command.contains("completion-script") { #expect(run.output.contains("EXO014"), "\(command)") }
        }
    }

    /// `--diff` previews what `--fix` would change and writes nothing; `--fix` says what it
    /// changed in each file, and why a file in another encoding was left alone.
    @Test func fixesArePreviewedListedAndExplained() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let secure = try String(contentsOf: Run.packageRoot.appendingPathComponent("Samples/rules/EXO002/crm.environment"), encoding: .utf8)
        try write(secure, to: directory.appendingPathComponent("a.environment"))
        try Data([0xFF, 0xFE] + secure.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            .write(to: directory.appendingPathComponent("utf16.environment"))
        let preview = try Run(["lint", "--diff", "."], in: directory)
        #expect(preview.status == 1)
        #expect(preview.output.hasPrefix("--- a/a.environment\n+++ b/a.environment\n"))
        #expect(preview.output.contains("+         secure=\"true\"/>"))
        #expect(preview.errors == "nexlint: --fix would fix 1 finding in 1 file\n")
        #expect(try String(contentsOf: directory.appendingPathComponent("a.environment"), encoding: .utf8) == secure, "nothing written")
        let fixed = try Run(["lint", "--fix", "."], in: directory)
        #expect(fixed.errors.contains("nexlint: fixed a.environment: EXO002\n"))
        #expect(fixed.errors.contains("nexlint: not fixed utf16.environment: the file is stored as UTF-16, not UTF-8; it is never rewritten\n"),
                "\(fixed.errors)")
        let again = try Run(["lint", "--diff", "."], in: directory)
        #expect(again.status == 0 && again.output.isEmpty && again.errors == "nexlint: --fix would fix 0 findings in 0 files\n")
        #expect(try Run(["lint", "--diff", "--fix", "."], in: directory).status == 2)
    }

    /// `explain` wraps its prose at 88 columns but never inside a code span, so a command or
    /// an attribute shown there can be copied whole.
    @Test func explainNeverBreaksACodeSpan() throws {
        for id in RuleExampleTests.identifiers {
            let page = try Run(["explain", id]).output
            for line in page.split(separator: "\n") {
                #expect(line.filter { $0 == "`" }.count % 2 == 0, "\(id): \(line)")
            }
        }
        #expect(try Run(["explain", "EXO014"]).output.contains("`maxSenders=\"20\"`"))
    }
}
