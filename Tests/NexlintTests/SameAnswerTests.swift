import Foundation
import Testing

/// Spec §1 *v2*: the findings on a file do not depend on how nexlint is asked — the whole
/// repository, the file alone (a pre-commit run), or its absolute path from another directory.
@Suite(.serialized) struct SameAnswerTests {
    /// A finding as every run must agree on it, without the path (relative in one run,
    /// absolute in another).
    private static func key(_ finding: [String: Any]) -> String {
        ["rule", "severity", "line", "column", "channel", "message"].map { "\(finding[$0] ?? "")" }.joined(separator: "|")
    }

    /// Every file of the repository nexlint could be asked about, relative to its root.
    private static func candidateFiles(in root: URL) -> [String] {
        let names = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return names.filter { name in
            !name.hasPrefix(".git/") && [".environment", ".server", ".connections", ".synctargets", ".config"].contains { name.hasSuffix($0) }
        }.sorted()
    }

    /// Compares, for every file F under `root`: `lint .` (in `root`), `lint F` (in `root`) and
    /// `lint /abs/F` (in an unrelated directory). Returns the number of files compared.
    @discardableResult
    private static func expectSameAnswers(in root: URL, arguments: [String] = [], label: String) throws -> Int {
        let elsewhere = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let whole = try Run(["lint", "--format", "json"] + arguments + ["."], in: root)
        #expect([0, 1].contains(whole.status), "\(label): lint . exited \(whole.status): \(whole.errors)")
        var byFile: [String: [String]] = [:]
        for finding in whole.findings { byFile[finding["file"] as! String, default: []].append(key(finding)) }
        let files = candidateFiles(in: root)
        for file in files {
            let expected = (byFile[file] ?? []).sorted()
            let alone = try Run(["lint", "--format", "json"] + arguments + [file], in: root)
            #expect([0, 1].contains(alone.status), "\(label): lint \(file) exited \(alone.status): \(alone.errors)")
            #expect(alone.findings.allSatisfy { $0["file"] as? String == file })
            #expect(alone.findings.map(key).sorted() == expected, "\(label): lint \(file) differs from lint .")

            let absolutePath = root.appendingPathComponent(file).path
            let absoluteArguments = arguments.map { $0.hasPrefix("ops/") ? root.appendingPathComponent($0).path : $0 }
            let far = try Run(["lint", "--format", "json"] + absoluteArguments + [absolutePath], in: elsewhere)
            #expect([0, 1].contains(far.status), "\(label): lint \(absolutePath) exited \(far.status): \(far.errors)")
            #expect(far.findings.allSatisfy { $0["file"] as? String == absolutePath })
            #expect(far.findings.map(key).sorted() == expected, "\(label): lint /abs/\(file) from elsewhere differs from lint .")
        }
        return files.count
    }

