import Dispatch
import NexlintXML
import Synchronization

/// Runs the rule catalogue over files. Knows nothing of the command line or of output formats.
public struct Linter: Sendable {
    public let catalogue: [any Rule]
    /// What a parse keeps: what the model and these rules read.
    package let parseOptions: ParseOptions

    public init(catalogue: [any Rule]) {
        self.catalogue = catalogue
        parseOptions = NexJFileLoader.parseOptions(reading: catalogue.map { type(of: $0).description })
    }

    /// Reads, checks and reports. Files are read, checked and released work item by work
    /// item (`jobs` at a time), so memory holds findings, not documents. Throws a
    /// ``FileProblem`` when a path given cannot be read, a ``ConfigurationError`` for a bad
    /// configuration file.
    public func lint(_ options: LintOptions) throws -> LintReport {
        let selection = try Self.select(options)
        let checked = check(selection.paths, governance: selection.governance, reported: selection.reported, jobs: options.jobs) {
            read($0, keepingSource: false, context: $1)
        }
        let problems = selection.problems + checked.problems
        let files = checked.unrelated.isEmpty ? selection.reportedInOrder
            : selection.reportedInOrder.filter { !checked.unrelated.contains($0) }
        return LintReport(findings: checked.findings, files: files, problems: problems.sorted { $0.path < $1.path },
                          emptyWalks: Self.emptyWalks(selection.walks, files: files))
    }

    /// The one pipeline of `lint` and `analyze`: the sync-target files first, then each work
    /// item (the files of one directory) read through `load` and checked with the sync
    /// targets, on `jobs` threads; the items' findings combined with the sync targets' own.
    /// Problems are kept for reported paths; `.config` files that are not NexJ's are set aside.
    private func check(_ paths: [String], governance: Governance, reported: Set<String>, jobs: Int,
                       load: @escaping @Sendable (String, ParserContext) -> Result<NexJFile, FileProblem>)
        -> (findings: [Finding], problems: [FileProblem], unrelated: Set<String>) {
        let analysis = Analysis(catalogue: catalogue, governance: governance, reported: reported)
        let plan = WorkPlan(paths: paths, globalSyncTargets: governance.globalSyncTargets)
        var problems: [FileProblem] = []
        let targetFiles = Self.keep(Self.parallelMap(plan.syncTargetPaths, jobs: jobs, load), reported: reported, problems: &problems)
        let targets = SyncTarget.all(in: targetFiles, globalSyncTargets: governance.globalSyncTargets)
        let results = Self.parallelMap(plan.items, jobs: jobs) { paths, context -> (Analysis.ItemResult, [FileProblem], [String]) in
            var itemProblems: [FileProblem] = []
            let files = Self.keep(paths.map { load($0, context) }, reported: reported, problems: &itemProblems)
            return (analysis.process(files.filter { !$0.isUnrelated }, syncTargets: targets), itemProblems,
                    files.filter(\.isUnrelated).map(\.path))
        }
        problems += results.flatMap(\.1)
        let findings = analysis.combine(results.map(\.0), targetFiles: targetFiles, targets: targets)
        return (findings, problems, Set(results.flatMap(\.2)))
    }

    /// The walked directories under which none of `files` lies.
    private static func emptyWalks(_ walks: [String], files: [String]) -> [String] {
        walks.filter { walk in
            !files.contains { file in
                walk == "." ? !file.utf8.starts(with: "/".utf8) && !file.utf8.starts(with: "../".utf8)
                    : walk == "/" || file.utf8.starts(with: (walk + "/").utf8)
            }
        }
    }

    /// The files that could be read; problems with the others are kept for reported paths.
    private static func keep(_ loaded: [Result<NexJFile, FileProblem>], reported: Set<String>,
                             problems: inout [FileProblem]) -> [NexJFile] {
        loaded.compactMap { result in
            switch result {
            case .success(let file): return file
            case .failure(let problem):
                if reported.contains(problem.path) { problems.append(problem) }
                return nil
            }
        }
    }

    /// The paths of a run: those reported on, then the files that complete their context.
    struct Selection {
        var reported: Set<String>
        /// `reported`, sorted.
        var reportedInOrder: [String]
        var paths: [String]
        var governance: Governance
        var problems: [FileProblem]
        var walks: [String]
    }

