/// What one `.nexlint.yml` says for the files it governs (spec §4): per-rule severities,
/// excluded paths, sync targets, properties, the fail threshold and the baseline. Plain
/// values; NexlintConfig reads them from the YAML. Paths are usable from the working directory.
public struct Configuration: Sendable {
    public static let fileName = ".nexlint.yml"

    /// The file it was read from, as given or found; nil for the defaults (no file).
    public var file: String?
    public var severities: [String: Severity] = [:]
    public var disabledRules: [String] = []
    public var exclude: PathFilter?
    /// Sync-target files that apply to every unit this configuration governs.
    public var syncTargets: [String] = []
    public var properties: [String: String] = [:]
    public var failOn: FailThreshold?
    /// The baseline shared by every run on these files (`baseline:`).
    public var baseline: String?

    public init() {}
}

/// A configuration problem, where it is: `file:line: message`.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String {
        line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
    }

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
}
