import CLibXML2
import Foundation
@testable import NexlintCore
import NexlintRules
import Testing

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
private let sarifSchema = Run.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/schemas/sarif-schema-2.1.0.json")

/// Validates with libxml2's XSD support; returns libxml2's verdict (0 is valid). The schema is
/// read from memory: nexlint's deny-all entity loader (rightly) stops libxml2 opening files.
private func validate(_ xml: String, against schema: URL) -> Int32 {
    guard let schemaText = try? Data(contentsOf: schema) else { return -1 }
    let parser = schemaText.withUnsafeBytes { xmlSchemaNewMemParserCtxt($0.baseAddress!.assumingMemoryBound(to: CChar.self), Int32($0.count)) }
    guard let parser, let compiled = xmlSchemaParse(parser) else { return -1 }
    defer { xmlSchemaFree(compiled); xmlSchemaFreeParserCtxt(parser) }
    let context = xmlSchemaNewValidCtxt(compiled)
    defer { xmlSchemaFreeValidCtxt(context) }
    let bytes = Array(xml.utf8)
    guard let document = bytes.withUnsafeBufferPointer({ buffer in
        buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
            xmlReadMemory($0, Int32(buffer.count), nil, nil, Int32(XML_PARSE_NONET.rawValue))
        }
    }) else { return -1 }
    defer { xmlFreeDoc(document) }
    return xmlSchemaValidateDoc(context, document)
}

private func attribute(_ name: String, of element: String, in xml: String) -> [String] {
    let pattern = try! Regex("<\(element) [^>]*?\\b\(name)=\"([^\"]*)\"")
    return xml.matches(of: pattern).compactMap { $0.output[1].substring.map(String.init) }
}

