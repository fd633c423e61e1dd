/// What a lint run is asked to do: the command line's paths and settings. What configuration
/// files say comes from `configurations`, file by file.
public struct LintOptions: Sendable {
    public var paths: [String]
    /// Sync-target files that apply to every unit linted (`--sync-targets`).
    public var syncTargetFiles: [String]
    /// Properties set from outside (`--define`), winning over configuration and root attributes.
    public var definitions: [String: String]
    public var ruleSelection: RuleSelection
    public var jobs: Int
    /// Keep each file's bytes, for runs that rewrite files.
    public var keepsSource = false
    /// Which configuration governs each file.
    public var configurations: ConfigurationIndex

    public init(paths: [String] = [], syncTargetFiles: [String] = [], definitions: [String: String] = [:],
                ruleSelection: RuleSelection = RuleSelection(), jobs: Int = LintOptions.defaultJobs,
                configurations: ConfigurationIndex = ConfigurationIndex()) {
        self.paths = paths
        self.syncTargetFiles = syncTargetFiles
        self.definitions = definitions
        self.ruleSelection = ruleSelection
        self.jobs = jobs
        self.configurations = configurations
    }

    public static var defaultJobs: Int { max(1, ProcessorCount.online) }
}
