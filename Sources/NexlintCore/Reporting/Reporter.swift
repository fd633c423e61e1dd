/// Turns a lint report into one output format. Every format reads the same ``Finding``s.
public protocol Reporter {
    /// Appends the report: the bytes written are the bytes output, with no `String` between.
    func write(_ report: LintReport, to output: inout ByteOutput)
}

public extension Reporter {
    func render(_ report: LintReport) -> String {
        var output = ByteOutput()
        write(report, to: &output)
        return output.text
    }
}

public struct SeverityCounts: Sendable, Equatable {
    public var errors = 0
    public var warnings = 0
    public var notes = 0

    public init(_ findings: [Finding]) {
        for finding in findings {
            switch finding.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .note: notes += 1
            }
        }
    }
}

/// `path:line:col: severity: message [ID]`, then a summary line.
public struct TextReporter: Reporter {
    public var colored: Bool
    public var quiet: Bool

    public init(colored: Bool = false, quiet: Bool = false) {
        self.colored = colored
        self.quiet = quiet
    }

    public func write(_ report: LintReport, to output: inout ByteOutput) {
        output.reserveCapacity(output.count + report.findings.reduce(0) {
            $0 + $1.location.file.utf8.count + 160
        })
        let labels = Severity.allCases.map { severity in Array((paint(severity.rawValue + ":", severity) + " ").utf8) }
        // Findings come sorted by file: a file's escaped name is made once for all of its lines.
        var lastFile: String?
        var fileBytes: [UInt8] = []
        for finding in report.findings {
            if finding.location.file != lastFile {
                lastFile = finding.location.file
                var name = ByteOutput()
                if colored { name.append("\u{1B}[1m") }
                name.append(escapingControlCharacters: FileNameBytes.shown(finding.location.file))
                name.append(UInt8(ascii: ":"))
                fileBytes = name.bytes
            }
            output.append(fileBytes)
            writeLine(finding, labels: labels, to: &output)
            output.drainIfLarge()
        }
        if !quiet { output.append(summary(report) + "\n") }
    }

    /// What follows the file name.
    private func writeLine(_ finding: Finding, labels: [[UInt8]], to output: inout ByteOutput) {
        output.append(number: finding.location.line)
        output.append(UInt8(ascii: ":"))
        output.append(number: finding.location.column)
        output.append(colored ? ":\u{1B}[0m " : ": ")
        output.append(labels[finding.severity.index])
        output.append(escapingControlCharacters: finding.wording)
        output.append(UInt8(ascii: " "))
        output.append(UInt8(ascii: "["))
        output.append(finding.ruleID)
        output.append(UInt8(ascii: "]"))
        output.append(UInt8(ascii: "\n"))
    }

    private func summary(_ report: LintReport) -> String {
        let files = report.files.count == 1 ? "1 file" : "\(report.files.count) files"
        guard !report.findings.isEmpty else { return "No findings in \(files)." }
        let counts = SeverityCounts(report.findings)
        func count(_ number: Int, _ noun: String) -> String { number == 1 ? "1 \(noun)" : "\(number) \(noun)s" }
        return "Found \(count(counts.errors, "error")), \(count(counts.warnings, "warning")) and \(count(counts.notes, "note")) in \(files)."
    }

    private func paint(_ text: String, _ severity: Severity) -> String {
        guard colored else { return text }
        let code = switch severity {
        case .error: "31"
        case .warning: "33"
        case .note: "36"
        }
        return "\u{1B}[1;\(code)m\(text)\u{1B}[0m"
    }
}

/// The stable JSON shape, version 1 (spec §3).
public struct JSONReporter: Reporter {
    public init() {}

    public func write(_ report: LintReport, to output: inout ByteOutput) {
        var json = JSONStream()
        json.beginObject(&output)
        json.key("version", &output)
        json.int(1, &output)
        json.key("tool", &output)
        JSONValue.object([("name", .string("nexlint")), ("version", .string(Nexlint.version))]).write(&json, &output)
        json.key("findings", &output)
        json.beginArray(&output)
        // Findings come sorted by file: a file's name is quoted once for all of its findings.
        var lastFile: String?
        var quotedFile: [UInt8] = []
        for finding in report.findings {
            if finding.location.file != lastFile {
                lastFile = finding.location.file
                quotedFile = JSONStream.quoted(FileNameBytes.shown(finding.location.file))
            }
            json.element(&output)
            json.beginObject(&output)
            json.key("rule", &output)
            json.string(finding.ruleID, &output)
            json.key("severity", &output)
            json.string(finding.severity.rawValue, &output)
            json.key("file", &output)
            output.append(quotedFile)
            json.key("line", &output)
            json.int(finding.location.line, &output)
            json.key("column", &output)
            json.int(finding.location.column, &output)
            json.key("message", &output)
            json.string(finding.wording, &output)
            json.key("channel", &output)
            if let channel = finding.channel { json.string(channel, &output) } else { json.null(&output) }
            json.key("fixable", &output)
            json.bool(finding.isFixable, &output)
            json.endObject(&output)
            output.drainIfLarge()
        }
        json.endArray(&output)
        let counts = SeverityCounts(report.findings)
        json.key("summary", &output)
        JSONValue.object([
            ("files", .int(report.files.count)),
            ("errors", .int(counts.errors)),
            ("warnings", .int(counts.warnings)),
            ("notes", .int(counts.notes)),
        ]).write(&json, &output)
        json.endObject(&output)
        json.finish(&output)
    }
}