    /// What a run reads (spec §1 *v2*, the same answer however asked): the files named or
    /// found, reported on; and, as context only, what their checks need: the NexJ files of a
    /// named file's directory (with its `.environment` files when a sync-target file of the
    /// directory is reported: its targets apply to them), the sync-target files that apply,
    /// and every unit of the repository when a target that reaches beyond its directory is
    /// reported on.
    static func select(_ options: LintOptions) throws -> Selection {
        let discovery = FileDiscovery(configurations: options.configurations)
        let index = options.configurations
        let found = try discovery.discover(options.paths)
        let commandLineTargets = try options.syncTargetFiles.map { argument throws(FileProblem) in
            try discovery.regularFile(argument)
        }
        let reported = Set(found.files)
        var context: [String] = []
        let directoriesWithTargets = Set(found.files.filter { NexJFileKind(path: $0) == .syncTargets }.map(PathNames.directory(of:)))
        for directory in found.namedFileDirectories.subtracting(found.walkedDirectories).sorted() {
            context += try discovery.neighbours(in: directory, includingEnvironments: directoriesWithTargets.contains(directory))
        }
        var governance = try Self.governance(of: found.files + context, commandLineTargets: commandLineTargets,
                                             options: options, discovery: discovery)
        // A target that reaches beyond its directory is checked against every unit it reaches.
        let wideTargets = reported.filter { governance.globalSyncTargets[$0] != nil }
        if !wideTargets.isEmpty {
            let roots = Set(wideTargets.map { path in
                index.repositoryRoot(forDirectory: PathNames.directory(of: path)).map(discovery.displayPath) ?? "."
            })
            for root in roots.sorted() { context += try discovery.discover([root]).files }
            governance = try Self.governance(of: found.files + context, commandLineTargets: commandLineTargets,
                                             options: options, discovery: discovery)
        }
        context += governance.globalSyncTargets.keys.sorted()
        var seen = reported
        context = context.filter { seen.insert($0).inserted }
        return Selection(reported: reported, reportedInOrder: found.files, paths: found.files + context,
                         governance: governance, problems: found.problems, walks: found.walks)
    }

    /// The configurations governing the directories of `paths`, and the sync-target files
    /// they and the command line apply beyond their own directories.
    private static func governance(of paths: [String], commandLineTargets: [String], options: LintOptions,
                                   discovery: FileDiscovery) throws -> Governance {
        var byDirectory: [String: Int] = [:]
        for path in paths {
            let directory = PathNames.directory(of: path)
            if byDirectory[directory] == nil { byDirectory[directory] = try options.configurations.index(forDirectory: directory) }
        }
        var reach: [String: SyncTarget.Reach] = [:]
        for configuration in Set(byDirectory.values).sorted() {
            for file in options.configurations.configurations[configuration].syncTargets {
                let path = try discovery.regularFile(file)
                if case .configurations(let indexes)? = reach[path] {
                    reach[path] = .configurations(indexes.union([configuration]))
                } else {
                    reach[path] = .configurations([configuration])
                }
            }
        }
        for path in commandLineTargets { reach[path] = .everywhere }
        return Governance(configurations: options.configurations.configurations, configurationByDirectory: byDirectory,
                          commandLineDefinitions: options.definitions, commandLineSelection: options.ruleSelection,
                          globalSyncTargets: reach)
    }

    /// Reads every file of a run at once, for the commands that rewrite files (fix, migrate)
    /// and need whole units and the bytes as read.
    public func load(_ options: LintOptions) throws -> Workspace {
        let selection = try Self.select(options)
        var problems = selection.problems
        let files = Self.keep(load(selection.paths, jobs: options.jobs, keepingSource: options.keepsSource),
                         reported: selection.reported, problems: &problems).filter { !$0.isUnrelated }
        let loaded = Set(files.map(\.path))
        return Workspace(files: files, reported: selection.reported.intersection(loaded), governance: selection.governance,
                         problems: problems)
    }

    public func analyze(_ workspace: Workspace) -> [Finding] {
        analyze(workspace.files, reportingOn: workspace.reported, governance: workspace.governance)
    }

    /// Checks files already loaded, through the same pipeline as ``lint(_:)`` (on one thread).
    /// Findings outside `reportingOn` are dropped; those files only complete units.
    public func analyze(_ files: [NexJFile], reportingOn reported: Set<String>, governance: Governance = Governance()) -> [Finding] {
        let byPath = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        return check(files.map(\.path), governance: governance, reported: reported, jobs: 1) { path, _ in
            byPath[path].map { .success($0) } ?? .failure(FileProblem(path: path, reason: "not loaded"))
        }.findings
    }

    /// Reads and parses files on `jobs` threads; results keep the order of `paths`.
    func load(_ paths: [String], jobs: Int, keepingSource: Bool) -> [Result<NexJFile, FileProblem>] {
        Self.parallelMap(paths, jobs: jobs) { read($0, keepingSource: keepingSource, context: $1) }
    }

    private func read(_ path: String, keepingSource: Bool, context: ParserContext) -> Result<NexJFile, FileProblem> {
        FileSystem.read(path).map {
            NexJFileLoader.load(path: path, bytes: $0, keepingSource: keepingSource, options: parseOptions, context: context)
        }
    }

    /// `transform` over the elements on `jobs` threads, results in the elements' order. Each
    /// worker has its own parser context, given to `transform` with each element.
    static func parallelMap<Element: Sendable, Value: Sendable>(_ elements: [Element], jobs: Int,
                                                              _ transform: @Sendable (Element, ParserContext) -> Value) -> [Value] {
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
            let context = ParserContext()
            while let index = queue.next() {
                results[index] = transform(elements[index], context)
            }
        }
        return results.map { $0! }
    }
}

/// Hands out the indexes 0..<count, each once, to whichever thread asks first.
private final class WorkQueue: Sendable {
    private let count: Int
    private let taken = Atomic(0)

    init(count: Int) {
        self.count = count
    }

    func next() -> Int? {
        let index = taken.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }
}
