/// The files of a run, loaded: those reported on, and the neighbours that complete their units.
public struct Workspace: Sendable {
    public var files: [ConfigFile]
    /// Paths findings are reported for.
    public var reported: Set<String>
    /// Sync-target files that apply to every unit.
    public var globalSyncTargets: Set<String>
    /// Entries met while walking directories that could not be read.
    public var problems: [FileProblem]

    public init(files: [ConfigFile], reported: Set<String>, globalSyncTargets: Set<String> = [], problems: [FileProblem] = []) {
        self.files = files
        self.reported = reported
        self.globalSyncTargets = globalSyncTargets
        self.problems = problems
    }

    public func file(_ path: String) -> ConfigFile? {
        files.first { $0.path == path }
    }

    /// The same workspace with some files' contents replaced (a rewrite checked before writing).
    public func replacing(_ replacements: [ConfigFile]) -> Workspace {
        var copy = self
        for replacement in replacements {
            if let index = copy.files.firstIndex(where: { $0.path == replacement.path }) { copy.files[index] = replacement }
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
