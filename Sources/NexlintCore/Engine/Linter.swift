import Dispatch
import NexlintXML

public enum Nexlint {
    public static let version = "0.1.0"
}

/// What a lint run is asked to do (the command line and, later, configuration).
public struct LintOptions: Sendable {
    public var paths: [String]
    /// Sync-target files that apply to every unit linted.
    public var syncTargetFiles: [String]
    /// Properties set from outside, winning over root attributes.
    public var definitions: [String: String]
    public var ruleSelection: RuleSelection
    /// Severities that replace rules' defaults (configuration `rules:`).
    public var severities: [String: Severity]
    public var jobs: Int
    /// Keep each file's bytes, for runs that rewrite files.
    public var keepsSource = false

    public init(paths: [String] = [], syncTargetFiles: [String] = [], definitions: [String: String] = [:],
                ruleSelection: RuleSelection = RuleSelection(), severities: [String: Severity] = [:],
                jobs: Int = LintOptions.defaultJobs) {
        self.paths = paths
        self.syncTargetFiles = syncTargetFiles
        self.definitions = definitions
        self.ruleSelection = ruleSelection
        self.severities = severities
        self.jobs = jobs
    }

    public static var defaultJobs: Int { max(1, ProcessorCount.online) }
}

public struct LintReport: Sendable {
    /// Sorted by path, line, column and rule.
    public var findings: [Finding]
    /// The files reported on, sorted.
    public var files: [String]
    /// Entries met while walking directories that could not be read.
    public var problems: [FileProblem]

    public init(findings: [Finding], files: [String], problems: [FileProblem] = []) {
        self.findings = findings
        self.files = files
        self.problems = problems
    }
}

/// Runs the rule catalogue over files. Knows nothing of the command line or of output formats.
public struct Linter: Sendable {
    public var catalogue: [any Rule]

    public init(catalogue: [any Rule]) {
        self.catalogue = catalogue
    }

    /// Reads, checks and reports. Throws when a path given cannot be read.
    public func lint(_ options: LintOptions, discovery: FileDiscovery = FileDiscovery()) throws(FileProblem) -> LintReport {
        let workspace = try Self.load(options, discovery: discovery)
        return LintReport(findings: analyze(workspace, options: options), files: workspace.reported.sorted(),
                          problems: workspace.problems)
    }

    /// Finds and reads the files of a run: those to report on and the neighbours that
    /// complete their units.
    public static func load(_ options: LintOptions, discovery: FileDiscovery = FileDiscovery()) throws(FileProblem) -> Workspace {
        let found = try discovery.discover(options.paths)
        let globalTargets = try options.syncTargetFiles.map { argument throws(FileProblem) in
            let path = discovery.displayPath(argument)
            switch FileSystem.kind(of: path, followingLinks: true) {
            case .success(.regularFile): return path
            case .success: throw FileProblem(path: argument, reason: "not a regular file")
            case .failure(let problem): throw FileProblem(path: argument, reason: problem.reason)
            }
        }
        let reported = Set(found.files).union(globalTargets)
        // A file given on its own still needs its neighbours to form its units.
        let contextDirectories = Set(found.files.map(PathNames.directory(of:))).subtracting(found.walkedDirectories)
        let context = contextDirectories.sorted().flatMap(discovery.neighbours(in:)).filter { !reported.contains($0) }

        var problems = found.problems
        var files: [ConfigFile] = []
        let paths = reported.sorted() + context
        for (path, loaded) in zip(paths, load(paths, jobs: options.jobs, keepingSource: options.keepsSource)) {
            switch loaded {
            case .success(let file): files.append(file)
            case .failure(let problem):
                if reported.contains(path) { problems.append(problem) }
            }
        }
        return Workspace(files: files, reported: reported, globalSyncTargets: Set(globalTargets), problems: problems)
    }

    public func analyze(_ workspace: Workspace, options: LintOptions) -> [Finding] {
        analyze(workspace.files, reportingOn: workspace.reported, globalSyncTargets: workspace.globalSyncTargets,
                definitions: options.definitions, selection: options.ruleSelection, severities: options.severities)
    }