    @Test func generatedRepositoriesGiveTheSameAnswerHoweverAsked() throws {
        var generator = RepositoryGenerator(seed: 0x6E65_786C_696E_74)
        var compared = 0
        var rulesSeen = Set<String>()
        for number in 0..<32 {
            let root = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: root) }
            let arguments = try generator.makeRepository(at: root)
            compared += try Self.expectSameAnswers(in: root, arguments: arguments, label: "repository \(number)")
            let whole = try Run(["lint", "--format", "json"] + arguments + ["."], in: root)
            rulesSeen.formUnion(whole.findings.compactMap { $0["rule"] as? String })
        }
        // The repositories exercise what makes answers differ: units split across files,
        // sync targets, files that cannot be checked, servers naming absent files.
        #expect(compared > 300)
        for rule in ["NXJ001", "NXJ003", "NXJ007", "EXO004", "EXO009", "EXO010", "EXO011"] {
            #expect(rulesSeen.contains(rule), "no generated repository gave \(rule)")
        }
    }

    @Test func samplesGiveTheSameAnswerHoweverAsked() throws {
        // The package is the repository; its Samples folder is what is walked.
        let copy = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.createDirectory(at: copy.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Run.packageRoot.appendingPathComponent("Samples"), to: copy.appendingPathComponent("Samples"))
        #expect(try Self.expectSameAnswers(in: copy, label: "Samples") > 30)
    }

    /// NexJ's open-source core keeps a server naming one present and one absent connections
    /// file (`env/JBoss.server`), environments and servers in `.config` files, and a `.config`
    /// server naming its connections file with `meta.connections.url` (here absent, as there).
    @Test func theNexJOpenSourceLayout() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        let files: [String: String] = [
            "env/JBoss.server": """
                <Server description="Local machine with JBoss in the default location." password="jbadm1n" secureTransport="false" type="JBoss" user="admin">
                   <ValidConnections>
                      <Connection name="Development-MySQL"/>
                      <Connection name="Development-PostgreSQL"/>
                   </ValidConnections>
                </Server>
                """,
            "env/Development-MySQL.connections": """
                <Connections>
                   <DataSourceConnections>
                      <RelationalDatabaseConnection dataSource="DefaultRelationalDatabase" adapter="MySQL" database="nexj" password="nexj" user="nexj"/>
                   </DataSourceConnections>
                </Connections>
                """,
            "env/UnitTest.server": """
                <Server description="Unit test configuration." secureTransport="false" test="true" type="Generic">
                   <ValidConnections>
                      <Connection name="UnitTest-MySQL"/>
                   </ValidConnections>
                </Server>
                """,
            "env/UnitTest-MySQL.connections": "<Connections/>\n",
            "test/nexj/default.config": """
                <Environment type="Generic" description="JUnit test environment" secureTransport="false">
                   <DataSourceConnections>
                      <RelationalDatabaseConnection dataSource="DefaultRelationalDatabase" adapter="MySQL" database="test" password="test" user="test"/>
                      <RelationalDatabaseConnection dataSource="ExternalRelationalDatabase" adapter="MySQL" database="test" password="test" user="test"/>
                   </DataSourceConnections>
                </Environment>
                """,
            "test/nexj/core/integration/test.config": """
                <Server type="Generic"
                   meta.url="file:/c:/work/WS/healthcare/meta"
                   meta.connections.url="file:/c:/work/WS/app/env/Demo.connections"
                />
                """,
            "etc/config/server/nexj/default.config": "<Server type=\"Generic\" description=\"Empty server environment\" distributed=\"false\"/>\n",
            "etc/config/server/nexj/default.connections": "<Connections/>\n",
            "etc/web/WEB-INF/web.config": "<configuration><appSettings/></configuration>\n",
        ]
        for (path, text) in files { try write(text, to: root.appendingPathComponent(path)) }
        let run = try Run(["lint", "--format", "json", "."], in: root)
        #expect(run.status == 0, "warnings only: \(run.errors)")
        // Only these rules report, and only here (a rule added to the catalogue may report at the
        // same places, as a copy of one of them would, but nowhere else).
        let found = run.findings.filter { ["EXO008", "NXJ007"].contains($0["rule"] as! String) }
            .map { "\($0["file"]!):\($0["line"]!) \($0["rule"]!)" }.sorted()
        let places = Set(found.map { $0.split(separator: " ")[0] })
        #expect(run.findings.allSatisfy { places.contains("\($0["file"]!):\($0["line"]!)") })
        #expect(found == [
            "env/Development-MySQL.connections:3 EXO008",
            "env/JBoss.server:1 EXO008",
            "env/JBoss.server:4 NXJ007",
            "test/nexj/core/integration/test.config:1 NXJ007",
            "test/nexj/default.config:3 EXO008",
            "test/nexj/default.config:4 EXO008",
        ])
        #expect(run.findings.first { $0["file"] as? String == "env/JBoss.server" && $0["rule"] as? String == "NXJ007" }?["message"] as? String
                == "<ValidConnections> names the connections file `Development-PostgreSQL.connections`, which is not in its directory")
        #expect(run.findings.first { $0["file"] as? String == "test/nexj/core/integration/test.config" }?["message"] as? String
                == "meta.connections.url names the connections file `Demo.connections`, which is not in its directory")
        // Eight files linted: web.config is not NexJ's and is not counted.
        #expect((run.json["summary"] as? [String: Int])?["files"] == 8)
        try Self.expectSameAnswers(in: root, label: "NexJ open-source layout")
    }

    @Test func configurationIsFoundFromTheFileNotTheWorkingDirectory() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try write("rules:\n  EXO013: off\n  NXJ005: off\nexclude:\n  - archive\n", to: root.appendingPathComponent(".nexlint.yml"))
        let environment = """
            <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
              <ChannelConnections>
                <HTTPConnection channel="EWS" url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" authentication="custom"
                  authComponent="rpc:System.Authentication.EXO" user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc@contoso.com" password="master:AAEC"/>
              </ChannelConnections>
            </Environment>
            """
        try write(environment, to: root.appendingPathComponent("envs/prod.environment"))
        try write("<Server/>", to: root.appendingPathComponent("archive/old.environment"))
        let elsewhere = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        // EXO013 is off for this repository, from wherever it is linted.
        let far = try Run(["lint", "--select", "EXO013,NXJ005", root.appendingPathComponent("envs/prod.environment").path], in: elsewhere)
        #expect(far.status == 0 && far.output == "No findings in 1 file.\n", "\(far.output)")
        // Excluded folders stay excluded when named, and say nothing (pre-commit).
        let excluded = try Run(["lint", root.appendingPathComponent("archive/old.environment").path], in: elsewhere)
        #expect(excluded.status == 0 && excluded.output.isEmpty && excluded.errors.isEmpty)
        let walkExcluded = try Run(["lint", root.appendingPathComponent("archive").path], in: elsewhere)
        #expect(walkExcluded.status == 0 && walkExcluded.output.isEmpty && walkExcluded.errors.isEmpty)
        // A folder that holds nothing to lint is an error, not a green build.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let empty = try Run(["lint", "empty"], in: root)
        #expect(empty.status == 2)
        #expect(empty.output.isEmpty)
        #expect(empty.errors == "nexlint: nothing found under empty (no .environment, .server, .connections, .synctargets or NexJ .config file)\n")
    }

    @Test func aBaselineNamedByTheConfigurationIsSharedByEveryRun() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try write("<Environment type=\"Generic\" password=\"text:s3cret\"/>\n", to: root.appendingPathComponent("envs/prod.environment"))
        let before = try Run(["lint", "envs/prod.environment"], in: root)
        #expect(before.status == 0 && before.output.contains("[EXO008]"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("ci"), withIntermediateDirectories: true)
        #expect(try Run(["lint", "--write-baseline", "ci/nexlint-baseline.json"], in: root).status == 0)
        try write("baseline: ci/nexlint-baseline.json\n", to: root.appendingPathComponent(".nexlint.yml"))
        let elsewhere = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        for (arguments, directory) in [(["envs/prod.environment"], root), (["."], root),
                                       ([root.appendingPathComponent("envs/prod.environment").path], elsewhere)] {
            let run = try Run(["lint"] + arguments, in: directory)
            #expect(run.status == 0 && run.output.hasPrefix("No findings in 1 file (") && run.output.hasSuffix(" hidden by the baseline).\n"),
                    "\(arguments): \(run.output)")
        }
    }
}

