import NexlintXML

/// JUnit XML (spec §3): one suite per file, a passing case for a clean file, a case per
/// finding with `failure`, or `error` for NXJ001 and `skipped` for NXJ002 (files that could not
/// be checked). Times are 0: linting has no per-test duration worth the loss of byte-identical
/// reports.
public struct JUnitReporter: Reporter {
    public static let unreadableRules: [String: String] = ["NXJ001": "error", "NXJ002": "skipped"]

    public init() {}

    public func write(_ report: LintReport, to output: inout ByteOutput) {
        output.append(rendered(report))
    }

    private func rendered(_ report: LintReport) -> String {
        let byFile = Dictionary(grouping: report.findings, by: \.location.file)
        let cleanFiles = report.files.filter { byFile[$0] == nil }.count
        let writer = XMLWriter()
        writer.startElement("testsuites")
        writer.attribute("name", "nexlint")
        Totals(report.findings).write(to: writer, tests: report.findings.count + cleanFiles)
        for path in report.files {
            let findings = byFile[path] ?? []
            let file = FileNameBytes.shown(path)
            writer.startElement("testsuite")
            writer.attribute("name", file)
            Totals(findings).write(to: writer, tests: max(findings.count, 1))
            if findings.isEmpty {
                writeCase(to: writer, file: file, name: "no findings", line: nil)
                writer.endElement()
            }
            var seen: [String: Int] = [:]
            for finding in findings {
                let base = "\(finding.ruleID) \(finding.location.line):\(finding.location.column)"
                seen[base, default: 0] += 1
                // Several findings of one rule at one place (EXO012) still need unique names.
                let name = seen[base] == 1 ? base : "\(base) (\(seen[base]!))"
                writeCase(to: writer, file: file, name: name, line: finding.location.line)
                let kind = Self.unreadableRules[finding.ruleID] ?? "failure"
                writer.startElement(kind)
                if kind != "skipped" { writer.attribute("type", finding.severity.rawValue) }
                writer.attribute("message", finding.message)
                writer.text("\(file):\(finding.location.line):\(finding.location.column): \(finding.severity.rawValue): \(finding.message) [\(finding.ruleID)]")
                writer.endElement()
                writer.endElement()
            }
            writer.endElement()
        }
        return writer.finish()
    }

    /// Opens a `testcase`; the caller closes it.
    private func writeCase(to writer: XMLWriter, file: String, name: String, line: Int?) {
        writer.startElement("testcase")
        writer.attribute("classname", file)
        writer.attribute("name", name)
        writer.attribute("file", file)
        if let line { writer.attribute("line", String(line)) }
        writer.attribute("time", "0")
    }

    private struct Totals {
        var failures = 0
        var errors = 0
        var skipped = 0

        init(_ findings: [Finding]) {
            for finding in findings {
                switch JUnitReporter.unreadableRules[finding.ruleID] {
                case "error": errors += 1
                case "skipped": skipped += 1
                default: failures += 1
                }
            }
        }

        func write(to writer: XMLWriter, tests: Int) {
            writer.attribute("tests", String(tests))
            writer.attribute("failures", String(failures))
            writer.attribute("errors", String(errors))
            writer.attribute("skipped", String(skipped))
            writer.attribute("time", "0")
        }
    }
}

/// GitHub Actions workflow commands: an annotation per finding on the changed file.
public struct GitHubReporter: Reporter {
    public var repository: RepositoryLocation

    public init(repository: RepositoryLocation) {
        self.repository = repository
    }

    public func write(_ report: LintReport, to output: inout ByteOutput) {
        output.append(rendered(report))
    }

    private func rendered(_ report: LintReport) -> String {
        report.findings.map { finding in
            let command = switch finding.severity {
            case .error: "error"
            case .warning: "warning"
            case .note: "notice"
            }
            let properties = [
                "file=" + Self.escapeProperty(FileNameBytes.shown(repository.relativePath(of: finding.location.file))),
                "line=\(finding.location.line)",
                "col=\(finding.location.column)",
                "title=" + Self.escapeProperty(finding.ruleID),
            ].joined(separator: ",")
            return "::\(command) \(properties)::\(Self.escapeData(finding.message))\n"
        }.joined()
    }

    static func escapeData(_ text: String) -> String {
        text.replacingAll([("%", "%25"), ("\r", "%0D"), ("\n", "%0A")])
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingAll([(":", "%3A"), (",", "%2C")])
    }
}

extension String {
    /// Replaces characters one by one, so a replacement is never itself replaced.
    func replacingAll(_ replacements: [(Character, String)]) -> String {
        var result = ""
        for character in self {
            if let replacement = replacements.first(where: { $0.0 == character }) {
                result += replacement.1
            } else {
                result.append(character)
            }
        }
        return result
    }
}
