/// Turns a run's findings into one output format, file by file as the run reports them. Every
/// format reads the same ``Finding``s; the bytes written are the bytes output, with no
/// `String` between.
public protocol Reporter {
    /// Before the first file.
    mutating func begin(_ output: inout ByteOutput)
    /// A file reported on, in path order, with its findings sorted (none: a clean file).
    mutating func file(_ path: String, findings: [Finding], _ output: inout ByteOutput)
    /// After the last file.
    mutating func end(_ totals: ReportTotals, _ output: inout ByteOutput)
}

public extension Reporter {
    mutating func begin(_ output: inout ByteOutput) {}

    /// A whole report: its files and the files of its findings, in path order.
    mutating func write(_ report: LintReport, to output: inout ByteOutput) {
        begin(&output)
        report.forEachFile { path, findings in file(path, findings: findings, &output) }
        var totals = ReportTotals(files: report.files.count)
        totals.add(report.findings)
        end(totals, &output)
    }

    func render(_ report: LintReport) -> String {
        var reporter = self
        var output = ByteOutput()
        reporter.write(report, to: &output)
        return output.text
    }
}

/// What a report's summary counts.
public struct ReportTotals: Sendable, Equatable {
    public var files: Int
    public var counts: SeverityCounts
    /// Findings `lint --fix` can fix.
    public var fixable = 0
    /// Findings a baseline hid.
    public var hiddenByBaseline = 0

    public init(files: Int = 0) {
        self.files = files
        counts = SeverityCounts([])
    }

    /// Counts findings reported: by severity, and those `lint --fix` can fix.
    public mutating func add(_ findings: [Finding]) {
        counts.add(findings)
        findings.forEachBorrowed { if $0.isFixable { fixable += 1 } }
    }
}

public struct SeverityCounts: Sendable, Equatable {
    public var errors = 0
    public var warnings = 0
    public var notes = 0

    public init(_ findings: [Finding]) {
        add(findings)
    }

    public mutating func add(_ findings: [Finding]) {
        findings.forEachBorrowed { finding in
            switch finding.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .note: notes += 1
            }
        }
    }

    public var total: Int { errors + warnings + notes }
}

/// `path:line:col: severity: message [ID]`, then a summary line.
public struct TextReporter: Reporter {
    public let colored: Bool
    public let quiet: Bool

    /// Each severity's label, painted when coloured.
    private let labels: ByteParts

    public init(colored: Bool = false, quiet: Bool = false) {
        self.colored = colored
        self.quiet = quiet
        labels = ByteParts(Severity.allCases.map { severity in Array((Self.paint(severity.rawValue + ":", severity, colored) + " ").utf8) })
    }

    public mutating func file(_ path: String, findings: [Finding], _ output: inout ByteOutput) {
        guard !findings.isEmpty else { return }
        // A file's escaped name is made once for all of its lines.
        var name = ByteOutput()
        if colored { name.append("\u{1B}[1m") }
        name.append(escapingControlCharacters: FileNameBytes.shown(path))
        name.append(UInt8(ascii: ":"))
        // Taken once for the file: a method of the reporter, whose `self` is being changed, was
        // handed copies of them (retained and released) at each line.
        let (labels, colored) = (labels, colored)
        findings.forEachBorrowed { finding in
            output.append(name.written)
            Self.writeLine(finding, labels: labels, colored: colored, to: &output)
            output.drainIfLarge()
        }
    }

    public func end(_ totals: ReportTotals, _ output: inout ByteOutput) {
        if !quiet { output.append(Self.summary(totals) + "\n") }
    }

    /// What follows the file name. Called, not inlined, with the finding borrowed (see
    /// ``JSONReporter``'s `write`).
    @inline(never)
    private static func writeLine(_ finding: Finding, labels: ByteParts, colored: Bool, to output: inout ByteOutput) {
        output.append(number: finding.location.line)
        output.append(UInt8(ascii: ":"))
        output.append(number: finding.location.column)
        output.append(colored ? ":\u{1B}[0m " : ": ")
        output.append(labels, finding.severity.index)
        output.append(escapingControlCharacters: finding.wording)
        output.append(UInt8(ascii: " "))
        output.append(UInt8(ascii: "["))
        output.append(finding.ruleID)
        output.append(UInt8(ascii: "]"))
        // As ruff marks what `--fix` can fix.
        if finding.isFixable { output.append(contentsOf: " [*]") }
        output.append(UInt8(ascii: "\n"))
    }

    static func summary(_ totals: ReportTotals) -> String {
        let files = totals.files == 1 ? "1 file" : "\(totals.files) files"
        let counts = totals.counts
        let hidden = totals.hiddenByBaseline == 0 ? "" : " (\(totals.hiddenByBaseline) hidden by the baseline)"
        guard counts.total > 0 else { return "No findings in \(files)\(hidden)." }
        func count(_ number: Int, _ noun: String) -> String { number == 1 ? "1 \(noun)" : "\(number) \(noun)s" }
        let fixable = totals.fixable == 0 ? "" : " \(totals.fixable) fixable with `nexlint lint --fix` ([*])."
        return "Found \(count(counts.errors, "error")), \(count(counts.warnings, "warning")) and \(count(counts.notes, "note")) in \(files)\(hidden).\(fixable)"
    }

