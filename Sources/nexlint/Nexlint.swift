import ArgumentParser
import NexlintConfig
import NexlintCore
import NexlintRules
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct NexlintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexlint",
        abstract: "Lint NexJ environment, server and connections files, and their Exchange Online channels.",
        version: Nexlint.version,
        subcommands: [Lint.self, Migrate.self, ListRules.self, Explain.self])

    /// Exit codes are 0 (clean), 1 (findings at or above --fail-on) and 2 (anything else),
    /// so argument-parser's 64 for usage errors becomes 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if code == 0 {
                if !message.isEmpty { print(message) }
                Glibc.exit(0)
            }
            if !message.isEmpty { printError(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message) }
            Glibc.exit(code == 1 ? 1 : 2)
        }
    }
}

func printError(_ message: String) {
    var standardError = StandardError()
    print("nexlint: \(message)", to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var text = string
        text.withUTF8 { bytes in _ = Glibc.write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }
}

enum RuleLookup {
    static var identifiers: [String] { RuleCatalog.all.map { type(of: $0).description.identifier } }

    static func unknown(_ id: String) -> ValidationError {
        let suggestion = Spelling.nearest(to: id, in: identifiers).map { "; did you mean \($0)?" } ?? ""
        return ValidationError("unknown rule `\(id)`\(suggestion)")
    }
}

extension Configuration {
    /// The file given with `--config`, or the nearest `.nexlint.yml`, or none; a bad one is a
    /// one-line error and exit 2.
    static func loadForCommand(_ explicit: String?, repository: RepositoryLocation) throws -> Configuration {
        guard let file = explicit ?? discover(repository: repository) else { return Configuration() }
        do {
            return try load(file, ruleIdentifiers: RuleLookup.identifiers, workingDirectory: repository.workingDirectory)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }
}

struct ListRules: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List every rule: ID, default severity, fix, title.")

    func run() {
        print(RuleDocumentation.table(RuleCatalog.all.map { type(of: $0).description }), terminator: "")
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Print a rule's documentation page.")

    @Argument(help: "A rule ID, such as EXO004.")
    var ruleID: String

    func run() throws {
        guard let rule = RuleCatalog.all.first(where: { type(of: $0).description.identifier == ruleID.uppercased() }) else {
            throw RuleLookup.unknown(ruleID)
        }
        print(RuleDocumentation.page(for: type(of: rule).description), terminator: "")
    }
}
