import NexlintCore

/// What a run's configurations decide about its findings: which a baseline hides (`--baseline`
/// for all, else each configuration's `baseline:` for the files it governs), and whether the
/// rest fail the run (`--fail-on`, else each configuration's `fail-on:`, error by default).
public struct FindingPolicy {
    public var configurations: ConfigurationIndex
    /// `--baseline`.
    public var baseline: String?
    /// `--fail-on`.
    public var failOn: FailThreshold?
    public var repository: RepositoryLocation

    public init(configurations: ConfigurationIndex, baseline: String? = nil, failOn: FailThreshold? = nil,
                repository: RepositoryLocation) {
        self.configurations = configurations
        self.baseline = baseline
        self.failOn = failOn
        self.repository = repository
    }

    /// The baselines in force, by file, and what each still accepts; filled by ``prepare(for:applyingConfigured:)``.
    private var matchers: [String: Baseline.Matcher] = [:]
    /// The configuration governing each directory of the run's files.
    private var governingByDirectory: [String: Configuration] = [:]
    /// Whether a file's findings so far fail the run.
    public private(set) var fails = false

    /// Loads the baselines that govern `files` (`--baseline`, or else, when `applyingConfigured`,
    /// each configuration's), before the first file is reported: a bad baseline stops the run
    /// before any report is written. A run that writes a baseline records everything a
    /// configured one would hide, so rewriting it keeps what it held.
    public mutating func prepare(for files: [String], applyingConfigured: Bool) throws(ConfigurationError) {
        let all = configurations.configurations
        for directory in PathNames.directories(of: files) {
            guard governingByDirectory[directory] == nil, !all.isEmpty else { continue }
            governingByDirectory[directory] = all.count == 1 ? all[0] : all[try configurations.index(forDirectory: directory)]
        }
        let paths = baseline.map { [$0] }
            ?? (applyingConfigured ? Set(governingByDirectory.values.compactMap(\.baseline)).sorted() : [])
        for path in paths where matchers[path] == nil {
            matchers[path] = Baseline.Matcher(try BaselineFile.load(path), repository: repository)
        }
    }

    /// A file's findings less those its baseline accepts (in their order); whether they fail
    /// the run is added to ``fails``.
    public mutating func admit(_ path: String, _ findings: [Finding]) -> [Finding] {
        guard !findings.isEmpty else { return findings }
        let governing = governingByDirectory[PathNames.directory(of: path)]
        var kept = findings
        if let file = baseline ?? governing?.baseline, matchers[file] != nil {
            kept = matchers[file]!.newFindings(findings)
        }
        if !fails { fails = (failOn ?? governing?.failOn ?? .error).isExceeded(by: kept) }
        return kept
    }
}
