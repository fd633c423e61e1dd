import Dispatch
import NexlintXML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Reads, checks and reports. Files are read, checked and released work item by work
    /// item (`jobs` at a time), so memory holds findings, not documents. Throws when a path
    /// given cannot be read.
    public func lint(_ options: LintOptions, discovery: FileDiscovery = FileDiscovery()) throws(FileProblem) -> LintReport {
        let selection = try Self.select(options, discovery: discovery)
        let analysis = Analysis(catalogue: catalogue, selection: options.ruleSelection, severities: options.severities,
                                definitions: options.definitions, reported: selection.reported)
        let plan = WorkPlan(paths: selection.paths, globalSyncTargets: selection.globalSyncTargets)
        var problems = selection.problems

        let reported = selection.reported
        let targetFiles = Self.keep(Self.load(plan.syncTargetPaths, jobs: options.jobs, keepingSource: false),
                                    reported: reported, problems: &problems)
        let targets = SyncTarget.all(in: targetFiles, globalSyncTargets: selection.globalSyncTargets)
        let results = Self.parallelMap(plan.items, jobs: options.jobs) { paths -> (Analysis.ItemResult, [FileProblem]) in
            var itemProblems: [FileProblem] = []
            let files = Self.keep(paths.map { Self.read($0, keepingSource: false) }, reported: reported, problems: &itemProblems)
            return (analysis.process(files, syncTargets: targets), itemProblems)
        }
        problems += results.flatMap(\.1)
        let findings = analysis.combine(results.map(\.0), targetFiles: targetFiles, targets: targets)
        return LintReport(findings: findings, files: selection.reportedInOrder, problems: problems.sorted { $0.path < $1.path })
    }

    /// The files that could be read; problems with the others are kept for reported paths.
    private static func keep(_ loaded: [Result<ConfigFile, FileProblem>], reported: Set<String>,
                             problems: inout [FileProblem]) -> [ConfigFile] {
        loaded.compactMap { result in
            switch result {
            case .success(let file): return file
            case .failure(let problem):
                if reported.contains(problem.path) { problems.append(problem) }
                return nil
            }
        }
    }

    /// The paths of a run: those reported on, then the neighbours that complete their units.
    struct Selection {
        var reported: Set<String>
        /// `reported`, sorted.
        var reportedInOrder: [String]
        var paths: [String]
        var globalSyncTargets: Set<String>
        var problems: [FileProblem]
    }

    static func select(_ options: LintOptions, discovery: FileDiscovery) throws(FileProblem) -> Selection {
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
        // Discovery's files are sorted and unique already.
        let reportedInOrder = reported.count == found.files.count ? found.files : reported.sorted()
        // A file given on its own still needs its neighbours to form its units.
        let contextDirectories = found.namedFileDirectories.subtracting(found.walkedDirectories)
        let context = contextDirectories.sorted().flatMap(discovery.neighbours(in:)).filter { !reported.contains($0) }
        return Selection(reported: reported, reportedInOrder: reportedInOrder, paths: reportedInOrder + context,
                         globalSyncTargets: Set(globalTargets), problems: found.problems)
    }

    /// Reads every file of a run at once, for the commands that rewrite files (fix, migrate)
    /// and need whole units and the bytes as read.
    public static func load(_ options: LintOptions, discovery: FileDiscovery = FileDiscovery()) throws(FileProblem) -> Workspace {
        let selection = try select(options, discovery: discovery)
        var problems = selection.problems
        let files = keep(load(selection.paths, jobs: options.jobs, keepingSource: options.keepsSource),
                         reported: selection.reported, problems: &problems)
        return Workspace(files: files, reported: selection.reported, globalSyncTargets: selection.globalSyncTargets, problems: problems)
    }

    public func analyze(_ workspace: Workspace, options: LintOptions) -> [Finding] {
        analyze(workspace.files, reportingOn: workspace.reported, globalSyncTargets: workspace.globalSyncTargets,
                definitions: options.definitions, selection: options.ruleSelection, severities: options.severities)
    }

    /// Checks files already loaded, through the same work items as ``lint(_:discovery:)``.
    /// Findings outside `reportingOn` are dropped; those files only complete units.
    public func analyze(_ files: [ConfigFile], reportingOn reported: Set<String>, globalSyncTargets: Set<String> = [],
                        definitions: [String: String] = [:], selection: RuleSelection = RuleSelection(),
                        severities: [String: Severity] = [:]) -> [Finding] {
        let analysis = Analysis(catalogue: catalogue, selection: selection, severities: severities,
                                definitions: definitions, reported: reported)
        let byPath = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let plan = WorkPlan(paths: files.map(\.path), globalSyncTargets: globalSyncTargets)
        let targetFiles = plan.syncTargetPaths.compactMap { byPath[$0] }
        let targets = SyncTarget.all(in: targetFiles, globalSyncTargets: globalSyncTargets)
        let results = plan.items.map { item in analysis.process(item.compactMap { byPath[$0] }, syncTargets: targets) }
        return analysis.combine(results, targetFiles: targetFiles, targets: targets)
    }

    /// Reads and parses files on `jobs` threads; results keep the order of `paths`.
    static func load(_ paths: [String], jobs: Int, keepingSource: Bool) -> [Result<ConfigFile, FileProblem>] {
        parallelMap(paths, jobs: jobs) { read($0, keepingSource: keepingSource) }
    }

    private static func read(_ path: String, keepingSource: Bool) -> Result<ConfigFile, FileProblem> {
        FileSystem.read(path).map { ConfigLoader.load(path: path, bytes: $0, keepingSource: keepingSource) }
    }

    /// `transform` over the elements on `jobs` threads, results in the elements' order.
    static func parallelMap<Element: Sendable, Value: Sendable>(_ elements: [Element], jobs: Int,
                                                              _ transform: @Sendable (Element) -> Value) -> [Value] {
        XMLParser.initialize()
        let workers = max(1, min(jobs, elements.count))
        // Each worker writes only its own slots, so the buffer is never shared for writing.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Value?>.allocate(capacity: elements.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        // Workers take the next element when they are free, so one slow file or a slower
        // thread does not leave the others idle at the end.
        let queue = WorkQueue(count: elements.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = queue.next() {
                results[index] = transform(elements[index])
            }
        }
        return results.map { $0! }
    }
}

/// Hands out the indexes 0..<count, each once, to whichever thread asks first.
private final class WorkQueue: @unchecked Sendable {
    private let count: Int
    private var taken = 0
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init(count: Int) {
        self.count = count
        pthread_mutex_init(lock, nil)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    func next() -> Int? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        guard taken < count else { return nil }
        taken += 1
        return taken - 1
    }
}
