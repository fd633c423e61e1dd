import ArgumentParser
import NexlintCore
import NexlintRules
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

enum FailLevel: String, ExpressibleByArgument, CaseIterable {
    case error, warning, note, never

    var threshold: Severity? { Severity(rawValue: rawValue) }
}

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check files and directories (default: the current directory).",
        discussion: "Exit status: 0 no finding at or above --fail-on, 1 there is one, 2 usage error or unreadable input.")

    @Argument(help: "Files or directories. Directories are searched for .environment, .server, .connections and .synctargets files.")
    var paths: [String] = []

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(help: "Lowest severity that makes the exit status 1: error, warning, note or never.")
    var failOn: FailLevel = .error

    @Option(help: "Files to parse at once (default: the number of cores).")
    var jobs: Int?

    @Option(name: .customLong("sync-targets"), help: "A .synctargets file that applies to every unit linted (repeatable).")
    var syncTargets: [String] = []

    @Option(name: .customLong("define"), help: "Set a property from outside, as at deploy time: NAME=VALUE (repeatable).")
    var definitions: [String] = []

    @Option(help: "Only these rules: IDs or prefixes, comma-separated (repeatable).")
    var select: [String] = []

    @Option(help: "Skip these rules: IDs or prefixes, comma-separated (repeatable).")
    var ignore: [String] = []

    @Flag(help: "Never colour the text output.")
    var noColor = false

    @Flag(help: "Print findings only, no summary line.")
    var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        _ = try parsedDefinitions()
        for entry in unknownRuleEntries() { throw RuleLookup.unknown(entry) }
    }

    func run() throws {
        let options = LintOptions(
            paths: paths,
            syncTargetFiles: syncTargets,
            definitions: try parsedDefinitions(),
            ruleSelection: selection,
            jobs: jobs ?? LintOptions.defaultJobs)
        let report: LintReport
        do {
            report = try Linter(catalogue: RuleCatalog.all).lint(options)
        } catch {
            printError(error.message)
            throw ExitCode(2)
        }
        let reporter: any Reporter = switch format {
        case .text: TextReporter(colored: useColor, quiet: quiet)
        case .json: JSONReporter()
        }
        print(reporter.render(report), terminator: "")
        for problem in report.problems { printError(problem.message) }
        if !report.problems.isEmpty { throw ExitCode(2) }
        if let threshold = failOn.threshold, report.findings.contains(where: { $0.severity >= threshold }) {
            throw ExitCode(1)
        }
    }

    private var selection: RuleSelection {
        func entries(_ values: [String]) -> [String] {
            values.flatMap { $0.split(separator: ",") }.map { String($0.trimmingWhitespace()).uppercased() }
        }
        return RuleSelection(select: select.isEmpty ? nil : entries(select), ignore: entries(ignore))
    }

    private func unknownRuleEntries() -> [String] {
        selection.unknownEntries(in: RuleLookup.identifiers)
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

    private var useColor: Bool {
        !noColor && getenv("NO_COLOR") == nil && isatty(STDOUT_FILENO) != 0
    }
}
