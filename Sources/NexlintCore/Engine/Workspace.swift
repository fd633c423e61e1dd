/// The files of a run, loaded: those reported on, and the neighbours that complete their units.
public struct Workspace: Sendable {
    public private(set) var files: [ConfigFile]
    /// Each path's index in `files`, so a rewrite's checks look files up in constant time.
    private var indexByPath: [String: Int]
    /// Paths findings are reported for.
    public var reported: Set<String>
    /// Sync-target files that apply to every unit.
    public var globalSyncTargets: Set<String>
    /// Entries met while walking directories that could not be read.
    public var problems: [FileProblem]

    public init(files: [ConfigFile], reported: Set<String>, globalSyncTargets: Set<String> = [], problems: [FileProblem] = []) {
        self.files = files
        self.indexByPath = Dictionary(files.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
        self.reported = reported
        self.globalSyncTargets = globalSyncTargets
        self.problems = problems
    }

    public func file(_ path: String) -> ConfigFile? {
        indexByPath[path].map { files[$0] }
    }

    /// The same workspace with some files' contents replaced (a rewrite checked before writing).
    public func replacing(_ replacements: [ConfigFile]) -> Workspace {
        var copy = self
        for replacement in replacements {
            if let index = copy.indexByPath[replacement.path] { copy.files[index] = replacement }
        }
        return copy
    }

    public var syncTargets: [SyncTarget] {
        SyncTarget.all(in: files, globalSyncTargets: globalSyncTargets)
    }

    public func units(definitions: [String: String]) -> [DeploymentUnit] {
        DeploymentUnit.group(UnitFile.all(in: files), external: definitions, syncTargets: syncTargets)
    }
}
