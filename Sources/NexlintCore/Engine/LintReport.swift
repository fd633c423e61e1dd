import NexlintXML

/// All of a run's findings at once: what `lint --fix` ends with (it reads whole units to
/// rewrite them), and what tests render.
public struct LintReport: Sendable {
    /// Sorted by path, line, column and rule.
    public var findings: [Finding]
    /// The files reported on, sorted.
    public var files: [String]
    /// Files that could not be read or fixed.
    public var problems: [FileProblem]

    public init(findings: [Finding], files: [String], problems: [FileProblem] = []) {
        self.findings = findings
        self.files = files
        self.problems = problems
    }

    /// Its files and the files of its findings, in path order, each with its findings: the
    /// report as a streamed run hands it on.
    public func forEachFile(_ body: (String, [Finding]) -> Void) {
        let byFile = Dictionary(grouping: findings, by: \.location.file)
        for path in Set(files).union(byFile.keys).sorted() { body(path, byFile[path] ?? []) }
    }
}

/// Receives a run's reported files in path order, each with its findings sorted (none for a
/// clean file), one at a time.
public protocol FindingConsumer {
    mutating func consume(_ path: String, _ findings: [Finding])
}

/// A lint run planned: what it will read and report on (``Linter/plan(_:)``).
public struct LintRun: Sendable {
    let options: LintOptions
    let selection: Linter.Selection
    /// Its first files, read while it was being planned, and what they were parsed for.
    let readAhead: ReadAhead
    let readAheadOptions: ParseOptions

    /// The files it reports on, sorted (those that turn out not to be NexJ's are left out
    /// when the run comes to them).
    public var reportedFiles: [String] { selection.reportedInOrder }
}

/// What a streamed run leaves once every file has been handed on.
public struct LintOutcome: Sendable {
    /// Files reported on.
    public var files: Int
    /// Entries met while walking directories, and files to report on, that could not be read.
    public var problems: [FileProblem]
    /// Directories given whose walk found no file to lint (exit 2: a CI job with a wrong
    /// path must not pass forever).
    public var emptyWalks: [String]

    public init(files: Int, problems: [FileProblem], emptyWalks: [String]) {
        self.files = files
        self.problems = problems
        self.emptyWalks = emptyWalks
    }
}
