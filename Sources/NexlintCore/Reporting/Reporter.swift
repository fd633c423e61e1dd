/// Turns a lint report into one output format. Every format reads the same ``Finding``s.
public protocol Reporter {
    func render(_ report: LintReport) -> String
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

    public func render(_ report: LintReport) -> String {
        // Appended as bytes into one buffer sized up front: a run over a large repository
        // prints thousands of lines after the parallel part is over, and appending to a
        // `String` piece by piece costs several times more.
        var output: [UInt8] = []
        output.reserveCapacity(report.findings.reduce(0) { $0 + $1.location.file.utf8.count + $1.message.utf8.count + 48 })
        func add(_ text: String) { output.append(contentsOf: text.utf8) }
        // Paths and messages carry text from the files (names, attribute values): their
        // control characters are escaped, so a finding is one line and cannot drive the terminal.
        func addEscaped(_ text: String) {
            for byte in text.utf8 {
                if byte < 0x20 || byte == 0x7F {
                    output += [UInt8(ascii: "\\"), UInt8(ascii: "x"), Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)]]
                } else {
                    output.append(byte)
                }
            }
        }
        for finding in report.findings {
            if colored { add("\u{1B}[1m") }
            addEscaped(FileNameBytes.shown(finding.location.file))
            add(":")
            add(String(finding.location.line))
            add(":")
            add(String(finding.location.column))
            add(colored ? ":\u{1B}[0m " : ": ")
            add(paint(finding.severity.rawValue + ":", finding.severity))
            add(" ")
            addEscaped(finding.message)
            add(" [")
            add(finding.ruleID)
            add("]\n")
        }
        if !quiet { add(summary(report) + "\n") }
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

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

    public func render(_ report: LintReport) -> String {
        let counts = SeverityCounts(report.findings)
        return JSONValue.object([
            ("version", .int(1)),
            ("tool", .object([("name", .string("nexlint")), ("version", .string(Nexlint.version))])),
            ("findings", .array(report.findings.map { finding in
                .object([
                    ("rule", .string(finding.ruleID)),
                    ("severity", .string(finding.severity.rawValue)),
                    ("file", .string(FileNameBytes.shown(finding.location.file))),
                    ("line", .int(finding.location.line)),
                    ("column", .int(finding.location.column)),
                    ("message", .string(finding.message)),
                    ("channel", finding.channel.map(JSONValue.string) ?? .null),
                    ("fixable", .bool(finding.isFixable)),
                ])
            })),
            ("summary", .object([
                ("files", .int(report.files.count)),
                ("errors", .int(counts.errors)),
                ("warnings", .int(counts.warnings)),
                ("notes", .int(counts.notes)),
            ])),
        ]).serialized()
    }
}
