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
        func add(_ text: String) {
            var text = text
            text.withUTF8 { output.append(contentsOf: $0) }
        }
        func addNumber(_ number: Int) {
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &digits) { buffer in
                var value = number.magnitude
                var start = buffer.count
                repeat {
                    start -= 1
                    buffer[start] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                } while value > 0
                if number < 0 { start -= 1; buffer[start] = UInt8(ascii: "-") }
                output.append(contentsOf: buffer[start...])
            }
        }
        // Paths and messages carry text from the files (names, attribute values): their
        // control characters are escaped, so a finding is one line and cannot drive the terminal.
        func addEscaped(_ text: String) {
            var text = text
            // Runs between control characters are copied whole.
            text.withUTF8 { bytes in
                var runStart = 0
                for index in bytes.indices where bytes[index] < 0x20 || bytes[index] == 0x7F {
                    output.append(contentsOf: bytes[runStart..<index])
                    let byte = bytes[index]
                    output += [UInt8(ascii: "\\"), UInt8(ascii: "x"), Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)]]
                    runStart = index + 1
                }
                output.append(contentsOf: bytes[runStart...])
            }
        }
        let labels = Severity.allCases.map { severity in (severity, Array(paint(severity.rawValue + ":", severity).utf8)) }
        // Findings come sorted by file: a file's escaped name is made once for all of its lines.
        var lastFile: String?
        var fileBytes: [UInt8] = []
        for finding in report.findings {
            if finding.location.file != lastFile {
                lastFile = finding.location.file
                let start = output.count
                addEscaped(FileNameBytes.shown(finding.location.file))
                fileBytes = Array(output[start...])
                output.removeSubrange(start...)
            }
            if colored { add("\u{1B}[1m") }
            output.append(contentsOf: fileBytes)
            output.append(UInt8(ascii: ":"))
            addNumber(finding.location.line)
            output.append(UInt8(ascii: ":"))
            addNumber(finding.location.column)
            add(colored ? ":\u{1B}[0m " : ": ")
            output.append(contentsOf: labels.first { $0.0 == finding.severity }!.1)
            output.append(UInt8(ascii: " "))
            addEscaped(finding.message)
            output.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: "[")])
            add(finding.ruleID)
            output.append(contentsOf: [UInt8(ascii: "]"), UInt8(ascii: "\n")])
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
