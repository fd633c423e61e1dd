/// JUnit XML (spec §3): one suite per file, a passing case for a clean file, a case per
/// finding with `failure`, or `error` for NXJ001 and `skipped` for NXJ002 (files that could not
/// be checked). A note is advice, not a failed check: a passing case with the message in
/// `system-out`, so the test report agrees with the exit code. Times are 0: linting has no
/// per-test duration worth the loss of byte-identical reports.
public struct JUnitReporter: Reporter {
    /// The element a finding's case holds. An enumeration, not the element's name: the name
    /// was compared as a `String` several times a finding (with the rule's ID, which is how
    /// the outcome is decided), each comparison of two strings that differ a call of its own.
    enum Outcome {
        case failure, error, skipped, systemOut

        var element: String {
            switch self {
            case .failure: "failure"
            case .error: "error"
            case .skipped: "skipped"
            case .systemOut: "system-out"
            }
        }

        /// A failure or an error says its severity as its `type`.
        var hasType: Bool { self == .failure || self == .error }
        /// Output to the console is text alone; the others also hold the message as an attribute.
        var hasMessage: Bool { self != .systemOut }
    }

    static func outcome(of finding: Finding) -> Outcome {
        // The rule's ID is a short ASCII constant: its first bytes decide before a comparison.
        if finding.ruleID.utf8.first == UInt8(ascii: "N") {
            if finding.ruleID == "NXJ001" { return .error }
            if finding.ruleID == "NXJ002" { return .skipped }
        }
        return finding.severity == .note ? .systemOut : .failure
    }

    /// Each outcome's case around its values, as ``XMLStream`` lays it out inside a suite,
    /// worked out once by writing a case with holes: a report writes thousands of cases of a
    /// few shapes, and laying out each element and attribute again cost a finding about as
    /// much as everything else its report does. Constants of their own, not one tuple: taking
    /// one out of a tuple copied the whole tuple, eight reference counts a finding.
    private static let failureLayout = caseLayout(holding: .failure)
    private static let errorLayout = caseLayout(holding: .error)
    private static let skippedLayout = caseLayout(holding: .skipped)
    private static let systemOutLayout = caseLayout(holding: .systemOut)

    private static func caseLayout(for outcome: Outcome) -> ByteParts {
        switch outcome {
        case .failure: failureLayout
        case .error: errorLayout
        case .skipped: skippedLayout
        case .systemOut: systemOutLayout
        }
    }

