/// Finds the files a lint run reads: those it was given or finds by walking directories
/// (reported on), and the files beside them that complete their units (context only).
/// Paths excluded by the configuration that governs them are never walked, linted or read as
/// context, even when named on the command line (pre-commit names files one by one).
public struct FileDiscovery: Sendable {
    public var configurations: ConfigurationIndex
    /// Directory names never walked into.
    public static let skippedDirectories: Set<String> = [".git", ".build"]

    public init(configurations: ConfigurationIndex = ConfigurationIndex()) {
        self.configurations = configurations
    }

    public var workingDirectory: String { configurations.workingDirectory }

    private func isExcluded(_ path: String) throws(ConfigurationError) -> Bool {
        isExcluded(path, by: try configurations.configuration(of: path))
    }

    /// By the configuration known to govern the path (a walk looks it up once a directory).
    private func isExcluded(_ path: String, by configuration: Configuration) -> Bool {
        configuration.exclude?.excludes(path, workingDirectory: workingDirectory) ?? false
    }

    /// For a path given on the command line: excluded itself, or inside a directory that a walk
    /// from its repository root would have skipped (that directory's own configuration may
    /// differ from the one governing the path).
    private func isExcludedOrInsideExcluded(_ path: String) throws(ConfigurationError) -> Bool {
        var current = PathNames.absolute(path, base: workingDirectory)
        let root = configurations.repositoryRoot(forDirectory: PathNames.directory(of: current)) ?? "/"
        while true {
            if try isExcluded(current) { return true }
            let parent = PathNames.directory(of: current)
            if current == root || parent == current { return false }
            current = parent
        }
    }

    public struct Found: Sendable {
        /// Files to report on, as display paths, sorted and unique.
        public var files: [String] = []
        /// Directories that were walked whole (their units are complete).
        public var walkedDirectories: Set<String> = []
        /// Directories of the files named on their own (their units may need neighbours).
        public var namedFileDirectories: Set<String> = []
        /// Entries found during a walk that could not be read.
        public var problems: [FileProblem] = []
        /// The directories given that were walked, as display paths.
        public var walks: [String] = []
    }

    /// Walks the given paths. A path given that does not exist or cannot be read throws a
    /// ``FileProblem``; a configuration governing one that cannot be read, a ``ConfigurationError``.
    /// `found` is handed the files as they are found, a directory's at a time.
    public func discover(_ paths: [String], found: ((ArraySlice<String>) -> Void)? = nil) throws -> Found {
        var result = Found()
        for argument in paths.isEmpty ? ["."] : paths {
            let path = displayPath(argument)
            switch FileSystem.kind(of: path, followingLinks: true) {
            case .failure(let problem):
                throw FileProblem(path: argument, reason: problem.reason)
            case .success(.directory):
                if case .failure(let problem) = FileSystem.entries(of: path) {
                    throw FileProblem(path: argument, reason: problem.reason)
                }
                if try !isExcludedOrInsideExcluded(path) {
                    result.walks.append(path)
                    try walk(path, into: &result, found: found)
                }
            case .success(.regularFile):
                if try !isExcludedOrInsideExcluded(path) {
                    result.files.append(path)
                    result.namedFileDirectories.insert(PathNames.directory(of: path))
                    found?(result.files.suffix(1))
                }
            case .success:
                throw FileProblem(path: argument, reason: "not a regular file or directory")
            }
        }
        // A walk finds a directory's files in order, before those of its subdirectories, which
        // is path order unless a subdirectory's name sorts before a file's (`a/B/…` before
        // `a/a.environment`); overlapping arguments (`. sub/a.environment`) find a file twice.
        if !zip(result.files, result.files.dropFirst()).allSatisfy({ $0 < $1 }) {
            result.files.sort()
            result.files = result.files.enumerated().compactMap { index, path in
                index > 0 && result.files[index - 1] == path ? nil : path
            }
        }
        return result
    }

    /// A file given as a sync-target file, as a display path; it must be a regular file.
    func regularFile(_ argument: String) throws(FileProblem) -> String {
        let path = displayPath(argument)
        switch FileSystem.kind(of: path, followingLinks: true) {
        case .success(.regularFile): return path
        case .success: throw FileProblem(path: argument, reason: "not a regular file")
        case .failure(let problem): throw FileProblem(path: argument, reason: problem.reason)
        }
    }

    /// What completes the checks of a file given on its own: the `.server`, `.connections`,
    /// `.config` and `.synctargets` files directly beside it, and its `.environment` files too
    /// when asked (a sync-target file's targets apply to them).
    public func neighbours(in directory: String, includingEnvironments: Bool) throws(ConfigurationError) -> [String] {
        guard case .success(let entries) = FileSystem.entries(of: directory) else { return [] }
        var found: [String] = []
        for entry in entries where NexJFileKind.isLintCandidate(entry.name) {
            let path = PathNames.join(directory, entry.name)
            guard includingEnvironments || NexJFileKind(path: entry.name) != .environment, try !isExcluded(path),
                  case .success(.regularFile) = FileSystem.kind(of: path, followingLinks: true) else { continue }
            found.append(path)
        }
        return found
    }

    private func walk(_ root: String, into result: inout Found,
                      found: ((ArraySlice<String>) -> Void)?) throws(ConfigurationError) {
        var pending = [root]
        while let directory = pending.popLast() {
            result.walkedDirectories.insert(directory)
            guard case .success(let entries) = FileSystem.entries(of: directory) else {
                result.problems.append(FileProblem(path: directory, reason: "cannot read directory"))
                continue
            }
            // Looked up once a directory (for its first entry, as each entry's once was).
            guard !entries.isEmpty else { continue }
            let configuration = try configurations.configuration(ofDirectory: directory)
            var subdirectories: [String] = []
            let filesBefore = result.files.count
            for entry in entries {
                let name = entry.name
                let path = PathNames.join(directory, name)
                if isExcluded(path, by: configuration) { continue }
                switch entry.kind.map({ .success($0) }) ?? FileSystem.kind(of: path, followingLinks: false) {
                case .success(.directory):
                    if !Self.skippedDirectories.contains(name) { subdirectories.append(path) }
                case .success(.regularFile):
                    if NexJFileKind.isLintCandidate(name) { result.files.append(path) }
                case .success(.symbolicLink):
                    // A link to a file counts; a link to a directory is not followed, so a
                    // link cycle cannot make the walk loop.
                    if NexJFileKind.isLintCandidate(name),
                       case .success(.regularFile) = FileSystem.kind(of: path, followingLinks: true) {
                        result.files.append(path)
                    }
                case .success(.other), .failure:
                    continue
                }
            }
            found?(result.files[filesBefore...])
            pending += subdirectories.reversed()
        }
    }

    /// The path as given, tidied, and relative to the working directory when under it.
    public func displayPath(_ argument: String) -> String {
        let path = PathNames.normalized(argument)
        let base = PathNames.normalized(workingDirectory)
        return base == "/" && path != "/" ? path : PathNames.relative(path, to: base)
    }
}
