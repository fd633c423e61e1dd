/// Finds the files a lint run reads: those it was given or finds by walking directories
/// (reported on), and the files beside them that complete their units (context only).
public struct FileDiscovery: Sendable {
    public var workingDirectory: String
    /// Paths excluded by configuration: never walked, linted or read as neighbours, even when
    /// named on the command line (pre-commit names files one by one).
    public var exclude: PathFilter?
    /// Directory names never walked into.
    public static let skippedDirectories: Set<String> = [".git", ".build"]

    public init(workingDirectory: String = FileSystem.currentDirectory(), exclude: PathFilter? = nil) {
        self.workingDirectory = workingDirectory
        self.exclude = exclude
    }

    private func isExcluded(_ path: String) -> Bool {
        exclude?.excludes(path, workingDirectory: workingDirectory) ?? false
    }

    public struct Result: Sendable {
        /// Files to report on, as display paths, sorted and unique.
        public var files: [String] = []
        /// Directories that were walked whole (their units are complete).
        public var walkedDirectories: Set<String> = []
        /// Directories of the files named on their own (their units may need neighbours).
        public var namedFileDirectories: Set<String> = []
        /// Entries found during a walk that could not be read.
        public var problems: [FileProblem] = []
    }

    /// Walks the given paths. A path given that does not exist or cannot be read throws.
    public func discover(_ paths: [String]) throws(FileProblem) -> Result {
        var result = Result()
        for argument in paths.isEmpty ? ["."] : paths {
            let path = displayPath(argument)
            switch FileSystem.kind(of: path, followingLinks: true) {
            case .failure(let problem):
                throw FileProblem(path: argument, reason: problem.reason)
            case .success(.directory):
                if case .failure(let problem) = FileSystem.entries(of: path) {
                    throw FileProblem(path: argument, reason: problem.reason)
                }
                if !isExcluded(path) { walk(path, into: &result) }
            case .success(.regularFile):
                if !isExcluded(path) {
                    result.files.append(path)
                    result.namedFileDirectories.insert(PathNames.directory(of: path))
                }
            case .success:
                throw FileProblem(path: argument, reason: "not a regular file or directory")
            }
        }
        // Overlapping arguments (`. sub/a.environment`) find a file twice.
        result.files.sort()
        result.files = result.files.enumerated().compactMap { index, path in
            index > 0 && result.files[index - 1] == path ? nil : path
        }
        return result
    }

    /// What completes the units of a file given on its own: the `.server`, `.connections` and
    /// `.synctargets` files directly beside it (an `.environment` is a unit by itself).
    public func neighbours(in directory: String) -> [String] {
        guard case .success(let entries) = FileSystem.entries(of: directory) else { return [] }
        return entries.compactMap { entry in
            let name = entry.name
            let path = PathNames.join(directory, name)
            guard let kind = ConfigKind(path: name), kind != .environment, !isExcluded(path),
                  case .success(.regularFile) = FileSystem.kind(of: path, followingLinks: true) else { return nil }
            return path
        }
    }

    private func walk(_ root: String, into result: inout Result) {
        var pending = [root]
        while let directory = pending.popLast() {
            result.walkedDirectories.insert(directory)
            guard case .success(let entries) = FileSystem.entries(of: directory) else {
                result.problems.append(FileProblem(path: directory, reason: "cannot read directory"))
                continue
            }
            for entry in entries.reversed() {
                let name = entry.name
                let path = PathNames.join(directory, name)
                if isExcluded(path) { continue }
                switch entry.kind.map({ .success($0) }) ?? FileSystem.kind(of: path, followingLinks: false) {
                case .success(.directory):
                    if !Self.skippedDirectories.contains(name) { pending.append(path) }
                case .success(.regularFile):
                    if ConfigKind(path: name) != nil { result.files.append(path) }
                case .success(.symbolicLink):
                    // A link to a file counts; a link to a directory is not followed, so a
                    // link cycle cannot make the walk loop.
                    if ConfigKind(path: name) != nil,
                       case .success(.regularFile) = FileSystem.kind(of: path, followingLinks: true) {
                        result.files.append(path)
                    }
                case .success(.other), .failure:
                    continue
                }
            }
        }
    }

    /// The path as given, tidied, and relative to the working directory when under it.
    public func displayPath(_ argument: String) -> String {
        let path = PathNames.normalized(argument)
        let base = PathNames.normalized(workingDirectory)
        if path == base { return "." }
        if base != "/", path.hasPrefix(base + "/") { return String(path.dropFirst(base.count + 1)) }
        return path
    }
}