    /// Checks loaded files. Findings outside `reportingOn` are dropped; files there only
    /// complete the units of the others.
    public func analyze(_ files: [ConfigFile], reportingOn reported: Set<String>, globalSyncTargets: Set<String> = [],
                        definitions: [String: String] = [:], selection: RuleSelection = RuleSelection(),
                        severities: [String: Severity] = [:]) -> [Finding] {
        let rules = catalogue.filter { selection.includes(type(of: $0).description.identifier) }
        var findings: [Finding] = []
        func run(_ rule: any Rule, _ check: (inout FindingSink) -> Void) {
            let description = type(of: rule).description
            var sink = FindingSink(ruleID: description.identifier,
                                   severity: severities[description.identifier] ?? description.severity)
            check(&sink)
            findings += sink.findings
        }

        for file in files {
            for rule in rules { run(rule) { rule.check(file: file, into: &$0) } }
        }
        let workspace = Workspace(files: files, reported: reported, globalSyncTargets: globalSyncTargets)
        let targets = workspace.syncTargets
        let units = workspace.units(definitions: definitions)
        for unit in units {
            for rule in rules { run(rule) { rule.check(unit: unit, into: &$0) } }
        }
        for target in targets {
            let applicable = units.filter { target.applies(toDirectory: $0.directory) }
            for rule in rules { run(rule) { rule.check(syncTarget: target, units: applicable, into: &$0) } }
        }

        // Several units may find the same thing in a shared file: one problem, one finding.
        let unique = Set(findings).filter { reported.contains($0.location.file) }
        let suppressions = files.filter { reported.contains($0.path) }.flatMap { file in
            (file.document?.comments ?? []).compactMap { Suppression(comment: $0, file: file.path) }
        }
        let applied = apply(suppressions, to: unique.sorted(),
                                     knownRules: Set(catalogue.map { type(of: $0).description.identifier }),
                                     enabledRules: Set(rules.map { type(of: $0).description.identifier }))
        findings = []
        for rule in rules { run(rule) { rule.check(suppressions: applied.outcomes, into: &$0) } }
        // A report of an unused suppression can itself be silenced for a whole file.
        let kept = applied.kept + findings.filter { finding in !suppressions.contains { $0.scope == .file && $0.covers(finding) } }
        return kept.sorted()
    }

    private func apply(_ suppressions: [Suppression], to findings: [Finding], knownRules: Set<String>,
                       enabledRules: Set<String>) -> (kept: [Finding], outcomes: [SuppressionOutcome]) {
        var used = Array(repeating: Set<String>(), count: suppressions.count)
        let byFile = Dictionary(grouping: suppressions.indices, by: { suppressions[$0].file })
        var kept: [Finding] = []
        for finding in findings {
            let covering = (byFile[finding.location.file] ?? []).filter { suppressions[$0].covers(finding) }
            for index in covering { used[index].insert(finding.ruleID) }
            if covering.isEmpty { kept.append(finding) }
        }
        let outcomes = suppressions.indices.map { index in
            let suppression = suppressions[index]
            return SuppressionOutcome(
                suppression: suppression,
                unusedRuleIDs: suppression.ruleIDs.filter {
                    knownRules.contains($0) && enabledRules.contains($0) && !used[index].contains($0)
                },
                unknownRuleIDs: suppression.ruleIDs.filter { !knownRules.contains($0) })
        }
        return (kept, outcomes)
    }

    /// Reads and parses files on `jobs` threads; results keep the order of `paths`.
    static func load(_ paths: [String], jobs: Int, keepingSource: Bool) -> [Result<ConfigFile, FileProblem>] {
        XMLParser.initialize()
        let workers = max(1, min(jobs, paths.count))
        // Each worker writes only its own slots, so the buffer is never shared for writing.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Result<ConfigFile, FileProblem>?>.allocate(capacity: paths.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: paths.count, by: workers) {
                results[index] = FileSystem.read(paths[index]).map {
                    ConfigLoader.load(path: paths[index], bytes: $0, keepingSource: keepingSource)
                }
            }
        }
        return results.map { $0! }
    }
}
