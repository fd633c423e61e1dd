/// Where the repository is: the nearest directory at or above the working directory holding
/// `.git`, or the working directory itself outside a repository. SARIF, GitHub annotations
/// and baselines name files relative to it, so they mean the same from any subdirectory.
public struct RepositoryLocation: Sendable {
    public var root: String
    public var workingDirectory: String

    public init(root: String, workingDirectory: String) {
        self.root = PathNames.normalized(root)
        self.workingDirectory = PathNames.normalized(workingDirectory)
    }

    public static func discover(from workingDirectory: String = FileSystem.currentDirectory()) -> RepositoryLocation {
        var directory = PathNames.normalized(workingDirectory)
        while true {
            if case .success = FileSystem.kind(of: PathNames.join(directory, ".git"), followingLinks: false) {
                return RepositoryLocation(root: directory, workingDirectory: workingDirectory)
            }
            let parent = PathNames.directory(of: directory)
            if parent == directory || directory == "/" { break }
            directory = parent
        }
        return RepositoryLocation(root: workingDirectory, workingDirectory: workingDirectory)
    }

    /// A reported path (relative to the working directory, or absolute) relative to the root;
    /// a path outside the repository stays absolute.
    public func relativePath(of path: String) -> String {
        PathNames.relative(PathNames.absolute(path, base: workingDirectory), to: root)
    }
}
