import ArgumentParser
import NexlintConfig
import NexlintCore
import NexlintRules
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ReportFormat: ArgumentChoices {}

extension FailThreshold: ArgumentChoices {}

enum ColorChoice: String, ArgumentChoices {
    case auto, always, never
}

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check files and directories (default: the current directory).",
        discussion: """
            Exit status: 0 no finding at or above --fail-on, 1 there is one, 2 usage error, \
            bad configuration or unreadable input.
            """)

    @Argument(help: "Files or directories. Directories are searched for .environment, .server, .connections and .synctargets files.")
    var paths: [String] = []

    @Option(help: "Output format: text, json, junit, sarif, github or gitlab (repeatable; each may be followed by --output).")
    var format: [ReportFormat] = []

    @Option(help: "Write the preceding --format to this file instead of standard output (`-`: standard output).")
    var output: [String] = []

    @Option(help: "Configuration file (default: the nearest .nexlint.yml up to the repository root).")
    var config: String?

    @Option(help: "Lowest severity that makes the exit status 1: error, warning, note or never (default: error).")
    var failOn: FailThreshold?

    // Unconditional, so that `--jobs -1` reaches validate() and gets its own message
    // instead of argument-parser's "missing value".
    @Option(parsing: .unconditional, help: "Files to parse at once (default: the number of cores).")
    var jobs: Int?

    @Option(name: .customLong("sync-targets"), help: "A .synctargets file that applies to every unit linted (repeatable).")
    var syncTargets: [String] = []

    @Option(name: .customLong("define"), help: "Set a property from outside, as at deploy time: NAME=VALUE (repeatable).")
    var definitions: [String] = []

    @Option(help: "Report only findings that this baseline file does not record.")
    var baseline: String?

    @Option(help: "Record the current findings in this baseline file.")
    var writeBaseline: String?

    @Flag(help: "Apply safe fixes (EXO001 authComponent, EXO002 secure, EXO003 scheme and path) in place, then report what remains.")
    var fix = false

    @Flag(help: "Show what --fix would change, as a unified diff, and write nothing (exit 1 when there is something to fix).")
    var diff = false

    @Option(help: "Only these rules: IDs or prefixes, comma-separated (repeatable).", completion: .list(RuleLookup.identifiers))
    var select: [String] = []

    @Option(help: "Skip these rules: IDs or prefixes, comma-separated (repeatable).", completion: .list(RuleLookup.identifiers))
    var ignore: [String] = []

    @Option(help: "Colour the text output: auto (a terminal, unless NO_COLOR is set non-empty; FORCE_COLOR set non-empty means always), always or never.")
    var color: ColorChoice = .auto

    @Flag(help: "Never colour the text output (--color never).")
    var noColor = false

    @Flag(name: [.short, .long], help: "Print findings only, no summary line.")
    var quiet = false

    @Flag(help: "Print the number of findings of each rule instead of the findings (the text format).")
    var statistics = false

    func validate() throws {
        if diff && fix { throw ValidationError("--diff shows what --fix would do; give one of them") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
        try PathArguments.validate(paths)
        _ = try parsedDefinitions()
        try validateWrittenFiles(destinations())
        for entry in selection.unknownEntries(in: RuleLookup.identifiers) { throw RuleLookup.unknown(entry) }
    }

    /// Files a run would write that would lose one: a report or baseline on a file nexlint lints
    /// (`--output prod.environment` replaced the environment with the report) or on the
    /// configuration or baseline it reads (`--write-baseline` excepted: that updates the
    /// baseline), or two on one file (one would replace the other). A device or pipe is
    /// written to, not replaced: two reports may go to `/dev/null`.
    private func validateWrittenFiles(_ destinations: [(ReportFormat, String?)]) throws {
        let written = destinations.compactMap { _, path in path.map { (option: "--output \($0)", path: $0, isBaseline: false) } }
            + (writeBaseline.map { [(option: "--write-baseline \($0)", path: $0, isBaseline: true)] } ?? [])
        let read = [(option: config.map { "--config \($0)" }, path: config, isBaseline: false),
                    (option: baseline.map { "--baseline \($0)" }, path: baseline, isBaseline: true)]
        // Each file named so far: the option that named it, and whether it is the baseline read.
        var named: [String: (option: String, isBaselineRead: Bool)] = [:]
        for (option, path, isBaseline) in read {
            if let option, let path, let file = OutputFile.replacedFile(path) { named[file] = (option, isBaseline) }
        }
        for (option, path, isBaseline) in written {
            guard let file = OutputFile.replacedFile(path) else { continue }
            if NexJFileKind.isLintCandidate(PathNames.fileName(of: file)), let kind = PathNames.fileExtension(of: file) {
                throw ValidationError("\(option) names a file of a kind nexlint lints (.\(kind)): give it another name")
            }
            if let earlier = named.updateValue((option, false), forKey: file), !(earlier.isBaselineRead && isBaseline) {
                throw ValidationError("\(earlier.option) and \(option) are one file: one would replace the other")
            }
        }
    }

    func run() throws {
        let configurations = try ConfigurationIndex.forCommand(config)
        let options = try lintOptions(configurations)
        if diff { return try previewFixes(options) }
        let repository = RepositoryLocation.discover(forPaths: paths)
        let linter = Linter(catalogue: RuleCatalog.all)
        // Reports are written as the run reports each file; files given with --output are
        // replaced only once the run is through.
        let stream = ReportStream()
        let destinations = try destinations()
        var outputFiles: [OutputFile?] = []
        let rules = RuleCatalog.all.map { type(of: $0).description }
        for (format, destination) in destinations {
            let reporter = statistics && format == .text ? StatisticsReporter(rules: rules, quiet: quiet)
                : format.reporter(rules: rules, repository: repository, colored: destination == nil && useColor, quiet: quiet)
            if let destination {
                let file = try created(destination)
                stream.add(reporter, drainingTo: file.write, copyingFiles: file.copy)
                outputFiles.append(file)
            } else {
                stream.add(reporter, drainingTo: StandardOutput.write, copyingFiles: StandardOutput.copy)
                outputFiles.append(nil)
            }
        }
        let previousBaseline = writeBaseline.flatMap { try? BaselineFile.load($0) }
        // Each file's findings meet the baseline its configuration names, unless one is given.
        var reporting = Reporting(policy: FindingPolicy(configurations: configurations, baseline: baseline, failOn: failOn,
                                                        repository: repository),
                                  // The salt of the baseline being replaced is kept, so its digests stay comparable.
                                  recorder: writeBaseline.map { _ in Baseline.Recorder(repository: repository, salt: previousBaseline?.salt) },
                                  stream: stream)
        let outcome: LintOutcome = try exitingOnInputErrors {
            if fix {
                let run = try linter.lintFixing(options)
                for path in run.fixedFiles.sorted() {
                    printError("fixed \(FileNameBytes.shown(path)): \(run.fixedRules[path, default: []].joined(separator: ", "))")
                }
                for (path, reason) in run.unfixable.sorted(by: { $0.key < $1.key }) {
                    printError("not fixed \(FileNameBytes.shown(path)): \(reason)")
                }
                if run.fixed > 0 || !run.problems.isEmpty {
                    printError("fixed \(run.fixed) finding\(run.fixed == 1 ? "" : "s") in \(run.fixedFiles.count) file\(run.fixedFiles.count == 1 ? "" : "s")")
                }
                try reporting.policy.prepare(for: run.report.files, applyingConfigured: writeBaseline == nil)
                run.report.forEachFile { reporting.consume($0, $1) }
                return LintOutcome(files: run.report.files.count, problems: run.report.problems, emptyWalks: [])
            }
            let planned = try linter.plan(options)
            try reporting.policy.prepare(for: planned.reportedFiles, applyingConfigured: writeBaseline == nil)
            return linter.lint(planned, into: &reporting)
        }
        // No file to report on: a walk that found nothing says so below; files named but
        // all excluded (a pre-commit run) leave the terminal silent.
        let written = stream.finish { index in destinations[index].0 != .text && outcome.emptyWalks.isEmpty }
        if let writeBaseline, var recorder = reporting.recorder {
            let recorded = recorder.count
            // A run over part of the repository replaces only that part's entries.
            let scope = (paths.isEmpty ? ["."] : paths).map(repository.relativePath(of:))
            let keptFiles = previousBaseline.map { recorder.keep($0, outside: scope) } ?? 0
            var serialized = recorder.baseline.serialized()
            try writeWhole(to: writeBaseline) { file in serialized.withUTF8(file.write) }
            printError("recorded \(recorded) findings in \(writeBaseline)"
                       + (keptFiles == 0 ? "" : "; kept the entries of \(keptFiles) file\(keptFiles == 1 ? "" : "s") this run did not cover"))
        }
        for case (let file?, true) in zip(outputFiles, written) { try commit(file) }
        for problem in outcome.problems { printError(problem.message) }
        for walk in outcome.emptyWalks { printError("nothing found under \(walk) (no .environment, .server, .connections, .synctargets or NexJ .config file)") }
        if !outcome.problems.isEmpty || !outcome.emptyWalks.isEmpty { throw ExitCode(2) }
        if reporting.policy.fails { throw ExitCode(1) }
    }

    /// `--diff`: what `--fix` would change, masked as `migrate`'s diffs are, nothing written.
    private func previewFixes(_ options: LintOptions) throws {
        let preview = try exitingOnInputErrors { try Linter(catalogue: RuleCatalog.all).previewFixes(options) }
        for rewrite in preview.rewrites { StandardOutput.write(MigrationReport.diff(rewrite)) }
        let files = preview.rewrites.count
        printError("--fix would fix \(preview.findings) finding\(preview.findings == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")")
        StandardOutput.exitIfFailed()
        if files > 0 { throw ExitCode(1) }
    }

    /// Each file's findings through the policy (baselines, fail-on), into the baseline being
    /// recorded, if any, and into the reports.
    private struct Reporting: FindingConsumer {
        var policy: FindingPolicy
        var recorder: Baseline.Recorder?
        let stream: ReportStream

        mutating func consume(_ path: String, _ findings: [Finding]) {
            let kept = policy.admit(path, findings)
            recorder?.record(kept)
            stream.hid(findings.count - kept.count)
            stream.file(path, findings: kept)
        }
    }

    private func lintOptions(_ configurations: ConfigurationIndex) throws -> LintOptions {
        LintOptions(paths: paths, syncTargetFiles: syncTargets, definitions: try parsedDefinitions(), ruleSelection: selection,
                    jobs: jobs ?? LintOptions.defaultJobs, configurations: configurations)
    }

    /// `body`, with input it cannot read (a path, a configuration, fixes that do not settle)
    /// said in one line and exit 2.
    private func exitingOnInputErrors<Value>(_ body: () throws -> Value) throws -> Value {
        do {
            return try body()
        } catch let problem as FileProblem {
            printError(problem.message)
        } catch let error as ConfigurationError {
            printError(error.description)
        } catch let stuck as FixesDidNotConverge {
            printError("fixes did not converge after \(stuck.passes) passes; the files are written as far as they got")
        }
        throw ExitCode(2)
    }

    /// A file to be written whole (see ``OutputFile`` for how); exit 2 with the reason when it
    /// cannot be.
    private func created(_ path: String) throws -> OutputFile {
        switch OutputFile.create(path) {
        case .success(let file): return file
        case .failure(let problem):
            printError("cannot write \(problem.message)")
            throw ExitCode(2)
        }
    }

    /// A file written whole with what `produce` writes; exit 2 with the reason when it cannot be.
    private func writeWhole(to path: String, _ produce: (OutputFile) -> Void) throws {
        let file = try created(path)
        produce(file)
        try commit(file)
    }

    /// Puts the file in place; exit 2 with the reason when it cannot.
    private func commit(_ file: OutputFile) throws {
        if case .failure(let problem) = file.commit() {
            printError("cannot write \(problem.message)")
            throw ExitCode(2)
        }
    }

    /// Each `--format` with the `--output` that follows it, if any (nil: standard output).
    /// argument-parser keeps each option's values in order but not how they interleave, so
    /// the order is read back from the command line.
    private func destinations() throws -> [(ReportFormat, String?)] {
        guard !format.isEmpty else {
            guard output.isEmpty else { throw ValidationError("--output must follow the --format it is for") }
            return [(.text, nil)]
        }
        var pairs: [(ReportFormat, String?)] = []
        var formats = format.makeIterator()
        var outputs = output.makeIterator()
        for argument in CommandLine.arguments.dropFirst().prefix(while: { $0 != "--" }) {
            if argument == "--format" || argument.hasPrefix("--format="), let next = formats.next() {
                pairs.append((next, nil))
            } else if argument == "--output" || argument.hasPrefix("--output="), let next = outputs.next() {
                guard let last = pairs.last, last.1 == nil else {
                    throw ValidationError("--output must follow the --format it is for")
                }
                pairs[pairs.count - 1].1 = next
            }
        }
        guard pairs.count == format.count else { return format.map { ($0, nil) } }
        // `-` is standard output, as for most tools.
        pairs = pairs.map { ($0.0, $0.1 == "-" ? nil : $0.1) }
        if pairs.filter({ $0.1 == nil }).count > 1 {
            throw ValidationError("only one --format can write to standard output; give the others --output FILE")
        }
        return pairs
    }

    private var selection: RuleSelection {
        func entries(_ values: [String]) -> [String] {
            values.flatMap { $0.split(separator: ",") }.map { String($0.trimmingWhitespace()).uppercased() }
        }
        return RuleSelection(select: select.isEmpty ? nil : entries(select), ignore: entries(ignore))
    }

    private func parsedDefinitions() throws -> [String: String] {
        var result: [String: String] = [:]
        for definition in definitions {
            guard let equals = definition.firstIndex(of: "="), equals != definition.startIndex else {
                throw ValidationError("--define takes NAME=VALUE, got `\(definition.prefix { $0 != "=" })`")
            }
            result[String(definition[..<equals])] = String(definition[definition.index(after: equals)...])
        }
        return result
    }

    /// The convention (no-color.org, force-color.org): a variable counts when set and non-empty.
    private var useColor: Bool {
        func isSet(_ name: String) -> Bool { getenv(name).map { $0.pointee != 0 } ?? false }
        switch noColor ? .never : color {
        case .always: return true
        case .never: return false
        case .auto: return isSet("FORCE_COLOR") || (!isSet("NO_COLOR") && isatty(STDOUT_FILENO) != 0)
        }
    }
}
