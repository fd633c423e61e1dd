/// What governs each directory of a run, fixed once the run's files are known, so the
/// parallel analysis can read it: the configurations, which one governs each directory, the
/// command line's own settings on top of them, and the sync-target files that apply beyond
/// their own directory.
public struct Governance: Sendable {
    /// Index 0 is the `--config` file or the defaults (see ``ConfigurationIndex``).
    public var configurations: [Configuration]
    /// Display directory → index into `configurations`; a directory not listed has index 0.
    public var configurationByDirectory: [String: Int]
    /// `--define` values: they win over every configuration's `properties:`.
    public var commandLineDefinitions: [String: String]
    /// `--select`/`--ignore`, applied on top of each configuration's `rules:`.
    public var commandLineSelection: RuleSelection
    /// Sync-target files that apply beyond their directory (`--sync-targets`, `sync-targets:`),
    /// by display path.
    public var globalSyncTargets: [String: SyncTarget.Reach]

    public init(configurations: [Configuration] = [Configuration()], configurationByDirectory: [String: Int] = [:],
                commandLineDefinitions: [String: String] = [:], commandLineSelection: RuleSelection = RuleSelection(),
                globalSyncTargets: [String: SyncTarget.Reach] = [:]) {
        self.configurations = configurations
        self.configurationByDirectory = configurationByDirectory
        self.commandLineDefinitions = commandLineDefinitions
        self.commandLineSelection = commandLineSelection
        self.globalSyncTargets = globalSyncTargets
    }

    public func configurationIndex(forDirectory directory: String) -> Int {
        configurationByDirectory[directory] ?? 0
    }

    /// The properties set from outside for units of a configuration: its `properties:`, then `--define`.
    public func definitions(forConfiguration index: Int) -> [String: String] {
        configurations[index].properties.merging(commandLineDefinitions) { $1 }
    }

    /// `--select`/`--ignore` with a configuration's rules turned off added.
    public func selection(forConfiguration index: Int) -> RuleSelection {
        var selection = commandLineSelection
        selection.ignore += configurations[index].disabledRules
        return selection
    }
}
