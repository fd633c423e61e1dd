/// Which configuration governs each file (spec §4 *v2*): the nearest `.nexlint.yml` from the
/// file's own directory up to its repository root (the nearest directory holding `.git`, or the
/// file system's root outside a repository), whatever the working directory; or the file given
/// with `--config`, for every file. The nearest file alone applies (no merging with the ones
/// above it, as in ruff). Lookups are remembered per directory, so a walk stats each directory
/// once. Used from one thread (discovery and reporting); the parallel analysis gets a snapshot.
public final class ConfigurationIndex: @unchecked Sendable {
    public typealias Loader = (_ file: String) throws(ConfigurationError) -> Configuration

    public let workingDirectory: String
    /// Every configuration met so far; index 0 is the one given with `--config`, or the
    /// defaults for files that no `.nexlint.yml` governs.
    public private(set) var configurations: [Configuration]
    private let loader: Loader?
    /// Absolute directory → index into `configurations`.
    private var governing: [String: Int] = [:]
    /// The same, by directory as asked for (a display path): a walk asks once per entry.
    private var governingAsAsked: [String: Int] = [:]
    /// Absolute configuration file → index into `configurations`.
    private var loaded: [String: Int] = [:]
    /// Absolute directory → its repository root (absolute).
    private var roots: [String: String] = [:]

    /// Governed by `explicit` everywhere when given; otherwise each `.nexlint.yml` found is
    /// read with `loader` (none: only the defaults, as for in-memory runs).
    public init(workingDirectory: String = FileSystem.currentDirectory(), explicit: Configuration? = nil,
                loader: Loader? = nil) {
        self.workingDirectory = PathNames.normalized(workingDirectory)
        configurations = [explicit ?? Configuration()]
        self.loader = explicit == nil ? loader : nil
    }

    /// The configuration governing a file (a display path or an absolute one).
    public func configuration(of path: String) throws(ConfigurationError) -> Configuration {
        try configuration(ofDirectory: PathNames.directory(of: path))
    }

    /// The configuration governing a directory's files.
    public func configuration(ofDirectory directory: String) throws(ConfigurationError) -> Configuration {
        configurations[try index(forDirectory: directory)]
    }

    /// The index in ``configurations`` of the configuration governing a directory's files.
    public func index(forDirectory directory: String) throws(ConfigurationError) -> Int {
        guard let loader else { return 0 }
        if let known = governingAsAsked[directory] { return known }
        let start = PathNames.absolute(directory, base: workingDirectory)
        if let known = governing[start] {
            governingAsAsked[directory] = known
            return known
        }
        var visited: [String] = []
        var current = start
        var found = 0
        while true {
            if let known = governing[current] { found = known; break }
            visited.append(current)
            let candidate = PathNames.join(current, Configuration.fileName)
            if case .success(.regularFile) = FileSystem.kind(of: candidate, followingLinks: true) {
                found = try load(candidate, with: loader)
                break
            }
            if RepositoryLocation.holdsRepository(current) || current == "/" { break }
            current = PathNames.directory(of: current)
        }
        for directory in visited { governing[directory] = found }
        governingAsAsked[directory] = found
        return found
    }

    /// The repository root of a directory: the nearest one at or above it holding `.git`, or
    /// nil outside a repository.
    public func repositoryRoot(forDirectory directory: String) -> String? {
        let start = PathNames.absolute(directory, base: workingDirectory)
        var visited: [String] = []
        var current = start
        var root: String?
        while true {
            if let known = roots[current] { root = known.isEmpty ? nil : known; break }
            visited.append(current)
            if RepositoryLocation.holdsRepository(current) { root = current; break }
            if current == "/" { break }
            current = PathNames.directory(of: current)
        }
        for directory in visited { roots[directory] = root ?? "" }
        return root
    }

    private func load(_ file: String, with loader: Loader) throws(ConfigurationError) -> Int {
        if let index = loaded[file] { return index }
        let shown = PathNames.relative(file, to: workingDirectory)
        var configuration = try loader(shown)
        configuration.file = shown
        configurations.append(configuration)
        loaded[file] = configurations.count - 1
        return configurations.count - 1
    }

}