extension SameAnswerTests {
    /// Each file is judged by its own configuration's `fail-on:` and `baseline:`, also when the
    /// baseline hides findings of one configuration and not of the other.
    @Test func failOnAndBaselineFollowEachFilesConfiguration() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        let reversible = "<Environment type=\"Generic\" password=\"text:s3cret\"/>\n"
        try write(reversible, to: root.appendingPathComponent("z.environment"))
        try write(reversible, to: root.appendingPathComponent("legacy/b.environment"))
        try write("fail-on: warning\n", to: root.appendingPathComponent("legacy/.nexlint.yml"))
        // Without the baseline, legacy's warning fails the run (its fail-on is warning).
        #expect(try Run(["lint", "."], in: root).status == 1)
        #expect(try Run(["lint", "--write-baseline", "legacy/baseline.json", "legacy"], in: root).status == 1)
        try write("fail-on: warning\nbaseline: baseline.json\n", to: root.appendingPathComponent("legacy/.nexlint.yml"))
        // With it, what remains is z's warning, and z's configuration (the defaults) fails on errors only.
        let run = try Run(["lint", "."], in: root)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.hasPrefix("z.environment:1:1: warning:"))
        // Rewriting the configured baseline records what it already held, not only what is new.
        #expect(try Run(["lint", "--write-baseline", "legacy/baseline.json", "legacy"], in: root).status == 1)
        #expect(try Run(["lint", "."], in: root).status == 0)
    }
}

