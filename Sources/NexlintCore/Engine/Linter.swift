import NexlintXML

/// Runs the rule catalogue over files. Knows nothing of the command line or of output formats.
public struct Linter: Sendable {
    public let catalogue: [any Rule]
    /// What a parse keeps: what the model and these rules read.
    package let parseOptions: ParseOptions

    public init(catalogue: [any Rule]) {
        self.catalogue = catalogue
        parseOptions = NexJFileLoader.parseOptions(reading: catalogue.map { type(of: $0).description })
    }

    /// Reads, checks and hands each reported file to `consumer`, in path order, with its
    /// findings sorted, as soon as the files before it are done: nothing holds the findings of
    /// the whole run (spec §8 *v2*). Files are read, checked and released work item by work
    /// item (`jobs` at a time); files that cannot be read are problems of the outcome.
    public func lint(_ run: LintRun, into consumer: inout some FindingConsumer) -> LintOutcome {
        let selection = run.selection
        var walksWithoutFiles = selection.walks
        var files = 0
        // Planned by a linter whose rules read other attributes, the files read ahead are not these rules'.
        let readAhead = run.readAheadOptions == parseOptions ? run.readAhead : nil
        let problems = check(selection.paths, governance: selection.governance, reported: selection.reported,
                             reportedInOrder: selection.reportedInOrder, jobs: run.options.jobs,
                             beforeWorkersStart: run.readAhead.stop) {
            readAhead?.take($0) ?? read($0, keepingSource: false, context: $1)
        } emit: { path, findings in
            files += 1
            if !walksWithoutFiles.isEmpty { walksWithoutFiles.removeAll { Self.walk($0, holds: path) } }
            consumer.consume(path, findings)
        }
        return LintOutcome(files: files, problems: (selection.problems + problems).sorted { $0.path < $1.path },
                           emptyWalks: walksWithoutFiles)
    }

    /// What a run of `options` reads, decided before any is checked: the files it reports on
    /// (for what must be ready before the first is reported, such as their baselines). The
    /// first files found are read meanwhile on another core, for the run to check.
    /// Throws a ``FileProblem`` when a path given cannot be read, a ``ConfigurationError`` for
    /// a bad configuration file.
    public func plan(_ options: LintOptions) throws -> LintRun {
        try plan(options, readingAheadWith: FileSystem.read)
    }

    /// `read` reads the files read ahead (a test's own, to know which were).
    func plan(_ options: LintOptions, readingAheadWith read: @escaping ReadAhead.Read) throws -> LintRun {
        let readAhead = ReadAhead(read: read) { [parseOptions] path, bytes, context in
            NexJFileLoader.load(path: path, bytes: bytes, options: parseOptions, context: context)
        }
        // Planning that fails leaves it to read what it has (within its bound) and end.
        defer { readAhead.finishAdding() }
        return LintRun(options: options, selection: try Self.select(options, found: readAhead.add),
                       readAhead: readAhead, readAheadOptions: parseOptions)
    }

