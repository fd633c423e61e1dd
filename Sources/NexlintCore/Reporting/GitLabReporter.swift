/// GitLab Code Quality (spec §3 *v2*): a JSON array with, per finding, what GitLab shows in a
/// merge request — `description`, `check_name`, `fingerprint`, `severity` (`info`, `minor`,
/// `major` for note, warning, error) and `location.path` (from the repository root) with
/// `location.lines.begin`. Fingerprints are SARIF's: they survive lines moving.
public struct GitLabReporter: Reporter {
    public let repository: RepositoryLocation
    private var json = JSONStream()
    /// A finding's object around its values, as the stream lays it out.
    private var issue = ByteParts()

    public init(repository: RepositoryLocation) {
        self.repository = repository
    }

    public mutating func begin(_ output: inout ByteOutput) {
        json.beginArray(&output)
        issue = json.template { json, output in
            json.beginObject(&output)
            json.hole(named: "description", &output)
            json.hole(named: "check_name", &output)
            json.hole(named: "fingerprint", &output)
            json.hole(named: "severity", &output)
            json.key("location", &output)
            json.beginObject(&output)
            json.hole(named: "path", &output)
            json.key("lines", &output)
            json.beginObject(&output)
            json.hole(named: "begin", &output)
            json.endObject(&output)
            json.endObject(&output)
            json.endObject(&output)
        }
    }

    public static func severity(_ severity: Severity) -> String {
        switch severity {
        case .note: "info"
        case .warning: "minor"
        case .error: "major"
        }
    }

    public mutating func file(_ path: String, findings: [Finding], _ output: inout ByteOutput) {
        guard !findings.isEmpty else { return }
        let relative = repository.relativePath(of: path)
        let quotedPath = JSONStream.quoted(FileNameBytes.shown(relative))
        var fingerprints = FileFingerprints(path: relative, count: findings.count)
        let parts = issue
        findings.forEachBorrowed { finding in
            writeIssue(finding, quotedPath: quotedPath, parts: parts, fingerprints: &fingerprints, &output)
            output.drainIfLarge()
        }
    }

    /// One finding's issue. Called, not inlined, with the finding borrowed (see
    /// ``JSONReporter``'s `write`).
    @inline(never)
    private mutating func writeIssue(_ finding: Finding, quotedPath: [UInt8], parts: ByteParts,
                                     fingerprints: inout FileFingerprints, _ output: inout ByteOutput) {
        json.element(&output)
        output.append(parts, 0)
        json.string(finding.wording, &output)
        output.append(parts, 1)
        json.string(finding.ruleID, &output)
        output.append(parts, 2)
        output.append(UInt8(ascii: "\""))
        fingerprints.next(finding).appendHex(to: &output)
        output.append(UInt8(ascii: "\""))
        output.append(parts, 3)
        json.string(Self.severity(finding.severity), &output)
        output.append(parts, 4)
        output.append(quotedPath)
        output.append(parts, 5)
        json.int(finding.location.line, &output)
        output.append(parts, 6)
    }

    public mutating func end(_: ReportTotals, _ output: inout ByteOutput) {
        json.endArray(&output)
        json.finish(&output)
    }
}