/// Small NexJ repositories built from a seed: units split across files, alternative
/// connections, servers naming absent files, `.config` files, sync targets here and elsewhere,
/// configuration with rules, exclusions and sync targets, nested configuration.
struct RepositoryGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }
    private mutating func pick<T>(_ choices: [T]) -> T { choices[Int(next() % UInt64(choices.count))] }

    private static let token = #"exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token""#
    private static let senders = ["ExchangeEWSSender", "ExchangeEWSSender5", "EWS"]

    private mutating func channel() -> String {
        let name = pick(Self.senders)
        let oauth = #"url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO" user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc@contoso.com" password="master:AAEC""#
        let variants = [
            oauth,
            #"url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" user="svc@contoso.com" password="text:basic""#,
            oauth.replacingOccurrences(of: #"secure="true" "#, with: ""),
            #"url="http://mail.contoso.com/ews" user="svc" password="master:AAEC""#,
        ]
        return "<HTTPConnection channel=\"\(name)\" \(pick(variants))/>"
    }

    private mutating func channels() -> String {
        (0..<(1 + Int(next() % 2))).map { _ in "    " + channel() }.joined(separator: "\n")
    }

    private mutating func rootAttributes() -> String {
        chance(60) ? " " + Self.token : ""
    }

    private mutating func environment() -> String {
        "<Environment type=\"Generic\"\(rootAttributes())>\n  <ChannelConnections>\n\(channels())\n  </ChannelConnections>\n</Environment>\n"
    }

    private mutating func connections() -> String {
        "<Connections>\n  <ChannelConnections>\n\(channels())\n  </ChannelConnections>\n</Connections>\n"
    }

    private mutating func syncTargets() -> String {
        let sender = pick(Self.senders + ["Missing"])
        return "<SyncTargets>\n  <SyncTarget name=\"EXO\" host=\"outlook.office365.com\" version=\"Exchange Online\" method=\"Impersonation\" subscriptionType=\"Streaming\" ewsSender=\"\(sender)\"/>\n</SyncTargets>\n"
    }

    /// Writes one repository; returns the extra arguments every run of it takes.
    mutating func makeRepository(at root: URL) throws -> [String] {
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        var files: [String: String] = [:]
        let directories = ["envs/prod", "envs/uat", "servers", "legacy", "archive", "cfg"].filter { _ in chance(55) } + ["ops"]
        for directory in directories {
            for _ in 0..<(1 + Int(next() % 3)) {
                switch next() % 8 {
                case 0, 1:
                    files["\(directory)/crm\(next() % 3).environment"] = environment()
                case 2, 3:
                    let names = ["prod", "uat", "dr"].filter { _ in chance(60) }
                    let listed = names.filter { _ in chance(70) } + (chance(30) ? ["absent"] : [])
                    var server = "<Server type=\"Generic\"\(rootAttributes())"
                    if chance(25) {
                        server += " meta.connections.url=\"file:/opt/nexj/env/\(pick(names + ["absent"])).connections\"/>\n"
                    } else if listed.isEmpty {
                        server += "/>\n"
                    } else {
                        server += ">\n  <ValidConnections>\n" + listed.map { "    <Connection name=\"\($0)\"/>\n" }.joined() + "  </ValidConnections>\n</Server>\n"
                    }
                    files["\(directory)/app.server"] = server
                    for name in names { files["\(directory)/\(name).connections"] = connections() }
                case 4:
                    files["\(directory)/exchange.synctargets"] = syncTargets()
                case 5:
                    files["\(directory)/default.config"] = pick([environment(), connections(), "<configuration><appSettings/></configuration>\n",
                                                                 "not xml at all", "<Server type=\"Generic\"/>\n"])
                case 6:
                    files["\(directory)/broken.environment"] = "<Environment>\n  <ChannelConnections>\n    <HTTPConnection channel=\"\(pick(Self.senders))\" password=\"<client_secret>\"/>\n  </ChannelConnections>\n</Environment>\n"
                default:
                    files["\(directory)/web.config"] = "<configuration/>\n"
                }
            }
        }
        var configuration: [String] = []
        if chance(70) {
            configuration.append("rules:\n  " + pick(["EXO013: off", "EXO008: error", "NXJ007: note", "EXO011: off"]))
            if chance(60) { configuration.append("exclude:\n  - " + pick(["archive", "legacy/*.environment", "\"**/broken.environment\""])) }
            if chance(50) {
                files["ops/shared.synctargets"] = syncTargets()
                configuration.append("sync-targets:\n  - ops/shared.synctargets")
            }
            if chance(30) { configuration.append("properties:\n  " + Self.token.replacingOccurrences(of: "=", with: ": ").replacingOccurrences(of: "\"", with: "")) }
        }
        if !configuration.isEmpty { files[".nexlint.yml"] = configuration.joined(separator: "\n") + "\n" }
        if let nested = directories.first(where: { $0 != "ops" }), chance(35) {
            files["\(nested)/.nexlint.yml"] = "rules:\n  EXO009: warning\n  EXO013: off\n"
        }
        var arguments: [String] = []
        if chance(30) {
            files["ops/cli.synctargets"] = syncTargets()
            arguments = ["--sync-targets", "ops/cli.synctargets"]
        }
        for (path, text) in files { try write(text, to: root.appendingPathComponent(path)) }
        return arguments
    }
}
