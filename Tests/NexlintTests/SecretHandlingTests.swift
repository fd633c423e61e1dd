import Foundation
@testable import NexlintCore
import NexlintRules
import Testing

// Issue 11: secrets read right (spec §6), never shown (§2 NXJ001, §3, §6 diff), never hidden
// by a baseline (§5), nothing passed unseen (NXJ008).

private let tenant = "6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d"
private let app = "0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c"
private let formats = ["text", "json", "junit", "sarif", "github"]

private func basic(password: String = "text:Winter2021") -> String {
    """
    <Environment type="Generic">
      <ChannelConnections>
        <HTTPConnection channel="EWS" url="https://outlook.office365.com/EWS/Exchange.asmx"
           user="svc@contoso.com"
           password="\(password)"/>
      </ChannelConnections>
    </Environment>

    """
}

private func migrate(_ arguments: [String], in directory: URL, environment: [String: String]) throws -> Run {
    try Run(["migrate", "--tenant-id", tenant, "--app-id", app] + arguments, in: directory, environment: environment)
}

@Suite(.serialized) struct SecretHandlingTests {
    @Test func nxj001NeverQuotesTheFileInAnyFormat() throws {
        // Each makes libxml2's own message quote a marker: an entity name, an attribute name,
        // comment text, an element name, a PI target, an encoding name, a repeated attribute.
        let documents = [
            #"<Environment password="text:Hunter&Marker1Secret;2"/>"#,
            #"<Environment a="x" Marker2Secret=oops/>"#,
            "<Environment><!-- was Marker3--Secret --></Environment>",
            "<Environment><Marker4Secret></Environment>",
            "<Environment><?Marker5Secret x?><x></Environment>",
            #"<?xml version="1.0" encoding="Marker6Secret"?><Environment/>"#,
            #"<Environment a="1" Marker7Secret="2" Marker7Secret="3"/>"#,
            "<Environment>\n<Marker8Secret a='1'>&Marker8Secret;</Marker8Secret></Environment>",
        ]
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, document) in documents.enumerated() {
            try write(document, to: directory.appendingPathComponent("f\(index).environment"))
        }
        for format in formats {
            let run = try Run(["lint", "--format", format, "."], in: directory)
            #expect(run.status == 1)
            #expect(run.output.components(separatedBy: "NXJ001").count > documents.count, "\(format)")
            #expect(!run.output.contains("Marker") && !run.errors.contains("Marker"), "\(format): \(run.output)")
        }
    }

    @Test func entitiesHidingAChannelAreNXJ008NotACleanRun() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write("""
            <?xml version="1.0"?>
            <!DOCTYPE Environment [
              <!ENTITY ews '<HTTPConnection channel="EWS" url="http://outlook.office365.com/EWS/Exchange.asmx" user="svc@contoso.com" password="text:Entity-S3cret"/>'>
            ]>
            <Environment type="Generic">
              <ChannelConnections>&ews;</ChannelConnections>
            </Environment>
            """, to: directory.appendingPathComponent("hidden.environment"))
        let run = try Run(["lint", "--format", "json", "--select", "NXJ008,EXO"], in: directory)
        #expect(run.status == 1)
        #expect(run.findings.map { $0["rule"] as! String } == ["NXJ008"])
        #expect(run.findings.first?["line"] as? Int == 2)
        #expect(!run.output.contains("Entity-S3cret"))
    }

    @Test func theSecretIsWrittenByteExactFromEachSource() throws {
        let expected = #"password="text:abc123:Winter2021""#
        let sources: [(String, [UInt8])] = [
            ("LF", Array("abc123\n".utf8)), ("CRLF", Array("abc123\r\n".utf8)),
            ("BOM+CRLF", [0xEF, 0xBB, 0xBF] + Array("abc123\r\n".utf8)), ("bare", Array("abc123".utf8)),
        ]
        for (name, bytes) in sources {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try write(basic(), to: directory.appendingPathComponent("crm.environment"))
            try Data(bytes).write(to: directory.appendingPathComponent("secret.txt"))
            let run = try migrate(["--client-secret-file", "secret.txt", "--write", "."], in: directory, environment: [:])
            #expect(run.status == 0, "\(name): \(run.errors)")
            #expect(try String(contentsOf: directory.appendingPathComponent("crm.environment"), encoding: .utf8).contains(expected), "\(name)")
        }
        // An environment variable ending in a line break, and a pipe as the file.
        for (how, arguments, environment, input) in [
            ("variable", [String](), ["NEXLINT_CLIENT_SECRET": "abc123\n"], ""),
            ("pipe", ["--client-secret-file", "/dev/stdin"], [String: String](), "printf 'abc123\\r\\n' | "),
        ] {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try write(basic(), to: directory.appendingPathComponent("crm.environment"))
            let command = input + #""$NEXLINT" migrate --tenant-id \#(tenant) --app-id \#(app) --write "# + arguments.joined(separator: " ") + " ."
            let run = try Run(["-c", command], in: directory, environment: environment.merging(["NEXLINT": Run.binary.path]) { $1 },
                              executable: URL(fileURLWithPath: "/bin/sh"))
            #expect(run.status == 0, "\(how): \(run.errors)")
            #expect(try String(contentsOf: directory.appendingPathComponent("crm.environment"), encoding: .utf8).contains(expected), "\(how)")
        }
    }

    @Test func eachRefusedSecretShapeIsOneLineAndExit2WithNothingChanged() throws {
        let shapes: [(String, [UInt8], String)] = [
            ("empty", Array("\n".utf8), "is empty"),
            ("two lines", Array("abc\ndef\n".utf8), "has more than one line"),
            ("NUL", Array("abc".utf8) + [0] + Array("def".utf8), "contains a NUL or another control character"),
            ("escape", Array("abc\u{1B}def".utf8), "contains a NUL or another control character"),
            ("property", Array("abc${x}".utf8), "contains `${`"),
            ("invalid UTF-8", [0x61, 0xFF, 0x62], "is not valid UTF-8"),
            ("colon", Array("abc:def".utf8), "contains a colon"),
        ]
        for (name, bytes, reason) in shapes {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            try write(basic(), to: directory.appendingPathComponent("crm.environment"))
            try Data(bytes).write(to: directory.appendingPathComponent("secret.txt"))
            let run = try migrate(["--client-secret-file", "secret.txt", "--write", "."], in: directory, environment: [:])
            #expect(run.status == 2, "\(name)")
            #expect(run.output.isEmpty, "\(name)")
            #expect(run.errors.split(separator: "\n").count == 1 && run.errors.contains(reason), "\(name): \(run.errors)")
            #expect(try String(contentsOf: directory.appendingPathComponent("crm.environment"), encoding: .utf8) == basic(), "\(name)")
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write(basic(), to: directory.appendingPathComponent("crm.environment"))
        let both = try migrate(["--client-secret-file", "secret.txt", "--client-secret-env", "X", "."], in: directory, environment: [:])
        #expect(both.status == 2)
        #expect(both.errors.contains("--client-secret-env and --client-secret-file both name the client secret"))
        let noSecret = try migrate(["."], in: directory, environment: [:])
        #expect(noSecret.errors.contains("this dry run writes a placeholder"))
    }

    @Test func theDiffIsComputedOnRealBytesAndEveryShownLineIsMasked() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The old password already has a colon: masked, old and new look alike.
        let file = """
            <?xml version="1.0"?>
            <!DOCTYPE Environment [ <!-- old: password="text:InDTD-S3cret" --> ]>
            <Environment type="Generic">
              <!-- was: password="text:Comment-S3cret" and hex:436f6d6d656e74 -->
              <ChannelConnections>
                <HTTPConnection channel="EWS" url="https://outlook.office365.com/EWS/Exchange.asmx"
                   user="svc@contoso.com"
                   password="text:Winter:2021"/>
              </ChannelConnections>
            </Environment>

            """
        try write(file, to: directory.appendingPathComponent("crm.environment"))
        let run = try migrate(["."], in: directory, environment: ["NEXLINT_CLIENT_SECRET": "Client-S3cret"])
        #expect(run.status == 0)
        #expect(run.output.contains("-       password=\"text:••••:••••\""))
        #expect(run.output.contains("+       password=\"text:••••:••••\""))
        #expect(run.output.contains(" <!DOCTYPE Environment [ <!-- old: password=\"text:••••\" --> ]>"))
        #expect(run.output.contains("   <!-- was: password=\"text:••••\" and hex:•••• -->"))
        for secret in ["InDTD-S3cret", "Comment-S3cret", "436f6d6d656e74", "Winter", "2021", "Client-S3cret"] {
            #expect(!run.output.contains(secret) && !run.errors.contains(secret), "\(secret)")
        }
    }

    @Test func aBaselineDoesNotHideARewrittenPassword() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try write(basic(), to: directory.appendingPathComponent("crm.environment"))
        let recorded = try Run(["lint", "--write-baseline", "baseline.json", "."], in: directory)
        #expect(recorded.status == 1)
        let baselineText = try String(contentsOf: directory.appendingPathComponent("baseline.json"), encoding: .utf8)
        #expect(baselineText.contains("\"salt\"") && baselineText.contains("\"digests\""))
        #expect(!baselineText.contains("Winter2021"))
        #expect(try Run(["lint", "--baseline", "baseline.json", "--fail-on", "warning", "."], in: directory).status == 0)

        let migrated = try migrate(["--write", "."], in: directory, environment: ["NEXLINT_CLIENT_SECRET": "Client-S3cret"])
        #expect(migrated.status == 0)
        let after = try Run(["lint", "--select", "EXO00,EXO01", "--baseline", "baseline.json", "--fail-on", "warning", "--format", "json", "."], in: directory)
        #expect(after.status == 1)
        #expect(after.findings.map { $0["rule"] as! String } == ["EXO008"])
        #expect(!after.output.contains("Client-S3cret"))

        // Rewriting the baseline keeps its salt; a baseline from before digests matches on counts.
        _ = try Run(["lint", "--write-baseline", "baseline.json", "."], in: directory)
        let rewritten = try String(contentsOf: directory.appendingPathComponent("baseline.json"), encoding: .utf8)
        let salt = { (text: String) in text.split(separator: "\n").first { $0.contains("\"salt\"") } }
        #expect(salt(rewritten) == salt(baselineText))
        let old = #"{"version": 1, "tool": "nexlint", "entries": [{"file": "crm.environment", "rule": "EXO008", "subject": "EWS", "count": 1}]}"#
        try write(old, to: directory.appendingPathComponent("old.json"))
        #expect(try Run(["lint", "--baseline", "old.json", "--select", "EXO008", "--fail-on", "warning", "."], in: directory).status == 0)
    }

    @Test func textOutputEscapesControlCharactersInPathsAndMessages() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = "x\u{1B}[2Jy.environment"
        try write(#"<Environment type="Generic" url="${a&#10;b}"/>"#, to: directory.appendingPathComponent(name))
        let run = try Run(["lint", "--select", "NXJ004", "."], in: directory)
        #expect(!run.output.contains("\u{1B}"))
        #expect(run.output.hasPrefix("x\\x1b[2Jy.environment:1:1: warning: "))
        #expect(run.output.contains("a\\x0ab"))
        #expect(run.output.split(separator: "\n").count == 2)
    }

    /// Every rule's examples again, with each password made reversible (most examples use
    /// `master:`, which would check nothing): no format shows a password or its parts.
    @Test func ruleExamplesWithReversiblePasswordsShowNoSecretInAnyFormat() {
        var checked = 0
        for rule in RuleCatalog.all.map({ type(of: $0).description }) {
            for (index, example) in (rule.triggeringExamples + rule.nonTriggeringExamples).enumerated() {
                let marker = "\(rule.identifier)x\(index)"
                let files = example.files.map { file in
                    ExampleFile(file.name, file.contents.replacingOccurrences(of: #"password="master:"#, with: #"password="text:Client\#(marker):Account\#(marker)"#)
                        .replacingOccurrences(of: "AAEC", with: "Rest\(marker)"))
                }
                guard files.contains(where: { $0.contents.contains("Client\(marker)") }) else { continue }
                checked += 1
                let findings = lint(files, definitions: example.definitions)
                let report = LintReport(findings: findings, files: files.map(\.name))
                let repository = RepositoryLocation(root: "/", workingDirectory: "/")
                let rendered = [TextReporter().render(report), JSONReporter().render(report), JUnitReporter().render(report),
                                SARIFReporter(rules: [rule], repository: repository).render(report),
                                GitHubReporter(repository: repository).render(report)]
                for output in rendered {
                    #expect(!output.contains("Client\(marker)") && !output.contains("Account\(marker)"), "\(rule.identifier) example \(index)")
                }
            }
        }
        #expect(checked >= 17)
    }
}