    /// The parts of a case holding `outcome`, between: the file, the case's name, the file, the
    /// line, (for a failure or error) the severity, (but for `system-out`) the message, and the
    /// text.
    private static func caseLayout(holding outcome: Outcome) -> ByteParts {
        var xml = XMLStream(inside: ["testsuites", "testsuite"])
        var output = ByteOutput()
        xml.startElement("testcase", &output)
        for name in ["classname", "name", "file", "line"] {
            xml.attribute(name, &output) { ByteParts.hole(&$0) }
        }
        xml.attribute("time", 0, &output)
        xml.startElement(outcome.element, &output)
        if outcome.hasType { xml.attribute("type", &output) { ByteParts.hole(&$0) } }
        if outcome.hasMessage { xml.attribute("message", &output) { ByteParts.hole(&$0) } }
        xml.text(&output) { ByteParts.hole(&$0) }
        xml.endElement(&output)
        xml.endElement(&output)
        return ByteParts(layout: output.written)
    }

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
        // Once per suite: the file's name escaped as an attribute value and as text.
        let fileInAttribute = XMLStream.escaped(file, inAttribute: true)
        let fileInText = XMLStream.escaped(file, inAttribute: false)
        if findings.isEmpty {
            // A clean file is one passing case, at no line.
            xml.startElement("testcase", &output)
            xml.attribute("classname", &output) { $0.append(fileInAttribute) }
            xml.attribute("name", "no findings", &output)
            xml.attribute("file", &output) { $0.append(fileInAttribute) }
            xml.attribute("time", 0, &output)
            xml.endElement(&output)
        }
        // The cases are written from their layouts, inside the suite's start tag closed here.
        if !findings.isEmpty { xml.beginChildren(&output) }
        var previous: (position: SourcePosition, ruleID: String)?
        var occurrence = 0
        findings.forEachBorrowed { finding in
            // Several findings of one rule at one place (EXO012) still need unique names. They
            // sort next to each other: by place, then rule. (Places first: two rule IDs that
            // differ take a call to compare.)
            if let previous, previous.position == finding.location.position, previous.ruleID == finding.ruleID {
                occurrence += 1
            } else {
                occurrence = 1
            }
            previous = (finding.location.position, finding.ruleID)
            Self.writeCase(finding, occurrence: occurrence, fileInAttribute: fileInAttribute, fileInText: fileInText, to: &output)
            output.drainIfLarge()
        }
        xml.endElement(&output)
        output.drainIfLarge()
    }

    /// One finding's case. Called, not inlined, with the finding borrowed (see
    /// ``JSONReporter``'s `write`).
    @inline(never)
    private static func writeCase(_ finding: Finding, occurrence: Int, fileInAttribute: [UInt8], fileInText: [UInt8],
                                  to output: inout ByteOutput) {
        let (line, column) = (finding.location.line, finding.location.column)
        let kind = Self.outcome(of: finding)
        var layout = LayoutCursor(Self.caseLayout(for: kind))
        layout.writeNext(to: &output)
        output.append(fileInAttribute)
        layout.writeNext(to: &output)
        // The rule and `line:column` are written once, here, and copied where they are
        // needed again (the line, the text): the same bytes, made once.
        let ruleStart = output.count
        XMLStream.appendEscaped(finding.ruleID, inAttribute: true, to: &output)
        let rule = ruleStart..<output.count
        output.append(UInt8(ascii: " "))
        let placeStart = output.count
        output.append(number: line)
        let lineDigits = placeStart..<output.count
        output.append(UInt8(ascii: ":"))
        output.append(number: column)
        let place = placeStart..<output.count
        if occurrence > 1 {
            output.append(contentsOf: " (")
            output.append(number: occurrence)
            output.append(UInt8(ascii: ")"))
        }
        layout.writeNext(to: &output)
        output.append(fileInAttribute)
        layout.writeNext(to: &output)
        output.append(writtenAt: lineDigits)
        layout.writeNext(to: &output)
        if kind.hasType {
            // A severity's name is a lowercase word: nothing in it is escaped.
            output.append(finding.severity.rawValue)
            layout.writeNext(to: &output)
        }
        // Written once: text content repeats the attribute's value when that is escaped alike.
        var messageAsText: Range<Int>?
        if kind.hasMessage {
            let start = output.count
            let unescaped = XMLStream.appendEscaped(finding.wording, inAttribute: true, to: &output)
            if unescaped || XMLStream.isEscapedAlikeAsText(UnsafeBufferPointer(rebasing: output.written[start...])) {
                messageAsText = start..<output.count
            }
            layout.writeNext(to: &output)
        }
        output.append(fileInText)
        output.append(UInt8(ascii: ":"))
        output.append(writtenAt: place)
        output.append(contentsOf: ": ")
        output.append(finding.severity.rawValue)
        output.append(contentsOf: ": ")
        if let messageAsText {
            output.append(writtenAt: messageAsText)
        } else {
            XMLStream.appendEscaped(finding.wording, inAttribute: false, to: &output)
        }
        output.append(contentsOf: " [")
        if XMLStream.isEscapedAlikeAsText(UnsafeBufferPointer(rebasing: output.written[rule])) {
            output.append(writtenAt: rule)
        } else {
            XMLStream.appendEscaped(finding.ruleID, inAttribute: false, to: &output)
        }
        output.append(UInt8(ascii: "]"))
        layout.writeNext(to: &output)
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
            findings.forEachBorrowed { finding in
                switch JUnitReporter.outcome(of: finding) {
                case .error: errors += 1
                case .skipped: skipped += 1
                case .failure: failures += 1
                case .systemOut: break
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
        findings.forEachBorrowed { finding in
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
            output.append(finding.wording, escaping: Self.escapedInData, Self.escapeData)
            output.append(UInt8(ascii: "\n"))
            output.drainIfLarge()
        }
    }

    public func end(_: ReportTotals, _: inout ByteOutput) {}

    /// A workflow command's data: `%`, CR and LF percent-encoded byte by byte (a CR LF pair
    /// and a `%` with a combining mark after it included); a property also encodes `:` and `,`.
    private static let escapedInData = ByteSet(Array("%\r\n".utf8))
    private static let escapedInProperty = ByteSet(Array("%\r\n:,".utf8))

    static func appendEscaped(_ text: String, isProperty: Bool, to output: inout ByteOutput) {
        if isProperty {
            output.append(text, escaping: escapedInProperty, escapeProperty)
        } else {
            output.append(text, escaping: escapedInData, escapeData)
        }
    }

    private static func escapeProperty(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (replacement: UnsafeBufferPointer<UInt8>, length: Int)? {
        escape(bytes[index], isProperty: true)
    }

    private static func escapeData(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (replacement: UnsafeBufferPointer<UInt8>, length: Int)? {
        escape(bytes[index], isProperty: false)
    }

    private static func escape(_ byte: UInt8, isProperty: Bool) -> (replacement: UnsafeBufferPointer<UInt8>, length: Int)? {
        switch byte {
        case UInt8(ascii: "%"): (StaticString("%25").bytes, 1)
        case 0x0D: (StaticString("%0D").bytes, 1)
        case 0x0A: (StaticString("%0A").bytes, 1)
        case UInt8(ascii: ":") where isProperty: (StaticString("%3A").bytes, 1)
        case UInt8(ascii: ",") where isProperty: (StaticString("%2C").bytes, 1)
        default: nil
        }
    }
}