@Suite(.serialized) struct ReporterTests {
    @Test func junitValidatesAndCountsMatchTheJSONFindings() throws {
        let junit = try Run(["lint", "--format", "junit", "Samples"])
        let json = try Run(["lint", "--format", "json", "Samples"])
        #expect(junit.status == 1)
        #expect(validate(junit.output, against: fixtures.appendingPathComponent("junit.xsd")) == 0)
        let findings = json.findings
        let unreadable = findings.filter { ["NXJ001", "NXJ002"].contains($0["rule"] as? String) }.count
        // A note is a passing case (its message in system-out); NXJ002, a note, is skipped.
        func isPassingNote(_ finding: [String: Any]) -> Bool { finding["severity"] as? String == "note" && finding["rule"] as? String != "NXJ002" }
        let notes = findings.filter(isPassingNote).count
        #expect(notes > 0)
        let totals = attribute("failures", of: "testsuites", in: junit.output) + attribute("errors", of: "testsuites", in: junit.output)
            + attribute("skipped", of: "testsuites", in: junit.output)
        #expect(totals.compactMap(Int.init).reduce(0, +) == findings.count - notes)
        #expect(attribute("failures", of: "testsuites", in: junit.output) == [String(findings.count - unreadable - notes)])
        #expect(junit.output.components(separatedBy: "<system-out>").count - 1 == notes)
        #expect(junit.output.components(separatedBy: "<testsuite ").count - 1 == (json.json["summary"] as! [String: Int])["files"])
        #expect(junit.output.contains("<error type=\"error\""))
        #expect(junit.output.contains("<skipped message="))
        // Without NXJ001 and NXJ002 every finding but a note is a failure.
        let checked = try Run(["lint", "--format", "junit", "--ignore", "NXJ001,NXJ002", "Samples"])
        let checkedJSON = try Run(["lint", "--format", "json", "--ignore", "NXJ001,NXJ002", "Samples"])
        #expect(attribute("failures", of: "testsuites", in: checked.output)
            == [String(checkedJSON.findings.filter { !isPassingNote($0) }.count)])
    }

    @Test func junitCaseNamesAreUniqueAndTextIsEscaped() {
        let findings = [
            Finding(ruleID: "EXO012", severity: .error, location: SourceLocation(file: "a&b.synctargets", position: SourcePosition(line: 3, column: 4)),
                    message: "host `<x>` & \"y\"\u{1}", element: "SyncTarget"),
            Finding(ruleID: "EXO012", severity: .error, location: SourceLocation(file: "a&b.synctargets", position: SourcePosition(line: 3, column: 4)),
                    message: "method", element: "SyncTarget"),
        ]
        let xml = JUnitReporter().render(LintReport(findings: findings, files: ["a&b.synctargets", "clean.environment"], problems: []))
        #expect(validate(xml, against: fixtures.appendingPathComponent("junit.xsd")) == 0)
        #expect(attribute("name", of: "testcase", in: xml) == ["EXO012 3:4", "EXO012 3:4 (2)", "no findings"])
        // The message in the attribute and again in the text, escaped or copied as it is.
        #expect(xml.contains("message=\"host `&lt;x&gt;` &amp; &quot;y&quot;\u{FFFD}\">a&amp;b.synctargets:3:4: error: host `&lt;x&gt;` &amp; &quot;y&quot;\u{FFFD} [EXO012]</failure>"))
        #expect(xml.contains("message=\"method\">a&amp;b.synctargets:3:4: error: method [EXO012]</failure>"))
        #expect(attribute("tests", of: "testsuites", in: xml) == ["3"])
        #expect(attribute("line", of: "testcase", in: xml) == ["3", "3"])
        // The rule is written once in the case's name and copied into the text, unless the two
        // places escape it differently (a tab only in an attribute).
        let odd = Finding(ruleID: "X\tY&Z", severity: .warning, location: SourceLocation(file: "o.environment", position: SourcePosition(line: 12, column: 7)),
                          message: "m", element: "Environment")
        let oddXML = JUnitReporter().render(LintReport(findings: [odd], files: ["o.environment"], problems: []))
        #expect(oddXML.contains("name=\"X&#9;Y&amp;Z 12:7\" file=\"o.environment\" line=\"12\""))
        #expect(oddXML.contains(">o.environment:12:7: warning: m [X\tY&amp;Z]</failure>"))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sarifSchema.path), "the OASIS SARIF schema is in ../shared"))
    func sarifValidatesAgainstTheOASISSchema() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.sarif")
        let run = try Run(["lint", "--format", "sarif", "--output", report.path, "Samples"])
        #expect(run.status == 1)
        #expect(run.output.isEmpty)
        let validator = try Run(["python3", "-c", """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); document = json.load(open(sys.argv[2]))
            errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(document))
            for error in errors[:5]: print(error.message, list(error.path))
            sys.exit(1 if errors else 0)
            """, sarifSchema.path, report.path], executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(validator.status == 0, "\(validator.output)")

        let sarif = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as! [String: Any]
        let runs = sarif["runs"] as! [[String: Any]]
        let driver = (runs[0]["tool"] as! [String: Any])["driver"] as! [String: Any]
        let rules = driver["rules"] as! [[String: Any]]
        #expect(rules.count == RuleExampleTests.identifiers.count)
        for rule in rules {
            for key in ["shortDescription", "fullDescription", "help"] { #expect((rule[key] as? [String: Any])?["text"] is String) }
        }
        let results = runs[0]["results"] as! [[String: Any]]
        #expect(results.count == (try Run(["lint", "--format", "json", "Samples"])).findings.count)
        let uris = results.map { (((($0["locations"] as! [[String: Any]])[0]["physicalLocation"] as! [String: Any])["artifactLocation"] as! [String: Any])["uri"] as! String) }
        #expect(uris.allSatisfy { $0.hasPrefix("Samples/") })
        let fingerprints = results.map { ($0["partialFingerprints"] as! [String: String])[SARIFReporter.fingerprintKey]! }
        #expect(Set(fingerprints).count == fingerprints.count)
    }

    @Test func sarifURIsAreRepositoryRelativeFromAnySubdirectory() throws {
        let fromRoot = try Run(["lint", "--format", "sarif", "Samples/basic-auth"])
        let fromInside = try Run(["lint", "--format", "sarif", "."], in: Run.packageRoot.appendingPathComponent("Samples/basic-auth"))
        #expect(fromRoot.output == fromInside.output)
        #expect(fromRoot.output.contains("\"uri\": \"Samples/basic-auth/crm-legacy.environment\""))
    }

    @Test func fingerprintsSurviveLinesMoving() throws {
        let finding = Finding(ruleID: "EXO002", severity: .error, location: SourceLocation(file: "a.environment", position: SourcePosition(line: 4, column: 3)),
                              message: "m", channel: "EWS", element: "HTTPConnection")
        let moved = Finding(ruleID: "EXO002", severity: .error, location: SourceLocation(file: "a.environment", position: SourcePosition(line: 40, column: 3)),
                            message: "m", channel: "EWS", element: "HTTPConnection")
        let repository = RepositoryLocation(root: "/r", workingDirectory: "/r")
        let reporter = SARIFReporter(rules: [], repository: repository)
        let print = { (finding: Finding) in
            reporter.render(LintReport(findings: [finding], files: ["a.environment"], problems: []))
                .split(separator: "\n").first { $0.contains(SARIFReporter.fingerprintKey) }
        }
        #expect(print(finding) != nil)
        #expect(print(finding) == print(moved))
        #expect(SARIFReporter.percentEncoded("dir with space/ä.environment") == "dir%20with%20space/%C3%A4.environment")
    }

    /// A rule reporting twice on one subject in a file (EXO012) gives each finding a fingerprint
    /// of its own, by occurrence; the subject is the channel, or else the element, so a finding
    /// without a channel on an element named like another's channel is a repeat of it.
    @Test func repeatsOnOneSubjectAreCountedInTheirFingerprints() throws {
        func finding(line: Int, channel: String?, element: String = "HTTPConnection") -> Finding {
            Finding(ruleID: "EXO012", severity: .warning, location: SourceLocation(file: "a.environment", position: SourcePosition(line: line, column: 3)),
                    message: "m", channel: channel, element: element)
        }
        let reporter = SARIFReporter(rules: [], repository: RepositoryLocation(root: "/r", workingDirectory: "/r"))
        func fingerprints(_ findings: [Finding]) -> [Substring] {
            reporter.render(LintReport(findings: findings, files: ["a.environment"], problems: []))
                .split(separator: "\n").filter { $0.contains(SARIFReporter.fingerprintKey) }
        }
        let first = finding(line: 4, channel: "EWS"), second = finding(line: 9, channel: "EWS")
        let pair = fingerprints([first, second])
        #expect(pair.count == 2)
        #expect(pair[0] != pair[1])
        #expect(fingerprints([first]) == [pair[0]])
        #expect(fingerprints([first, finding(line: 9, channel: nil, element: "EWS")]) == pair)
        #expect(fingerprints([first, finding(line: 9, channel: "Other")])[1] != pair[1])
    }

    /// A file with many findings on many subjects: each fingerprint is the digest of rule, path,
    /// subject and that rule and subject's occurrence so far, as counted by the most direct
    /// means (a dictionary). Hundreds of rules and subjects in a table of a few thousand slots
    /// share slots, so finding the count probes past others.
    @Test func fingerprintsCountOccurrencesAcrossManySubjects() throws {
        var findings: [Finding] = []
        var expected: [String] = []
        var occurrences: [String: Int] = [:]
        for index in 0..<2_000 {
            let rule = ["EXO001", "EXO008", "EXO014", "NXJ004"][index % 4]
            let channel: String? = index % 5 == 0 ? nil : "Sender\(index % 97)"
            let element = index % 5 == 0 ? "Sender\(index % 89)" : "HTTPConnection"
            findings.append(Finding(ruleID: rule, severity: .warning,
                                    location: SourceLocation(file: "a.environment", position: SourcePosition(line: index + 1, column: 1)),
                                    message: "m", channel: channel, element: element))
            let subject = channel ?? element
            occurrences["\(rule)\u{0}\(subject)", default: 0] += 1
            var digest = Fingerprint()
            digest.add(rule)
            digest.add("a.environment")
            digest.add(subject)
            digest.add(occurrences["\(rule)\u{0}\(subject)"]!)
            var hex = ByteOutput()
            digest.appendHex(to: &hex)
            expected.append(hex.text)
        }
        let reporter = SARIFReporter(rules: [], repository: RepositoryLocation(root: "/r", workingDirectory: "/r"))
        let written = reporter.render(LintReport(findings: findings, files: ["a.environment"], problems: []))
            .split(separator: "\n").filter { $0.contains(SARIFReporter.fingerprintKey) }
            .map { String($0.split(separator: "\"").last!) }
        #expect(written == expected)
    }

    /// Each result's `ruleIndex` points at its own rule in the catalogue written before it,
    /// whichever rule and in whatever order; a rule the catalogue lacks gets none.
    @Test func sarifRuleIndexesPointAtTheirRules() throws {
        let catalogue = RuleCatalog.all.map { type(of: $0).description }
        let ruleIDs = catalogue.map(\.identifier).reversed() + ["ZZZ999"]
        let findings = ruleIDs.enumerated().map { line, rule in
            Finding(ruleID: rule, severity: .warning,
                    location: SourceLocation(file: "a.environment", position: SourcePosition(line: line + 1, column: 1)),
                    message: "m", element: "Environment")
        }
        let reporter = SARIFReporter(rules: catalogue, repository: RepositoryLocation(root: "/r", workingDirectory: "/r"))
        let sarif = try JSONSerialization.jsonObject(with: Data(reporter.render(LintReport(findings: findings, files: ["a.environment"], problems: [])).utf8)) as! [String: Any]
        let run = (sarif["runs"] as! [[String: Any]])[0]
        let written = ((run["tool"] as! [String: Any])["driver"] as! [String: Any])["rules"] as! [[String: Any]]
        let results = run["results"] as! [[String: Any]]
        #expect(results.count == ruleIDs.count)
        for result in results {
            let rule = result["ruleId"] as! String
            if rule == "ZZZ999" {
                #expect(result["ruleIndex"] == nil)
            } else {
                #expect(written[result["ruleIndex"] as! Int]["id"] as? String == rule)
            }
        }
    }

    /// JSON strings are escaped byte by byte: the short escapes, `\u00XX` for other control
    /// characters, U+2028/U+2029 (JavaScript line breaks), everything else as it is; a message's
    /// pieces escape as their joined text; empty containers are `[]` and `{}`.
    @Test func jsonStreamEscapesAndLaysOutAsSpecified() throws {
        let text = "a\"b\\c\nd\re\tf\u{1}g\u{1F}h\u{7F}i\u{2028}j\u{2029}k\u{E9}\u{1F600}l"
        var output = ByteOutput()
        JSONValue.object([("text", .string(text)), ("empty", .array([])), ("none", .object([])),
                          ("list", .array([.int(-12), .bool(true), .null]))]).write(to: &output)
        let written = String(decoding: output.written, as: UTF8.self)
        #expect(written == """
            {
              "text": "a\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh\u{7F}i\\u2028j\\u2029k\u{E9}\u{1F600}l",
              "empty": [],
              "none": {},
              "list": [
                -12,
                true,
                null
              ]
            }

            """)
        let decoded = try JSONSerialization.jsonObject(with: Data(output.written)) as? [String: Any]
        #expect(decoded?["text"] as? String == text)
        var pieces = ByteOutput()
        let message: FindingMessage = "\(String(text.prefix(5)))\(String(text.dropFirst(5)))"
        JSONStream().string(message, &pieces)
        var whole = ByteOutput()
        JSONStream().string(text, &whole)
        #expect(pieces.bytes == whole.bytes)
    }

    /// The JUnit report's XML keeps the bytes libxml2's `xmlTextWriter` gave it (checked byte
    /// for byte against it on every ASCII character and the edges of Unicode when XMLStream
    /// replaced it): entities for `&<>"`, `&#13;` everywhere and `&#9;`/`&#10;` in attributes,
    /// U+FFFD for what XML cannot hold, and the indentation of elements with and without content.
    @Test func xmlStreamEscapesAndIndentsAsLibxml2Did() {
        let text = "a&b<c>d\"e'f\tg\nh\ri\u{1}j\u{FFFE}k\u{E9}\u{1F600}"
        var output = ByteOutput()
        var xml = XMLStream(&output)
        xml.startElement("root", &output)
        xml.attribute("a", text, &output)
        xml.startElement("empty", &output)
        xml.endElement(&output)
        xml.startElement("child", &output)
        xml.attribute("n", 12, &output)
        xml.text(text, &output)
        xml.endElement(&output)
        xml.startElement("nested", &output)
        xml.startElement("leaf", &output)
        xml.text("", &output)
        xml.finish(&output)
        #expect(String(decoding: output.written, as: UTF8.self) == """
            <?xml version="1.0" encoding="UTF-8"?>
            <root a="a&amp;b&lt;c&gt;d&quot;e'f&#9;g&#10;h&#13;i\u{FFFD}j\u{FFFD}k\u{E9}\u{1F600}">
              <empty/>
              <child n="12">a&amp;b&lt;c&gt;d&quot;e'f\tg\nh&#13;i\u{FFFD}j\u{FFFD}k\u{E9}\u{1F600}</child>
              <nested>
                <leaf></leaf>
              </nested>
            </root>

            """)
    }

    /// A JUnit case writes its message twice, as the `message` attribute and in the text: the
    /// text copies the attribute's bytes when they are escaped alike (no escape at all, or only
    /// `&<>"` and carriage returns), and is escaped again when the message holds a tab or a
    /// line feed, which only an attribute escapes.
    @Test func junitMessagesInAttributeAndTextAreEachEscapedForTheirPlace() {
        func finding(_ message: String, line: Int) -> Finding {
            Finding(ruleID: "EXO014", severity: .warning, location: SourceLocation(file: "a.environment", position: SourcePosition(line: line, column: 1)),
                    message: FindingMessage(message), element: "HTTPConnection")
        }
        let findings = [finding("plain", line: 1), finding(#"set maxSenders="20" & <go>"# + "\r", line: 2),
                        finding("tab\there\nand &#9; as written", line: 3)]
        let rendered = JUnitReporter().render(LintReport(findings: findings, files: ["a.environment"]))
        let expected = [
            #"<failure type="warning" message="plain">a.environment:1:1: warning: plain [EXO014]</failure>"#,
            #"<failure type="warning" message="set maxSenders=&quot;20&quot; &amp; &lt;go&gt;&#13;">a.environment:2:1: warning: set maxSenders=&quot;20&quot; &amp; &lt;go&gt;&#13; [EXO014]</failure>"#,
            "<failure type=\"warning\" message=\"tab&#9;here&#10;and &amp;#9; as written\">a.environment:3:1: warning: tab\there\nand &amp;#9; as written [EXO014]</failure>",
        ]
        for line in expected { #expect(rendered.contains(line), "\(line)") }
    }

    /// The escaping writers skip eight bytes at a time between the bytes they must look at:
    /// an escape is found wherever it falls against those steps, in one piece of a message or
    /// across pieces, and the test for a tab or line feed escaped in an attribute reads the
    /// entity whole, up to the value's last byte.
    @Test func escapesAreFoundWhereverTheyFall() {
        func reference(_ text: String) -> String {
            text.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "&": "&amp;"
                case "<": "&lt;"
                case ">": "&gt;"
                case "\"": "&quot;"
                case "\r": "&#13;"
                case "\t": "&#9;"
                case "\n": "&#10;"
                default: String(scalar)
                }
            }.joined()
        }
        for length in 1...24 {
            for position in 0..<length {
                for special in ["<", "&", "\t", "\""] {
                    var characters = Array(repeating: "a", count: length)
                    characters[position] = special
                    let text = characters.joined()
                    var output = ByteOutput()
                    let unescaped = XMLStream.appendEscaped(FindingMessage(text), inAttribute: true, to: &output)
                    #expect(output.text == reference(text), "\(length) \(position) \(special)")
                    #expect(!unescaped)
                    let split = text.index(text.startIndex, offsetBy: position)
                    var pieces = ByteOutput()
                    XMLStream.appendEscaped("\(String(text[..<split]))\(String(text[split...]))", inAttribute: true, to: &pieces)
                    #expect(pieces.text == reference(text), "pieces \(length) \(position) \(special)")
                }
            }
        }
        for length in 0...24 {
            var output = ByteOutput()
            #expect(XMLStream.appendEscaped(FindingMessage(String(repeating: "b", count: length)), inAttribute: true, to: &output))
        }
        func alike(_ escaped: String) -> Bool {
            Array(escaped.utf8).withUnsafeBufferPointer { XMLStream.isEscapedAlikeAsText($0) }
        }
        #expect(alike("plain &amp; &lt;go&gt; &#13;"))
        #expect(!alike("tab&#9;"))
        #expect(!alike("&#10;"))
        #expect(!alike("a &amp; b&#10;c"))
        #expect(alike("cut off &#1"))
        #expect(alike("cut off &#"))
        #expect(alike("&"))
        #expect(alike(""))
    }

    /// A byte set tests sixteen bytes at a time and the last few in the sixteen that end the
    /// run: with the sets the writers use (control characters and a few others, bytes above
    /// 0x7F among them) and sets of other shapes, every byte value at every place of runs
    /// shorter and longer than a step, searched from every start, and runs of one value, are
    /// found where a byte-by-byte search finds them.
    @Test func byteSetsFindTheFirstMemberWhereverItFalls() {
        let sets: [[UInt8]] = [
            Array(0..<0x20) + Array("\"\\".utf8) + [0xE2],
            Array(0..<0x20) + Array("&<>\"".utf8) + [0xEF],
            Array("%\r\n".utf8),
            Array("%\r\n:,".utf8),
            [0],
            [0xFF],
            Array(0..<0x80),
            Array(0...0xFF),
            [],
        ]
        for members in sets {
            let set = ByteSet(members)
            let isMember = Set(members)
            // Runs of one byte value, whose first byte is the answer or none is.
            for value in 0...255 {
                let run = [UInt8](repeating: UInt8(value), count: 40)
                let found = run.withUnsafeBufferPointer { set.firstMember(in: $0, from: 0) }
                #expect(found == (isMember.contains(UInt8(value)) ? 0 : 40), "\(members.count) members, a run of \(value)")
            }
            for length in 0...40 {
                for value in 0...255 {
                    for place in Swift.stride(from: 0, to: length, by: length > 20 ? 3 : 1) {
                        var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                        bytes[place] = UInt8(value)
                        bytes.withUnsafeBufferPointer { buffer in
                            for start in [0, place / 2, place, min(place + 1, length)] {
                                let expected = (start..<length).first { isMember.contains(buffer[$0]) } ?? length
                                let found = set.firstMember(in: buffer, from: start)
                                #expect(found == expected, "\(members.count) members, \(length) bytes, \(value) at \(place), from \(start)")
                                if found != expected { return }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Numbers are written from their last digit back, after counting the digits: every
    /// count of digits, both ends of Int, and signs, as Swift itself writes them; a
    /// fingerprint mixes the same digits.
    @Test func numbersAreWrittenAsSwiftWritesThem() {
        var numbers = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var power = 1
        while power <= Int.max / 10 {
            power *= 10
            numbers += [power - 1, power, power + 1, -power, -(power - 1)]
        }
        for number in numbers {
            var output = ByteOutput()
            output.append(UInt8(ascii: "["))
            output.append(number: number)
            output.append(UInt8(ascii: "]"))
            #expect(output.text == "[\(number)]")
            var mixed = Fingerprint()
            mixed.add(number)
            var asText = Fingerprint()
            asText.add(String(number))
            #expect(mixed.value == asText.value, "\(number)")
        }
    }

    /// Comparison keys (SARIF's rule index, NXJ003's duplicate names) never tell equal texts
    /// apart, however they are spelled, and tell different ASCII texts apart.
    @Test func comparisonKeysNeverTellEqualTextsApart() {
        let texts: [String?] = ["K", "\u{212A}", "EXO008", "EXO009", "é", "e\u{301}", "", nil]
        for left in texts {
            for right in texts where left == right {
                #expect(Fingerprint.keysMayMatch(Fingerprint.comparisonKey(of: left), Fingerprint.comparisonKey(of: right)),
                        "\(String(describing: left)) \(String(describing: right))")
            }
        }
        #expect(!Fingerprint.keysMayMatch(Fingerprint.comparisonKey(of: "EXO008"), Fingerprint.comparisonKey(of: "EXO009")))
    }

    @Test func githubAnnotationsEscapeTheirParts() {
        let finding = Finding(ruleID: "EXO004", severity: .note, location: SourceLocation(file: "a,b:c.environment", position: SourcePosition(line: 2, column: 1)),
                              message: "50% done\nnext\r\nand %\u{301}", element: "Environment")
        let text = GitHubReporter(repository: RepositoryLocation(root: "/r", workingDirectory: "/r/sub"))
            .render(LintReport(findings: [finding], files: [], problems: []))
        // Byte by byte: a CR LF pair and a `%` with a combining mark are one Character each.
        #expect(text == "::notice file=sub/a%2Cb%3Ac.environment,line=2,col=1,title=EXO004::50%25 done%0Anext%0D%0Aand %25\u{301}\n")
    }

    @Test func everyFormatIsIdenticalForAnyJobCount() throws {
        for format in ["junit", "sarif", "github"] {
            let one = try Run(["lint", "--format", format, "--jobs", "1", "Samples"])
            let many = try Run(["lint", "--format", format, "--jobs", "5", "Samples"])
            #expect(one.output == many.output, "\(format)")
        }
    }

    @Test func formatsPairWithTheOutputThatFollows() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let junit = directory.appendingPathComponent("report.xml").path
        let json = directory.appendingPathComponent("report.json").path
        let run = try Run(["lint", "--format", "text", "--format=junit", "--output", junit, "--format", "json", "--output=\(json)", "Samples/basic-auth"])
        #expect(run.status == 1)
        #expect(run.output.hasPrefix("Samples/basic-auth/crm-legacy.environment:"))
        #expect(try String(contentsOfFile: junit, encoding: .utf8).hasPrefix("<?xml"))
        #expect(try String(contentsOfFile: json, encoding: .utf8).hasPrefix("{"))
        #expect(try Run(["lint", "--output", junit, "--format", "junit", "Samples/basic-auth"]).status == 2)
        #expect(try Run(["lint", "--format", "json", "--format", "text", "Samples/basic-auth"]).status == 2)
        let unwritable = try Run(["lint", "--format", "json", "--output", "/nonexistent/dir/r.json", "Samples/basic-auth"])
        #expect(unwritable.status == 2)
        #expect(unwritable.errors.contains("cannot write"))
    }

    @Test func secretsAreMaskedInEveryFormat() throws {
        for format in ["text", "json", "junit", "sarif", "github"] {
            let run = try Run(["lint", "--format", format, "Samples"])
            for secret in ["Winter2021!", "Welcome1", "V2ludGVyMjAyNSE=", "50726f787950617373"] {
                #expect(!run.output.contains(secret), "\(format) shows a secret")
            }
        }
    }
}

/// JUnit's suites are set aside in a temporary file and read back after the totals: the bytes
/// come back whole and in order, handed to the destination's drain as they are read, or
/// appended where the destination keeps everything.
@Suite struct SpillFileTests {
    @Test func partsSetAsideComeBackInOrder() throws {
        // More than one part of the read-back, and a size that is no multiple of it.
        let written = (0..<(2 * 1024 * 1024 + 12_345)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        let spill = SpillFile()
        var offset = 0
        while offset < written.count {
            let end = min(offset + 50_000, written.count)
            written[offset..<end].withUnsafeBufferPointer { spill.output.append($0) }
            spill.output.drainIfLarge()
            offset = end
        }
        var drained: [[UInt8]] = []
        var destination = ByteOutput { drained.append(Array($0)) }
        destination.append(contentsOf: "<before>")
        spill.copy(into: &destination)
        destination.append(contentsOf: "<after>")
        destination.drainAll()
        // A Boolean, so that a failure does not print megabytes.
        let cameBackInOrder = drained.joined().elementsEqual(Array("<before>".utf8) + written + Array("<after>".utf8))
        #expect(cameBackInOrder)
        #expect(drained.count > 3)

        var kept = ByteOutput()
        spill.copy(into: &kept)
        let keptWhole = kept.bytes == written
        #expect(keptWhole)

        // A destination that is a file takes the part by a copy from file to file, after what
        // it was given before; one whose system cannot copy gets the parts read back.
        let path = try temporaryDirectory().appendingPathComponent("report").path
        let file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        #expect(file >= 0)
        defer { close(file) }
        var copies = 0
        var toFile = ByteOutput(drainingTo: { _ = FileSystem.writeAll($0, to: file) }, copyingFiles: { count, source in
            copies += 1
            return FileSystem.copy(count, bytesOf: source, to: file) == .copied
        })
        toFile.append(contentsOf: "<before>")
        spill.copy(into: &toFile)
        toFile.append(contentsOf: "<after>")
        toFile.drainAll()
        let size = Int(lseek(file, 0, SEEK_END))
        var copied = [UInt8](repeating: 0, count: size)
        #expect(pread(file, &copied, size, 0) == size)
        let copiedWhole = copied == Array("<before>".utf8) + written + Array("<after>".utf8)
        #expect(copiedWhole)
        #expect(copies == 1)

        // A source that ends before the count is a failed copy, never a shorter report.
        let short = open(path + ".short", O_RDWR | O_CREAT | O_TRUNC, 0o600)
        defer { close(short) }
        #expect(FileSystem.copy(size + 1, bytesOf: file, to: short) == .failed)

        drained = []
        var refusing = ByteOutput(drainingTo: { drained.append(Array($0)) }, copyingFiles: { _, _ in false })
        spill.copy(into: &refusing)
        refusing.drainAll()
        let readBack = drained.joined().elementsEqual(written)
        #expect(readBack)
    }
}
