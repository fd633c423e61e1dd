/// JUnit XML (spec §3): one suite per file, a passing case for a clean file, a case per
/// finding with `failure`, or `error` for NXJ001 and `skipped` for NXJ002 (files that could not
/// be checked). Times are 0: linting has no per-test duration worth the loss of byte-identical
/// reports.
public struct JUnitReporter: Reporter {
    public static let unreadableRules: [String: String] = ["NXJ001": "error", "NXJ002": "skipped"]

    /// The suites, written before `<testsuites>` can be: its attributes total them.
    private var suites: SpillFile?
    private var suitesWriter = XMLStream(inside: ["testsuites"])
    private var totals = Totals()
    private var tests = 0

    public init() {}

    public mutating func file(_ path: String, findings: [Finding], _ output: inout ByteOutput) {
        let spill = suites ?? SpillFile()
        suites = spill
        writeSuite(path, findings: findings, to: &spill.output)
    }

    public mutating func end(_: ReportTotals, _ output: inout ByteOutput) {
        var xml = XMLStream(&output)
        xml.startElement("testsuites", &output)
        xml.attribute("name", "nexlint", &output)
        totals.write(to: &xml, tests: tests, &output)
        if let suites {
            xml.beginChildren(&output)
            suites.copy(into: &output)
        }
        xml.finish(&output)
    }

    private mutating func writeSuite(_ path: String, findings: [Finding], to output: inout ByteOutput) {
        let file = FileNameBytes.shown(path)
        let fileTotals = Totals(findings)
        totals.add(fileTotals)
        tests += max(findings.count, 1)
        var xml = suitesWriter
        defer { suitesWriter = xml }
        xml.startElement("testsuite", &output)
        xml.attribute("name", file, &output)
        fileTotals.write(to: &xml, tests: max(findings.count, 1), &output)
        if findings.isEmpty {
            writeCase(to: &xml, file: file, name: "no findings", line: nil, &output)
            xml.endElement(&output)
        }
        var seen: [String: Int] = [:]
        for finding in findings {
            let base = "\(finding.ruleID) \(finding.location.line):\(finding.location.column)"
            seen[base, default: 0] += 1
            // Several findings of one rule at one place (EXO012) still need unique names.
            let name = seen[base] == 1 ? base : "\(base) (\(seen[base]!))"
            writeCase(to: &xml, file: file, name: name, line: finding.location.line, &output)
            let kind = Self.unreadableRules[finding.ruleID] ?? "failure"
            xml.startElement(kind, &output)
            if kind != "skipped" { xml.attribute("type", finding.severity.rawValue, &output) }
            xml.attribute("message", finding.wording, &output)
            xml.text("\(file):\(finding.location.line):\(finding.location.column): \(finding.severity.rawValue): ", &output)
            for index in finding.wording.pieces.indices { xml.text(finding.wording.pieces[index], &output) }
            xml.text(" [\(finding.ruleID)]", &output)
            xml.endElement(&output)
            xml.endElement(&output)
            output.drainIfLarge()
        }
        xml.endElement(&output)
        output.drainIfLarge()
    }

    /// Opens a `testcase`; the caller closes it.
    private func writeCase(to xml: inout XMLStream, file: String, name: String, line: Int?, _ output: inout ByteOutput) {
        xml.startElement("testcase", &output)
        xml.attribute("classname", file, &output)
        xml.attribute("name", name, &output)
        xml.attribute("file", file, &output)
        if let line { xml.attribute("line", line, &output) }
        xml.attribute("time", 0, &output)
    }

    private struct Totals {
        var failures = 0
        var errors = 0
        var skipped = 0

        init() {}

        mutating func add(_ other: Totals) {
            failures += other.failures
            errors += other.errors
            skipped += other.skipped
        }

        init(_ findings: [Finding]) {
            for finding in findings {
                switch JUnitReporter.unreadableRules[finding.ruleID] {
                case "error": errors += 1
                case "skipped": skipped += 1
                default: failures += 1
                }
            }
        }

        func write(to xml: inout XMLStream, tests: Int, _ output: inout ByteOutput) {
            xml.attribute("tests", tests, &output)
            xml.attribute("failures", failures, &output)
            xml.attribute("errors", errors, &output)
            xml.attribute("skipped", skipped, &output)
            xml.attribute("time", 0, &output)
        }
    }
}

/// GitHub Actions workflow commands: an annotation per finding on the changed file.
public struct GitHubReporter: Reporter {
    public var repository: RepositoryLocation

    public init(repository: RepositoryLocation) {
        self.repository = repository
    }

    public func file(_ path: String, findings: [Finding], _ output: inout ByteOutput) {
        guard !findings.isEmpty else { return }
        // Once per file: its escaped path from the repository root.
        var fileProperty = ByteOutput()
        Self.appendEscaped(FileNameBytes.shown(repository.relativePath(of: path)), isProperty: true, to: &fileProperty)
        for finding in findings {
            let command: StaticString = switch finding.severity {
            case .error: "::error file="
            case .warning: "::warning file="
            case .note: "::notice file="
            }
            output.append(contentsOf: command)
            output.append(fileProperty.written)
            output.append(contentsOf: ",line=")
            output.append(number: finding.location.line)
            output.append(contentsOf: ",col=")
            output.append(number: finding.location.column)
            output.append(contentsOf: ",title=")
            Self.appendEscaped(finding.ruleID, isProperty: true, to: &output)
            output.append(contentsOf: "::")
            for index in finding.wording.pieces.indices {
                Self.appendEscaped(finding.wording.pieces[index], isProperty: false, to: &output)
            }
            output.append(UInt8(ascii: "\n"))
            output.drainIfLarge()
        }
    }

    public func end(_: ReportTotals, _: inout ByteOutput) {}

    /// A workflow command's data: `%`, CR and LF percent-encoded byte by byte (a CR LF pair
    /// and a `%` with a combining mark after it included); a property also encodes `:` and `,`.
    /// The bytes a workflow command encodes (`:` and `,` only in properties).
    private static let escaped = ByteSet(Array("%\r\n:,".utf8))

    static func appendEscaped(_ text: String, isProperty: Bool, to output: inout ByteOutput) {
        output.append(text, escaping: escaped) { bytes, index in
            switch bytes[index] {
            case UInt8(ascii: "%"): (StaticString("%25").bytes, 1)
            case 0x0D: (StaticString("%0D").bytes, 1)
            case 0x0A: (StaticString("%0A").bytes, 1)
            case UInt8(ascii: ":") where isProperty: (StaticString("%3A").bytes, 1)
            case UInt8(ascii: ",") where isProperty: (StaticString("%2C").bytes, 1)
            default: nil
            }
        }
    }
}
