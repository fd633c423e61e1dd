public struct LintReport: Sendable {
    /// Sorted by path, line, column and rule.
    public var findings: [Finding]
    /// The files reported on, sorted.
    public var files: [String]
    /// Entries met while walking directories that could not be read.
    public var problems: [FileProblem]
    /// Directories given whose walk found no file to lint (exit 2: a CI job with a wrong
    /// path must not pass forever).
    public var emptyWalks: [String]

    public init(findings: [Finding], files: [String], problems: [FileProblem] = [], emptyWalks: [String] = []) {
        self.findings = findings
        self.files = files
        self.problems = problems
        self.emptyWalks = emptyWalks
    }
}
