/// Where the repository is: the nearest directory at or above the working directory holding
/// `.git`; outside one, that of the first path given; else the working directory itself.
/// SARIF, GitHub annotations and baselines name files relative to it, so they mean the same
/// from any subdirectory, or from outside the repository.
public struct RepositoryLocation: Sendable {
    public var root: String
    public var workingDirectory: String

    public init(root: String, workingDirectory: String) {
        self.root = PathNames.normalized(root)
        self.workingDirectory = PathNames.normalized(workingDirectory)
    }

    /// The working directory's repository; outside one, that of the first path given, so that
    /// `cd /tmp && nexlint lint /repo/envs` names files as a run inside `/repo` does.
    public static func discover(forPaths paths: [String], from workingDirectory: String = FileSystem.currentDirectory()) -> RepositoryLocation {
        if let root = root(above: workingDirectory) { return RepositoryLocation(root: root, workingDirectory: workingDirectory) }
        let first = paths.first.map { PathNames.absolute($0, base: workingDirectory) }
        let start = first.map { path in
            if case .success(.directory) = FileSystem.kind(of: path, followingLinks: true) { return path }
            return PathNames.directory(of: path)
        }
        return RepositoryLocation(root: start.flatMap(root(above:)) ?? workingDirectory, workingDirectory: workingDirectory)
    }

    private static func root(above start: String) -> String? {
        var directory = PathNames.normalized(start)
        while true {
            if holdsRepository(directory) { return directory }
            let parent = PathNames.directory(of: directory)
            if parent == directory || directory == "/" { return nil }
            directory = parent
        }
    }

    /// Whether a directory is a repository's root: it holds `.git` (a directory, or the file
    /// a worktree or submodule has).
    static func holdsRepository(_ directory: String) -> Bool {
        if case .success = FileSystem.kind(of: PathNames.join(directory, ".git"), followingLinks: false) { return true }
        return false
    }

    /// A reported path (relative to the working directory, or absolute) relative to the root;
    /// a path outside the repository stays absolute.
    public func relativePath(of path: String) -> String {
        PathNames.relative(PathNames.absolute(path, base: workingDirectory), to: root)
    }
}
