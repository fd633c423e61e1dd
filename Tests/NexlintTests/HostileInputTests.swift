import Foundation
import Testing
import NexlintCore

/// Spec §7: no input crashes, hangs or exhausts memory, nothing outside the named files is
/// read, and nothing of a referenced local file reaches any output.
@Suite(.serialized) struct HostileInputTests {
    static let secretFile = "/tmp/nexlint-hostile-secret.txt"
    static let secretText = "SECRET-CONTENT-THAT-MUST-NOT-LEAK"

    private static func run(_ name: String, _ bytes: [UInt8], extraArguments: [String] = []) throws -> (Run, Int) {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(bytes).write(to: directory.appendingPathComponent(name))
        try Data(secretText.utf8).write(to: URL(fileURLWithPath: secretFile))
        let run = try Run(["lint", "--format", "json"] + extraArguments + [name], in: directory)
        return (run, peakChildMemoryMiB())
    }

    private static func peakChildMemoryMiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }

    /// Exit 0 or 1 with JSON on stdout, nothing on stderr, no leaked content.
    private static func expectHandled(_ name: String, _ bytes: [UInt8], rules expected: Set<String>? = nil,
                                      sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        // Only the rules asserted on run: another rule added to the catalogue must not change this.
        let (run, _) = try run(name, bytes, extraArguments: expected.map { ["--select", $0.sorted().joined(separator: ",")] } ?? [])
        #expect(run.status == 0 || run.status == 1, "exit \(run.status): \(run.errors)", sourceLocation: sourceLocation)
        #expect(run.errors.isEmpty, "stderr: \(run.errors.prefix(300))", sourceLocation: sourceLocation)
        #expect(!run.output.contains(secretText), sourceLocation: sourceLocation)
        #expect(run.json["version"] as? Int == 1, sourceLocation: sourceLocation)
        if let expected {
            #expect(Set(run.findings.map { $0["rule"] as! String }) == expected, sourceLocation: sourceLocation)
        }
    }

    private static let exchange = #"<ChannelConnections><HTTPConnection channel="EWS" url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" user="svc@contoso.com" password="master:AAEC"/></ChannelConnections>"#

    @Test func brokenAndNonXMLInputIsNXJ001() throws {
        try Self.expectHandled("a.environment", Array("<Environment><ChannelConnections></Environment>".utf8), rules: ["NXJ001"])
        try Self.expectHandled("b.environment", [], rules: ["NXJ001"])
        try Self.expectHandled("c.environment", Array("  \n\t\r\n  ".utf8), rules: ["NXJ001"])
        try Self.expectHandled("d.environment", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }, rules: ["NXJ001"])
        try Self.expectHandled("e.environment", Array("<Environment a=\"x".utf8) + [0, 0, 0] + Array("\"/>".utf8), rules: ["NXJ001"])
        try Self.expectHandled("f.environment", Array("<Environment a=\"".utf8) + [0xC3, 0x28, 0xA0, 0xA1, 0xF8] + Array("\"/>".utf8), rules: ["NXJ001"])
    }

    @Test func otherEncodingsAreLintedForReal() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Environment type=\"Generic\">\(Self.exchange)</Environment>"
        var wide: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { wide += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Self.expectHandled("wide.environment", wide, rules: ["EXO009", "EXO013"])
        let latin = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Environment type=\"Gen".utf8) + [0xE9]
            + Array("ric\">\(Self.exchange)</Environment>".utf8)
        try Self.expectHandled("latin.environment", latin, rules: ["EXO009", "EXO013"])
    }

    @Test func hugeInputsStayBounded() throws {
        let longValue = Array("<Environment description=\"".utf8) + [UInt8](repeating: 0x61, count: 11 << 20) + Array("\"/>".utf8)
        try Self.expectHandled("long-value.environment", longValue, rules: ["NXJ001"])
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        try Self.expectHandled("deep.environment", Array(deep.utf8), rules: ["NXJ001"])
        let manyAttributes = "<Environment " + (0..<100_000).map { "a\($0)=\"v\"" }.joined(separator: " ") + "/>"
        try Self.expectHandled("attributes.environment", Array(manyAttributes.utf8), rules: ["NXJ001"])
        let longLine = "<Environment><ChannelConnections>" + String(repeating: "<MailConnection channel=\"M\" host=\"h\"/>", count: 130_000).replacingOccurrences(of: "channel=\"M\"", with: "") + "</ChannelConnections></Environment>"
        try Self.expectHandled("line.environment", Array(longLine.utf8))
        #expect(Self.peakChildMemoryMiB() < 512)
    }

    @Test func entitiesAndExternalReferencesAreNeverExpanded() throws {
        var laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE Environment [\n<!ENTITY a \"lol\">\n"
        for level in 1...9 {
            laughs += "<!ENTITY \(Character(UnicodeScalar(97 + level)!)) \"" + String(repeating: "&\(Character(UnicodeScalar(96 + level)!));", count: 10) + "\">\n"
        }
        laughs += "]>\n<Environment description=\"&j;\">&j;</Environment>\n"
        try Self.expectHandled("laughs.environment", Array(laughs.utf8), rules: ["NXJ001"])
        try Self.expectHandled("xxe.environment", Array("<?xml version=\"1.0\"?>\n<!DOCTYPE Environment [<!ENTITY leak SYSTEM \"file://\(Self.secretFile)\">]>\n<Environment>&leak;</Environment>".utf8))
        try Self.expectHandled("xxe-attribute.environment", Array("<?xml version=\"1.0\"?>\n<!DOCTYPE Environment [<!ENTITY leak SYSTEM \"file://\(Self.secretFile)\">]>\n<Environment description=\"&leak;\"/>".utf8), rules: ["NXJ001"])
        try Self.expectHandled("network.environment", Array("<?xml version=\"1.0\"?>\n<!DOCTYPE Environment [<!ENTITY remote SYSTEM \"http://127.0.0.1:9/x\">]>\n<Environment>&remote;</Environment>".utf8))
        try Self.expectHandled("doctype.environment", Array("<?xml version=\"1.0\"?>\n<!DOCTYPE Environment SYSTEM \"file://\(Self.secretFile)\">\n<Environment/>".utf8))
        try Self.expectHandled("parameter.environment", Array("<?xml version=\"1.0\"?>\n<!DOCTYPE Environment [<!ENTITY % p SYSTEM \"file://\(Self.secretFile)\"> %p;]>\n<Environment/>".utf8))
    }

    @Test func markupThatIsNotElementsIsNotConfiguration() throws {
        let cdata = "<Environment><ChannelConnections><![CDATA[<HTTPConnection channel=\"Fake\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\"/>]]></ChannelConnections></Environment>"
        try Self.expectHandled("cdata.environment", Array(cdata.utf8), rules: [])
        let instructions = "<?xml version=\"1.0\"?><?nexj deploy?><Environment><?pi data?><ChannelConnections/></Environment>"
        try Self.expectHandled("pi.environment", Array(instructions.utf8), rules: [])
    }

    @Test func pathsThatAreNotFilesAreAClearError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("dir.environment"), withIntermediateDirectories: true)
        #expect(mkfifo(directory.appendingPathComponent("fifo.environment").path, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("dangling.environment").path, withDestinationPath: "/nonexistent/x")
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("loop").path, withDestinationPath: ".")
        // Nothing there is a file to lint: a walk that finds nothing is an error, in one line.
        let walk = try Run(["lint", "."], in: directory)
        #expect(walk.status == 2)
        #expect(walk.output.isEmpty)
        #expect(walk.errors == "nexlint: nothing found under . (no .environment, .server, .connections, .synctargets or NexJ .config file)\n")
        for name in ["fifo.environment", "dangling.environment"] {
            let named = try Run(["lint", name], in: directory)
            #expect(named.status == 2)
            #expect(named.errors.hasPrefix("nexlint: \(name): ") && named.errors.split(separator: "\n").count == 1, "\(named.errors)")
        }
        let folder = try Run(["lint", "dir.environment"], in: directory)
        #expect(folder.status == 2)
        #expect(folder.errors == "nexlint: nothing found under dir.environment (no .environment, .server, .connections, .synctargets or NexJ .config file)\n")
    }

    /// A file name that is not UTF-8 (Latin-1 `café`) is linted, reported with its byte
    /// escaped, and fixed in place under its own name.
    @Test func fileNamesAreBytes() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let name: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".environment".utf8)
        let path = Array(directory.path.utf8) + [UInt8(ascii: "/")] + name + [0]
        let text = oauthEnvironment(channel: oauthChannel(replacing: #"secure="true" "#, with: ""))
        let descriptor = path.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
        #expect(descriptor >= 0)
        _ = Array(text.utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        let walk = try Run(["lint", "."], in: directory)
        #expect(walk.status == 1, "\(walk.errors)")
        #expect(walk.errors.isEmpty)
        #expect(walk.output.split(separator: "\n").contains { $0.hasPrefix("caf\\xE9.environment:3:5: error: channel `EWS`") && $0.hasSuffix("[EXO002] [*]") },
                "\(walk.output)")
        let json = try Run(["lint", "--format", "json", "--select", "EXO002,EXO013", "."], in: directory)
        #expect(json.findings.map { $0["file"] as? String } == ["caf\\xE9.environment", "caf\\xE9.environment"])
        let sarif = try Run(["lint", "--format", "sarif", "."], in: directory)
        #expect(sarif.output.contains(#""uri": "caf%E9.environment""#))
        // Named on the command line (as pre-commit passes it), then fixed under its own name.
        let named = try Run(["lint", "--fix", String(decoding: name, as: UTF8.self).replacingOccurrences(of: "\u{FFFD}", with: "")], in: directory)
        #expect(named.status == 2, "a name that lost its byte is not the file: \(named.errors)")
        // Arguments are passed as UTF-8 strings; the shell passes the raw bytes.
        let fix = try Run(["-c", "\"$0\" lint --fix \"$(printf 'caf\\351.environment')\"", Run.binary.path], in: directory,
                          executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(fix.status == 0)
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(entries.count == 1, "no second file, no leftover: \(entries)")
        var fixed = [UInt8](repeating: 0, count: 4096)
        let reader = path.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_RDONLY) }
        #expect(reader >= 0)
        let count = read(reader, &fixed, fixed.count)
        close(reader)
        #expect(String(decoding: fixed.prefix(max(count, 0)), as: UTF8.self).contains(#"secure="true""#))
    }

    /// Every byte string makes the round trip through a path string, and only carried bytes change how it is shown.
    @Test func fileNameBytesRoundTrip() {
        var state: UInt64 = 0x243F_6A88_85A3_08D3
        func next() -> UInt8 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let special: [[UInt8]] = [[0xE9], [0xF4, 0x8F, 0xBA, 0x80], [0xED, 0xA0, 0x80], [0xC0, 0xAF], Array("é".utf8), [0xF4, 0x90, 0x80, 0x80]]
        for round in 0..<2000 {
            var bytes = (0..<(round % 24)).map { _ in max(next(), 1) }
            if round < special.count { bytes = special[round] }
            let path = FileNameBytes.decode(bytes)
            #expect(FileNameBytes.system(path).dropLast().map { UInt8(bitPattern: $0) } == bytes, "\(bytes)")
            if let valid = String(validating: bytes, as: UTF8.self), !valid.unicodeScalars.contains(where: { (0x10FE80...0x10FEFF).contains($0.value) }) {
                #expect(path == valid && FileNameBytes.shown(path) == valid)
            }
        }
        #expect(FileNameBytes.shown(FileNameBytes.decode(Array("caf".utf8) + [0xE9])) == "caf\\xE9")
    }
}