    private static func paint(_ text: String, _ severity: Severity, _ colored: Bool) -> String {
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
    private var json = JSONStream()
    /// A finding's object around its values, as the stream lays it out.
    private var finding = ByteParts()

    public init() {}

    public mutating func begin(_ output: inout ByteOutput) {
        json.beginObject(&output)
        json.key("version", &output)
        json.int(1, &output)
        json.key("tool", &output)
        JSONValue.object([("name", .string("nexlint")), ("version", .string(Nexlint.version))]).write(&json, &output)
        json.key("findings", &output)
        json.beginArray(&output)
        finding = json.template { json, output in
            json.beginObject(&output)
            for key in Self.keys {
                json.hole(named: key, &output)
            }
            json.endObject(&output)
        }
    }

    private static let keys: [StaticString] = ["rule", "severity", "file", "line", "column", "message", "channel", "fixable"]
    private static let severities = ByteParts(Severity.allCases.map { JSONStream.quoted($0.rawValue) })

    public mutating func file(_ path: String, findings: [Finding], _ output: inout ByteOutput) {
        guard !findings.isEmpty else { return }
        // Quoted once for all of the file's findings.
        let quotedFile = JSONStream.quoted(FileNameBytes.shown(path))
        let parts = finding
        findings.forEachBorrowed { finding in
            write(finding, quotedFile: quotedFile, parts: parts, &output)
            output.drainIfLarge()
        }
    }

    /// One finding's object. Called, not inlined, with the finding borrowed: inlined into the
    /// loop, the finding a worker made was retained and released around the calls that write
    /// its values, an atomic operation on a cache line the worker's core holds.
    @inline(never)
    private mutating func write(_ finding: Finding, quotedFile: [UInt8], parts: ByteParts, _ output: inout ByteOutput) {
        json.element(&output)
        output.append(parts, 0)
        json.string(finding.ruleID, &output)
        output.append(parts, 1)
        output.append(Self.severities, finding.severity.index)
        output.append(parts, 2)
        output.append(quotedFile)
        output.append(parts, 3)
        json.int(finding.location.line, &output)
        output.append(parts, 4)
        json.int(finding.location.column, &output)
        output.append(parts, 5)
        json.string(finding.wording, &output)
        output.append(parts, 6)
        if let channel = finding.channel { json.string(channel, &output) } else { json.null(&output) }
        output.append(parts, 7)
        json.bool(finding.isFixable, &output)
        output.append(parts, 8)
    }

    public mutating func end(_ totals: ReportTotals, _ output: inout ByteOutput) {
        json.endArray(&output)
        json.key("summary", &output)
        JSONValue.object([
            ("files", .int(totals.files)),
            ("errors", .int(totals.counts.errors)),
            ("warnings", .int(totals.counts.warnings)),
            ("notes", .int(totals.counts.notes)),
        ]).write(&json, &output)
        json.endObject(&output)
        json.finish(&output)
    }
}

/// `--statistics`: a line per rule instead of the findings — the count, the ID, `[*]` when
/// `lint --fix` can fix its findings, the title — most frequent first, then the summary line.
public struct StatisticsReporter: Reporter {
    private let titles: [String: String]
    private let quiet: Bool
    private var counts: [String: (findings: Int, fixable: Int)] = [:]

    public init(rules: [RuleDescription], quiet: Bool = false) {
        titles = Dictionary(uniqueKeysWithValues: rules.map { ($0.identifier, $0.title) })
        self.quiet = quiet
    }

    public mutating func file(_ path: String, findings: [Finding], _ output: inout ByteOutput) {
        for finding in findings {
            counts[finding.ruleID, default: (0, 0)].findings += 1
            if finding.isFixable { counts[finding.ruleID, default: (0, 0)].fixable += 1 }
        }
    }

    public func end(_ totals: ReportTotals, _ output: inout ByteOutput) {
        let width = String(counts.values.map(\.findings).max() ?? 0).count
        for (rule, count) in counts.sorted(by: { ($1.value.findings, $0.key) < ($0.value.findings, $1.key) }) {
            let number = String(count.findings)
            output.append(String(repeating: " ", count: width - number.count) + number + "  ")
            output.append(escapingControlCharacters: rule)
            output.append(count.fixable > 0 ? "  [*] " : "      ")
            output.append(titles[rule] ?? "")
            output.append(UInt8(ascii: "\n"))
        }
        if !quiet { output.append(TextReporter.summary(totals) + "\n") }
    }
}