    /// The one pipeline of `lint` and `analyze`: the sync-target files first, then the work
    /// items (the files of one directory that can form units together) read through `load`
    /// and checked with the sync targets on `jobs` threads, while this thread hands each
    /// reported file's findings to `emit` in path order. A sync-target file's own targets are
    /// checked once the items they apply to are done. Problems are kept for reported paths;
    /// `.config` files that are not NexJ's are not reported.
    private func check(_ paths: [String], governance: Governance, reported: Set<String>, reportedInOrder: [String], jobs: Int,
                       beforeWorkersStart: () -> Void = {},
                       load: @escaping @Sendable (String, ParserContext) -> Result<NexJFile, FileProblem>,
                       emit: (String, [Finding]) -> Void) -> [FileProblem] {
        let analysis = Analysis(catalogue: catalogue, governance: governance, reported: reported)
        let plan = WorkPlan(paths: paths, globalSyncTargets: governance.globalSyncTargets)
        var problems: [FileProblem] = []
        beforeWorkersStart()
        let targetFiles = Self.keep(Self.parallelMap(plan.syncTargetPaths, jobs: jobs, load), reported: reported, problems: &problems)
        let targets = SyncTarget.all(in: targetFiles, governance: governance)
        let items = plan.items
        let pipeline = OrderedItems(count: items.count, jobs: jobs) { index, context in
            var itemProblems: [FileProblem] = []
            let files = Self.keep(items[index].map { load($0, context) }, reported: reported, problems: &itemProblems)
            let result = analysis.process(files.filter { !$0.isUnrelated }, syncTargets: targets)
            return ItemOutcome(findings: result.findings, scopes: result.scopes, problems: itemProblems,
                               unrelated: Set(files.filter(\.isUnrelated).map(\.path)))
        }
        var itemOfPath: [String: Int] = [:]
        var itemsOfDirectory: [String: [Int]] = [:]
        for (index, item) in items.enumerated() {
            for path in item {
                itemOfPath[path] = index
                itemsOfDirectory[PathNames.directory(of: path), default: []].append(index)
            }
        }
        let targetFileByPath = Dictionary(targetFiles.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let targetsByFile = Dictionary(grouping: targets, by: \.file)
        var wideScopes: [SyncTarget.Reach: SyncTargetScope] = [:]
        for path in reportedInOrder {
            if let index = itemOfPath[path] {
                var (findings, isUnrelated) = pipeline.withOutcomes(CollectionOfOne(index)) { outcomes in
                    (outcomes[index]!.take(path), outcomes[index]!.unrelated.contains(path))
                }
                Analysis.order(&findings)
                if !isUnrelated { emit(path, findings) }
                pipeline.retire(findings, of: index)
                continue
            }
            // A sync-target file: its targets are checked against the units they apply to (all
            // of one file reach alike), once the items holding those units are done.
            let fileTargets = targetsByFile[path] ?? []
            var scope = SyncTargetScope()
            if let target = fileTargets.first {
                if case .directory(let directory) = target.reach {
                    let needed = itemsOfDirectory[directory] ?? []
                    scope = pipeline.withOutcomes(needed) { outcomes in
                        SyncTargetScope.union(needed.compactMap { outcomes[$0]!.scopes[directory] })
                    }
                } else if let known = wideScopes[target.reach] {
                    scope = known
                } else {
                    scope = pipeline.withOutcomes(items.indices) { outcomes in
                        SyncTargetScope.union(outcomes.lazy.flatMap { $0!.scopes }.filter {
                            target.applies(toDirectory: $0.key, configuration: governance.configurationIndex(forDirectory: $0.key))
                        }.map(\.value))
                    }
                    wideScopes[target.reach] = scope
                }
            }
            emit(path, targetFileByPath[path].map { analysis.check(syncTargetFile: $0, targets: fileTargets, scope: scope) } ?? [])
        }
        problems += pipeline.finish().flatMap { $0.problems }
        return problems
    }

    /// What a work item leaves once checked: its findings until each file's are reported.
    private struct ItemOutcome: Sendable {
        /// Each file's findings (not yet in order), split on the worker (see
        /// ``OrderedItems/retire(_:of:)`` for why memory is best made and freed there); a file's
        /// are empty once taken.
        var findingsByFile: [[Finding]]
        var scopes: [String: SyncTargetScope]
        var problems: [FileProblem]
        var unrelated: Set<String>

        init(findings: [Finding], scopes: [String: SyncTargetScope], problems: [FileProblem], unrelated: Set<String>) {
            // An item is one file, or the few of a split unit: most hold one, kept as it is.
            if let first = findings.first?.location.file, findings.allSatisfy({ $0.location.file == first }) {
                findingsByFile = [findings]
            } else {
                var byFile: [[Finding]] = []
                for finding in findings {
                    if let group = byFile.firstIndex(where: { $0[0].location.file == finding.location.file }) {
                        byFile[group].append(finding)
                    } else {
                        byFile.append([finding])
                    }
                }
                findingsByFile = byFile
            }
            self.scopes = scopes
            self.problems = problems
            self.unrelated = unrelated
        }

        /// The findings of `path`, no longer held here.
        mutating func take(_ path: String) -> [Finding] {
            guard let index = findingsByFile.firstIndex(where: { $0.first?.location.file == path }) else { return [] }
            var taken: [Finding] = []
            swap(&taken, &findingsByFile[index])
            return taken
        }
    }

    /// Whether the walk of directory `walk` reaches `file`.
    private static func walk(_ walk: String, holds file: String) -> Bool {
        walk == "." ? !file.utf8.starts(with: "/".utf8) && !file.utf8.starts(with: "../".utf8)
            : walk == "/" || file.utf8.starts(with: (walk + "/").utf8)
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
    struct Selection: Sendable {
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
    static func select(_ options: LintOptions, found foundFiles: ((ArraySlice<String>) -> Void)? = nil) throws -> Selection {
        let discovery = FileDiscovery(configurations: options.configurations)
        let index = options.configurations
        let found = try discovery.discover(options.paths, found: foundFiles)
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
        for directory in PathNames.directories(of: paths) {
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

    /// Checks files already loaded, through the same pipeline as ``lint(_:into:)`` (one
    /// worker). Findings outside `reportingOn` are dropped; those files only complete units.
    public func analyze(_ files: [NexJFile], reportingOn reported: Set<String>, governance: Governance = Governance()) -> [Finding] {
        let byPath = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var findings: [Finding] = []
        _ = check(files.map(\.path), governance: governance, reported: reported, reportedInOrder: reported.sorted(), jobs: 1) { path, _ in
            byPath[path].map { .success($0) } ?? .failure(FileProblem(path: path, reason: "not loaded"))
        } emit: { _, fileFindings in
            findings += fileFindings
        }
        return findings
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
    /// worker has its own parser context, given to `transform` with each element, and takes the
    /// next element when it is free (so one slow file does not leave the others idle): the
    /// workers of ``OrderedItems``, with nothing handed back before all are done.
    static func parallelMap<Element: Sendable, Value: Sendable>(_ elements: [Element], jobs: Int,
                                                              _ transform: @escaping @Sendable (Element, ParserContext) -> Value) -> [Value] {
        OrderedItems(count: elements.count, jobs: jobs, window: elements.count) { transform(elements[$0], $1) }.finish()
    }
}
