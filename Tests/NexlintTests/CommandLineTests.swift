import Foundation
import NexlintCore
import Testing

/// Runs the built `nexlint` binary as users do.
struct Run {
    var status: Int32
    var output: String
    var errors: String

    private static let launching = NSLock()

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        // The test bundle is built next to the products it depends on, the executable among them.
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("nexlint")
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np`, which Swift's Glibc module does not declare.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addChdir = unsafeBitCast(dlsym(nil, "posix_spawn_file_actions_addchdir_np")!, to: AddChdir.self)

    /// Runs `nexlint`, or another program when `executable` is given; one still running after
    /// `timeout` seconds is killed (status -1): a hang is a failure, not a stuck suite.
    /// Started with posix_spawn: suites run in parallel, and Foundation's Process.run crashed
    /// (SIGSEGV in its memcpy) when other threads launched at once, even one launch at a time.
    init(_ arguments: [String], in directory: URL = Run.packageRoot, environment: [String: String] = [:],
         executable: URL? = nil, timeout: Double = 60) throws {
        let program = (executable ?? Self.binary).path
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        // Pipes are made close-on-exec and the child spawned under one lock, so that no other
        // run's child inherits this one's pipe (and holds it open past this child's end).
        Self.launching.lock()
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            Self.launching.unlock()
            throw POSIXError(.EMFILE)
        }
        for descriptor in outPipe + errPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        _ = directory.path.withCString { Self.addChdir(&actions, $0) }
        func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } + [nil] }
        let argv = cStrings([program] + arguments), envp = cStrings(variables)
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, envp)
        Self.launching.unlock()
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT)
        }
        // Both pipes are read as they fill, so a child writing much to one never waits on the other.
        var collected: [Int32: [UInt8]] = [outPipe[0]: [], errPipe[0]: []]
        var open = [outPipe[0], errPipe[0]]
        let deadline = Date().addingTimeInterval(timeout)
        var killed = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            var polled = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            if poll(&polled, nfds_t(polled.count), killed ? 1000 : remaining) == 0, !killed {
                kill(pid, SIGKILL)
                killed = true
                continue
            }
            for entry in polled where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    collected[entry.fd]!.append(contentsOf: buffer[..<count])
                } else if count == 0 || errno != EINTR {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
        let signalled = waitStatus & 0x7F != 0
        status = killed || signalled ? -1 : (waitStatus >> 8) & 0xFF
        output = String(decoding: collected[outPipe[0]]!, as: UTF8.self)
        errors = String(decoding: collected[errPipe[0]]!, as: UTF8.self)
    }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any] ?? [:]
    }

    var findings: [[String: Any]] { json["findings"] as? [[String: Any]] ?? [] }
}

/// Every test's directory lives under one directory of this test process, removed when the
/// process exits, so a test that fails (or forgets) before its own clean-up leaves nothing behind.
private let testProcessDirectory: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nexlint-tests-\(getpid())")
    try? FileManager.default.removeItem(at: url)
    atexit { try? FileManager.default.removeItem(at: testProcessDirectory) }
    return url
}()

func temporaryDirectory() throws -> URL {
    let url = testProcessDirectory.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}

@Suite(.serialized) struct CommandLineTests {
    @Test func samplesShowEveryRuleAtStartTags() throws {
        let run = try Run(["lint", "--format", "json", "Samples"])
        #expect(run.status == 1)
        let findings = run.findings
        let ruleIDs = Set(findings.compactMap { $0["rule"] as? String })
        #expect(ruleIDs == Set(RuleExampleTests.identifiers), "missing: \(Set(RuleExampleTests.identifiers).subtracting(ruleIDs))")
        for finding in findings {
            let rule = finding["rule"] as! String
            guard RuleExampleTests.reportsOnStartTags(rule) else { continue }
            let file = try String(contentsOf: Run.packageRoot.appendingPathComponent(finding["file"] as! String), encoding: .utf8)
            let position = SourcePosition(line: finding["line"] as! Int, column: finding["column"] as! Int)
            #expect(file.character(at: position) == "<", "\(rule) at \(finding["file"]!):\(position)")
        }
    }

    @Test func jsonHasTheSpecifiedShape() throws {
        let run = try Run(["lint", "--format", "json", "--select", "EXO008,EXO009,EXO013", "Samples/basic-auth"])
        let json = run.json
        #expect(Set(json.keys) == ["version", "tool", "findings", "summary"])
        #expect(json["version"] as? Int == 1)
        #expect((json["tool"] as? [String: String]) == ["name": "nexlint", "version": "0.1.0"])
        for finding in run.findings {
            #expect(Set(finding.keys) == ["rule", "severity", "file", "line", "column", "message", "channel", "fixable"])
        }
        let summary = json["summary"] as? [String: Int]
        #expect(summary == ["files": 2, "errors": 1, "warnings": 1, "notes": 1])
        #expect(run.findings.first { $0["rule"] as? String == "EXO013" }?["channel"] is NSNull)
        #expect(run.findings.first { $0["rule"] as? String == "EXO009" }?["channel"] as? String == "ExchangeEWSSender")
    }

    @Test func textLinesHaveTheSpecifiedShapeAndASummary() throws {
        let run = try Run(["lint", "Samples/rules"])
        let lines = run.output.split(separator: "\n").map(String.init)
        let pattern = try Regex(#"^[^:]+:\d+:\d+: (error|warning|note): .+ \[(NXJ|EXO)\d{3}\]( \[\*\])?$"#)
        for line in lines.dropLast() { #expect(line.wholeMatch(of: pattern) != nil, "\(line)") }
        #expect(lines.last?.hasPrefix("Found ") == true)
        #expect(!run.output.contains("\u{1B}["), "no colour when not on a terminal")
    }

    @Test func exitCodesFollowFailOn() throws {
        #expect(try Run(["lint", "Samples/exchange-online"]).status == 0)
        #expect(try Run(["lint", "--fail-on", "note", "Samples/exchange-online"]).status == 1)
        #expect(try Run(["lint", "--fail-on", "warning", "Samples/exchange-online"]).status == 0)
        #expect(try Run(["lint", "--fail-on", "never", "Samples"]).status == 0)
        #expect(try Run(["lint", "Samples"]).status == 1)
    }

    @Test func usageErrorsExitTwo() throws {
        for arguments in [["lint", "--bogus"], ["lint", "--fail-on", "sometimes"], ["lint", "--jobs", "0"],
                          ["lint", "--define", "novalue"], ["explain", "EXO999"], ["frobnicate"]] {
            let run = try Run(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(!run.errors.isEmpty)
        }
        let suggestion = try Run(["lint", "--select", "EXO0004", "Samples"])
        #expect(suggestion.status == 2)
        #expect(suggestion.errors.contains("did you mean EXO004?"))
    }

    /// An option with a fixed set of values names all of them, in order, in its help and when
    /// given another.
    @Test func choicesAreListedInHelpAndErrors() throws {
        let help = try Run(["lint", "--help"]).output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("(values: text, json, junit, sarif, github, gitlab)"))
        #expect(help.contains("(values: error, warning, note, never)"))
        #expect(help.contains("(values: auto, always, never; default: auto)"))
        let rulesHelp = try Run(["rules", "--help"]).output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(rulesHelp.contains("(values: text, markdown, json; default: text)"))
        let color = try Run(["lint", "--color", "sometimes", "Samples"])
        #expect(color.status == 2)
        #expect(color.errors == "nexlint: The value 'sometimes' is invalid for '--color <color>'. Please provide one of 'auto', 'always' or 'never'.\n")
        let format = try Run(["migrate", "--format", "xml", "Samples"])
        #expect(format.status == 2)
        #expect(format.errors == "nexlint: The value 'xml' is invalid for '--format <format>'. Please provide one of 'text' and 'json'.\n")
    }

    @Test func missingPathIsAOneLineErrorAndExitTwo() throws {
        let run = try Run(["lint", "Samples", "no/such/place.environment"])
        #expect(run.status == 2)
        #expect(run.output.isEmpty)
        #expect(run.errors == "nexlint: no/such/place.environment: No such file or directory\n")
    }

    /// On Linux the binary's memory comes from mimalloc: the program and every library it loads
    /// (libxml2, the C library itself) bind the allocation functions to mimalloc's, which the
    /// dynamic linker says when asked (glibc's `LD_DEBUG=bindings`).
    @Test func memoryComesFromMimallocOnLinux() throws {
        #if os(Linux)
        let run = try Run(["--version"], environment: ["LD_DEBUG": "bindings"])
        #expect(run.status == 0)
        let bindings = run.errors.split(separator: "\n").filter { $0.contains("binding file ") }
        guard !bindings.isEmpty else {
            print("memoryComesFromMimallocOnLinux: skipped, the dynamic linker printed no bindings (not glibc's)")
            return
        }
        for symbol in ["malloc", "free", "calloc", "realloc"] {
            let bound = bindings.filter { $0.contains("normal symbol `\(symbol)'") }
            #expect(!bound.isEmpty, "\(symbol) is bound")
            #expect(bound.allSatisfy { $0.contains("/libmimalloc.so") }, "\(symbol): \(bound.filter { !$0.contains("/libmimalloc.so") })")
        }
        #endif
    }

    @Test func informationCommands() throws {
        #expect(try Run(["--version"]).output == "0.1.0\n")
        let rules = try Run(["rules"])
        #expect(rules.status == 0)
        #expect(rules.output.split(separator: "\n").count == RuleExampleTests.identifiers.count + 1)
        let markdown = try Run(["rules", "--format", "markdown"])
        #expect(markdown.status == 0)
        for id in RuleExampleTests.identifiers {
            #expect(markdown.output.contains("\n| [\(id)](#\(id.lowercased())) | "), "\(id) in the table")
            #expect(markdown.output.contains("\n## \(id)\n"), "\(id) has a section")
        }
        #expect(!markdown.output.contains("| OAuth channel user is not <"), "angle brackets are escaped in the table")
        let json = try Run(["rules", "--format", "json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: String]])
        #expect(entries.map { $0["id"]! } == RuleExampleTests.identifiers)
        for entry in entries {
            #expect(Set(entry.keys) == ["id", "severity", "fix", "title", "summary", "rationale", "remedy"])
        }
        let page = try Run(["explain", "exo004"])
        #expect(page.status == 0)
        #expect(page.output.hasPrefix("EXO004: "))
        #expect(page.output.contains("Failing example"))
    }

    @Test func outputIsIdenticalForAnyJobCount() throws {
        for format in ["json", "text"] {
            let one = try Run(["lint", "--format", format, "--jobs", "1", "Samples"])
            let many = try Run(["lint", "--format", format, "--jobs", "7", "Samples"])
            #expect(one.output == many.output)
            #expect(one.status == many.status)
        }
    }

    @Test func selectAndIgnoreTakeIDsAndPrefixes() throws {
        let exo = try Run(["lint", "--format", "json", "--select", "EXO", "--ignore", "EXO013,EXO008", "Samples"])
        let ids = Set(exo.findings.compactMap { $0["rule"] as? String })
        #expect(!ids.isEmpty)
        #expect(ids.allSatisfy { $0.hasPrefix("EXO") && $0 != "EXO013" && $0 != "EXO008" })
    }

    @Test func defineAndSyncTargetsComeFromTheCommandLine() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write("""
            <Environment type="Generic">
              <ChannelConnections>
                <HTTPConnection channel="Sender" url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true"
                  authentication="custom" authComponent="rpc:System.Authentication.EXO"
                  user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc@contoso.com" password="master:AAEC"/>
              </ChannelConnections>
            </Environment>
            """, to: directory.appendingPathComponent("envs/prod.environment"))
        try write(#"<SyncTargets><SyncTarget name="EXO" host="outlook.office365.com" version="Exchange Online" method="Impersonation" subscriptionType="Streaming" ewsSender="Other"/></SyncTargets>"#,
                  to: directory.appendingPathComponent("ops/exo.synctargets"))
        // The rules this is about, so that another rule added to the catalogue changes nothing here.
        let select = ["--select", "EXO004,EXO010,EXO011,EXO013"]
        let plain = try Run(["lint", "--format", "json"] + select + ["envs"], in: directory)
        #expect(plain.findings.map { $0["rule"] as! String } == ["EXO004", "EXO013"])
        let define = ["--define", "exo.tokenURL=https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token"]
        // A sync-target file given with --sync-targets is context: reported on only when linted too.
        let defined = try Run(["lint", "--format", "json"] + select + define + ["--sync-targets", "ops/exo.synctargets", "envs"], in: directory)
        #expect(Set(defined.findings.map { $0["rule"] as! String }) == ["EXO013", "EXO011"])
        let both = try Run(["lint", "--format", "json"] + select + define + ["--sync-targets", "ops/exo.synctargets", "envs", "ops"], in: directory)
        #expect(Set(both.findings.map { $0["rule"] as! String }) == ["EXO013", "EXO011", "EXO010"])
        #expect(both.findings.first { $0["rule"] as? String == "EXO010" }?["file"] as? String == "ops/exo.synctargets")
        // Named alone, it is checked against every unit of the repository, as in a whole run.
        let alone = try Run(["lint", "--format", "json"] + select + define + ["--sync-targets", "ops/exo.synctargets", "ops/exo.synctargets"], in: directory)
        #expect(alone.findings.map { $0["rule"] as! String } == ["EXO010"])
    }

    @Test func aFileGivenAloneIsCheckedWithItsUnit() throws {
        // prod.connections alone would lack exo.tokenURL; its .server neighbour has it.
        let run = try Run(["lint", "--format", "json", "--select", "EXO004,EXO013", "Samples/split-unit/prod.connections"])
        #expect(run.status == 0)
        #expect(run.findings.allSatisfy { $0["file"] as? String == "Samples/split-unit/prod.connections" })
        #expect(run.findings.map { $0["rule"] as! String } == ["EXO013"])
        #expect((run.json["summary"] as? [String: Int])?["files"] == 1)
    }

    @Test func absolutePathsUnderTheWorkingDirectoryAreReportedRelative() throws {
        let absolute = Run.packageRoot.appendingPathComponent("Samples/basic-auth").path
        let run = try Run(["lint", "--format", "json", absolute])
        #expect(run.findings.allSatisfy { ($0["file"] as? String)?.hasPrefix("Samples/basic-auth/") == true })
    }

    @Test func secretsNeverReachTheOutput() throws {
        for format in ["text", "json"] {
            let run = try Run(["lint", "--format", format, "Samples/basic-auth", "Samples/rules"])
            for secret in ["Winter2021!", "Welcome1", "V2ludGVyMjAyNSE=", "Winter2025!", "50726f787950617373"] {
                #expect(!run.output.contains(secret) && !run.errors.contains(secret))
            }
        }
    }

    @Test func specialFilesNeverHangOrCrashTheWalk() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write("<Environment type=\"Generic\"/>", to: directory.appendingPathComponent("ok.environment"))
        #expect(mkfifo(directory.appendingPathComponent("pipe.environment").path, 0o600) == 0)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("dir.environment"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("loop").path, withDestinationPath: directory.path)
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("dangling.server").path, withDestinationPath: "/nonexistent")
        try Data([0x00, 0xFF, 0xFE, 0x00, 0x3C]).write(to: directory.appendingPathComponent("binary.connections"))
        let run = try Run(["lint", "--format", "json", "--select", "NXJ001", "."], in: directory)
        #expect(run.status == 1)
        #expect(run.findings.map { $0["file"] as! String } == ["binary.connections"])
        #expect((run.json["summary"] as? [String: Int])?["files"] == 2)
        let fifo = try Run(["lint", "pipe.environment"], in: directory)
        #expect(fifo.status == 2)
        #expect(fifo.errors.contains("not a regular file"))
    }

    @Test func libxml2PrintsNothingAndHostileDocumentsAreOnlyReported() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let secretFile = directory.appendingPathComponent("secret.txt")
        try write("TOP-SECRET-CONTENT", to: secretFile)
        try write("""
            <?xml version="1.0"?>
            <!DOCTYPE Environment [<!ENTITY leak SYSTEM "file://\(secretFile.path)">]>
            <Environment type="Generic" description="&leak;">&leak;</Environment>
            """, to: directory.appendingPathComponent("xxe.environment"))
        var laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE Environment [\n<!ENTITY a \"lol\">\n"
        for level in 1...9 { laughs += "<!ENTITY \(Character(UnicodeScalar(97 + level)!)) \"" + String(repeating: "&\(Character(UnicodeScalar(96 + level)!));", count: 10) + "\">\n" }
        laughs += "]>\n<Environment description=\"&j;\">&j;</Environment>\n"
        try write(laughs, to: directory.appendingPathComponent("laughs.environment"))
        let run = try Run(["lint", "--format", "json", "."], in: directory)
        #expect(run.errors.isEmpty)
        #expect(!run.output.contains("TOP-SECRET-CONTENT"))
        #expect(run.findings.contains { $0["file"] as? String == "laughs.environment" && $0["rule"] as? String == "NXJ001" })
        let samples = try Run(["lint", "Samples"])
        #expect(samples.errors.isEmpty, "libxml2 must not print: \(samples.errors)")
    }
}