@Suite struct DigestTests {
    /// FIPS 180-4 test vectors.
    @Test func sha256MatchesTheStandardVectors() {
        let vectors = [("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                       ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                       ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
                       (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")]
        for (message, digest) in vectors {
            #expect(SHA256.hexDigest(Array(message.utf8)) == digest, "\(message.prefix(10))")
        }
        #expect(SecretValue("a").digest(salt: "s") != SecretValue("a").digest(salt: "t"))
        #expect("\(SecretValue("Hunter2"))" == "••••")
    }

    /// A password read in place from its attribute (EXO008's literal values) digests and
    /// compares as the same value held as a string; an entity in it counts decoded.
    @Test func aSecretReadInPlaceIsTheValueItHolds() throws {
        let text = #"<Environment type="Generic" password="text:Caf&#233;&amp;Co" keystorePassword="text:other"/>"#
        let document = try #require(NexJFileLoader.load(path: "e.environment", bytes: Array(text.utf8), options: catalogueOptions).document)
        var attributes: [NexJAttribute] = []
        document.passwordAttributes.forEach { attributes.append($1) }
        let password = try #require(attributes.first { $0.name == "password" })
        let other = try #require(attributes.first { $0.name == "keystorePassword" })
        let inPlace = SecretValue(valueOf: password)
        #expect(inPlace.digest(salt: "s") == SecretValue("text:Café&Co").digest(salt: "s"))
        #expect(inPlace == SecretValue("text:Café&Co"))
        #expect(inPlace != SecretValue(valueOf: other))
        #expect(inPlace.digest(salt: "s") != SecretValue(valueOf: other).digest(salt: "s"))
        #expect("\(inPlace)" == "••••")
    }
}
