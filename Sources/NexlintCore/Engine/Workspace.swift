/// The files of a run, loaded: those reported on, and the neighbours that complete their units.
public struct Workspace: Sendable {
    public private(set) var files: [NexJFile]
    /// Each path's index in `files`, so a rewrite's checks look files up in constant time.
    private var indexByPath: [String: Int]
    /// Paths findings are reported for.
    public var reported: Set<String>
    /// The configuration of each directory, and the sync targets that reach beyond theirs.
    public var governance: Governance
    /// Entries met while walking directories that could not be read.
    public var problems: [FileProblem]

    public init(files: [NexJFile], reported: Set<String>, governance: Governance = Governance(), problems: [FileProblem] = []) {
        self.files = files
        self.indexByPath = Dictionary(files.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
        self.reported = reported
        self.governance = governance
        self.problems = problems
    }

    public func file(_ path: String) -> NexJFile? {
        indexByPath[path].map { files[$0] }
    }

    /// The same workspace with some files' contents replaced (a rewrite checked before writing).
    public func replacing(_ replacements: [NexJFile]) -> Workspace {
        var copy = self
        for replacement in replacements {
            if let index = copy.indexByPath[replacement.path] { copy.files[index] = replacement }
        }
        return copy
    }

    public var syncTargets: [SyncTarget] {
        SyncTarget.all(in: files, governance: governance)
    }

    public var units: [DeploymentUnit] {
        DeploymentUnit.group(UnitFile.all(in: files), governance: governance, syncTargets: syncTargets,
                             isPresent: { indexByPath[$0] != nil || FileSystem.exists($0) })
    }
}
