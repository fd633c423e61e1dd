/// Findings recorded to be accepted for now (`--write-baseline`), so that `--baseline` shows
/// only new ones. Entries match on file (relative to the repository root), rule, channel or
/// element, and a count, never on lines: edits above a finding do not bring it back.
///
/// Findings about a secret (EXO007, EXO008) also match on a digest of the value, salted with
/// a random salt kept in the baseline: a password rewritten by `migrate` or by hand is a new
/// finding, so a baseline never hides a new secret. Entries of older baselines, which have no
/// digests, match on the count alone until the baseline is written again.
public struct Baseline: Sendable, Equatable {
    public struct Entry: Sendable, Hashable {
        public var file: String
        public var rule: String
        public var subject: String
        public var count: Int
        /// One salted digest per accepted secret, sorted; nil in entries written before
        /// baselines kept them, and for findings that are not about a secret.
        public var digests: [String]?

        public init(file: String, rule: String, subject: String, count: Int, digests: [String]? = nil) {
            self.file = file
            self.rule = rule
            self.subject = subject
            self.count = count
            self.digests = digests
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
    /// Salts the digests; nil in a baseline that has none.
    public var salt: String?

    public init(entries: [Entry], salt: String? = nil) {
        self.entries = entries
        self.salt = salt
    }

    /// Records findings; `salt` is the one of the baseline being replaced, if any, so that
    /// rewriting a baseline changes only what changed.
    public init(recording findings: [Finding], repository: RepositoryLocation, salt: String? = nil) {
        var recorder = Recorder(repository: repository, salt: salt)
        recorder.record(findings)
        self = recorder.baseline
    }

    /// The findings beyond what the baseline accepts, in their order; of several findings with
    /// one key, the first `count` are the accepted ones (for secrets: those whose digest the
    /// entry holds).
    public func newFindings(_ findings: [Finding], repository: RepositoryLocation) -> [Finding] {
        var matcher = Matcher(self, repository: repository)
        return matcher.newFindings(findings)
    }

    /// A baseline being recorded from findings given a file at a time.
    public struct Recorder {
        private let repository: RepositoryLocation
        private let salt: String
        private var counts: [Key: Int] = [:]
        private var digests: [Key: [String]] = [:]

        public init(repository: RepositoryLocation, salt: String? = nil) {
            self.repository = repository
            self.salt = salt ?? Baseline.randomSalt()
        }

        public mutating func record(_ findings: [Finding]) {
            for finding in findings {
                let key = Baseline.key(of: finding, repository)
                counts[key, default: 0] += 1
                if let secret = finding.secret { digests[key, default: []].append(secret.digest(salt: salt)) }
            }
        }

        /// Findings recorded so far.
        public var count: Int { counts.values.reduce(0, +) }

        /// Keeps the entries of `previous` for files outside `scope` (paths from the repository
        /// root: files, or directories for everything under them; `.` is the whole repository),
        /// so that recording a run over part of a repository does not forget the rest. How many
        /// files' entries were kept.
        public mutating func keep(_ previous: Baseline, outside scope: [String]) -> Int {
            func inScope(_ file: String) -> Bool {
                scope.contains { $0 == "." || file == $0 || file.utf8.starts(with: ($0 + "/").utf8) }
            }
            var files = Set<String>()
            for entry in previous.entries where !inScope(entry.file) && entry.count > 0 {
                counts[entry.key, default: 0] += entry.count
                if let kept = entry.digests { digests[entry.key, default: []] += kept }
                files.insert(entry.file)
            }
            return files.count
        }

        public var baseline: Baseline {
            Baseline(entries: counts.keys.sorted().map { key in
                Entry(file: key.file, rule: key.rule, subject: key.subject, count: counts[key]!, digests: digests[key]?.sorted())
            }, salt: digests.isEmpty ? nil : salt)
        }
    }

    /// A baseline being matched against findings given a file at a time: what each entry still
    /// accepts.
    public struct Matcher {
        private let repository: RepositoryLocation
        private let salt: String?
        private var remaining: [Key: Int] = [:]
        private var remainingDigests: [Key: [String: Int]] = [:]

        public init(_ baseline: Baseline, repository: RepositoryLocation) {
            self.repository = repository
            salt = baseline.salt
            for entry in baseline.entries {
                // Counts from a hand-edited baseline may be anything: they saturate.
                let (sum, overflow) = remaining[entry.key, default: 0].addingReportingOverflow(max(0, entry.count))
                remaining[entry.key] = overflow ? Int.max : sum
                for digest in entry.digests ?? [] { remainingDigests[entry.key, default: [:]][digest, default: 0] += 1 }
            }
        }

        /// `findings` less those the baseline still accepts, which it then no longer does.
        public mutating func newFindings(_ findings: [Finding]) -> [Finding] {
            findings.filter { finding in
                let key = Baseline.key(of: finding, repository)
                guard let left = remaining[key], left > 0 else { return true }
                if let secret = finding.secret, let salt, let digests = remainingDigests[key] {
                    let digest = secret.digest(salt: salt)
                    guard let uses = digests[digest], uses > 0 else { return true }
                    remainingDigests[key]![digest] = uses - 1
                }
                remaining[key] = left - 1
                return false
            }
        }
    }

    public func serialized() -> String {
        var document: [(String, JSONValue)] = [("version", .int(1)), ("tool", .string("nexlint"))]
        if let salt { document.append(("salt", .string(salt))) }
        document.append(("entries", .array(entries.map { entry in
            var fields: [(String, JSONValue)] = [
                ("file", .string(entry.file)),
                ("rule", .string(entry.rule)),
                ("subject", .string(entry.subject)),
                ("count", .int(entry.count)),
            ]
            if let digests = entry.digests { fields.append(("digests", .array(digests.map(JSONValue.string)))) }
            return .object(fields)
        })))
        return JSONValue.object(document).serialized()
    }

    private static func key(of finding: Finding, _ repository: RepositoryLocation) -> Key {
        Key(file: repository.relativePath(of: finding.location.file), rule: finding.ruleID, subject: finding.subject)
    }

    private static func randomSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }.joined()
    }
}
