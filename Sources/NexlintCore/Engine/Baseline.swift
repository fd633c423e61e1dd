/// Findings recorded to be accepted for now (`--write-baseline`), so that `--baseline` shows
/// only new ones. Entries match on file (relative to the repository root), rule, channel or
/// element, and a count, never on lines: edits above a finding do not bring it back.
public struct Baseline: Sendable, Equatable {
    public struct Entry: Sendable, Hashable {
        public var file: String
        public var rule: String
        public var subject: String
        public var count: Int

        public init(file: String, rule: String, subject: String, count: Int) {
            self.file = file
            self.rule = rule
            self.subject = subject
            self.count = count
        }

        fileprivate var key: Key { Key(file: file, rule: rule, subject: subject) }
    }

    fileprivate struct Key: Hashable, Comparable {
        var file: String
        var rule: String
        var subject: String

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.file, lhs.rule, lhs.subject) < (rhs.file, rhs.rule, rhs.subject)
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    public init(recording findings: [Finding], repository: RepositoryLocation) {
        var counts: [Key: Int] = [:]
        for finding in findings { counts[Self.key(of: finding, repository), default: 0] += 1 }
        entries = counts.keys.sorted().map { Entry(file: $0.file, rule: $0.rule, subject: $0.subject, count: counts[$0]!) }
    }

    /// The findings beyond what the baseline accepts, in their order; of several findings with
    /// one key, the first `count` are the accepted ones.
    public func newFindings(_ findings: [Finding], repository: RepositoryLocation) -> [Finding] {
        var remaining: [Key: Int] = [:]
        for entry in entries { remaining[entry.key, default: 0] += entry.count }
        return findings.filter { finding in
            let key = Self.key(of: finding, repository)
            guard let left = remaining[key], left > 0 else { return true }
            remaining[key] = left - 1
            return false
        }
    }

    public func serialized() -> String {
        JSONValue.object([
            ("version", .int(1)),
            ("tool", .string("nexlint")),
            ("entries", .array(entries.map { entry in
                .object([
                    ("file", .string(entry.file)),
                    ("rule", .string(entry.rule)),
                    ("subject", .string(entry.subject)),
                    ("count", .int(entry.count)),
                ])
            })),
        ]).serialized()
    }

    private static func key(of finding: Finding, _ repository: RepositoryLocation) -> Key {
        Key(file: repository.relativePath(of: finding.location.file), rule: finding.ruleID, subject: finding.subject)
    }
}
