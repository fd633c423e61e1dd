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
        files.flatMap { file -> [SyncTarget] in
            guard let document = file.document, document.kind == .syncTargets else { return [] }
            let scope = globalSyncTargets.contains(file.path) ? nil : file.directory
            return document.root.children.filter { $0.name == "SyncTarget" }
                .map { SyncTarget(file: file.path, element: $0, scopeDirectory: scope) }
        }
    }

    public func units(definitions: [String: String]) -> [DeploymentUnit] {
        let unitFiles = files.compactMap { file in
            file.document.flatMap { $0.kind == .syncTargets ? nil : UnitFile(path: file.path, document: $0) }
        }
        return DeploymentUnit.group(unitFiles, external: definitions, syncTargets: syncTargets)
    }
}
