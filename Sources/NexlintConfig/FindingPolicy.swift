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

    /// The findings no baseline records, sorted. Without `configured`, only `--baseline` is
    /// applied (a run that writes a baseline records everything else, so rewriting the
    /// configured baseline keeps what it held).
    public func withoutBaselined(_ findings: [Finding], configured: Bool = true) throws(ConfigurationError) -> [Finding] {
        if let baseline { return try BaselineFile.load(baseline).newFindings(findings, repository: repository) }
        guard configured else { return findings }
        let governing = try governing(findings)
        guard governing.contains(where: { $0.baseline != nil }) else { return findings }
        if governing.count != findings.count, let file = governing.first?.baseline {
            return try BaselineFile.load(file).newFindings(findings, repository: repository)
        }
        var byBaseline: [String: [Finding]] = [:]
        var kept: [Finding] = []
        for (finding, configuration) in zip(findings, governing) {
            if let baseline = configuration.baseline { byBaseline[baseline, default: []].append(finding) } else { kept.append(finding) }
        }
        for (file, findings) in byBaseline.sorted(by: { $0.key < $1.key }) {
            kept += try BaselineFile.load(file).newFindings(findings, repository: repository)
        }
        return kept.sorted()
    }

    /// Whether the findings fail the run: some reach the threshold that governs them.
    public func fails(_ findings: [Finding]) throws(ConfigurationError) -> Bool {
        if let failOn { return failOn.isExceeded(by: findings) }
        let governing = try governing(findings)
        guard governing.count == findings.count, governing.count > 1 else {
            return (governing.first?.failOn ?? .error).isExceeded(by: findings)
        }
        return zip(findings, governing).contains { finding, configuration in
            (configuration.failOn ?? .error).isExceeded(by: [finding])
        }
    }

    /// The configuration governing each finding's file, looked up once per file (findings
    /// come sorted by file); one for them all when one configuration governs everything.
    private func governing(_ findings: [Finding]) throws(ConfigurationError) -> [Configuration] {
        let all = configurations.configurations
        guard all.count > 1 else { return all.isEmpty ? [] : [all[0]] }
        var lastFile: String?
        var lastIndex = 0
        var result: [Configuration] = []
        result.reserveCapacity(findings.count)
        for finding in findings {
            if finding.location.file != lastFile {
                lastFile = finding.location.file
                lastIndex = try configurations.index(forDirectory: PathNames.directory(of: finding.location.file))
            }
            result.append(all[lastIndex])
        }
        return result
    }
}
