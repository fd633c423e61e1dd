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
        // A closed pipe (a pager quit, `| head`) makes writes fail with EPIPE, which the run
        // notices and handles, instead of killing the process midway.
        signal(SIGPIPE, SIG_IGN)
        do {
            // Arguments are file names, which are bytes: decoded so that none is lost.
            let arguments = (1..<Int(CommandLine.argc)).map { FileNameBytes.decode(UnsafeRawBufferPointer(start: CommandLine.unsafeArgv[$0]!, count: strlen(CommandLine.unsafeArgv[$0]!))) }
            var command = try parseAsRoot(arguments)
            try command.run()
            StandardOutput.exitIfFailed()
        } catch {
            let code = exitCode(for: error).rawValue
            // Help and version in full; an error in one line (the usage is one `--help` away).
            let message = code == 0 ? fullMessage(for: error) : message(for: error)
            if code == 0 {
                if !message.isEmpty { StandardOutput.write(message + "\n") }
                StandardOutput.exitIfFailed()
                Glibc.exit(0)
            }
            // A report that could not be written outweighs the findings it held.
            StandardOutput.exitIfFailed()
            if !message.isEmpty { printError((message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message) + suggestion()) }
            Glibc.exit(code == 1 ? 1 : 2)
        }
    }
}

/// For a first argument that is no command (`nexlint lnt`): the nearest command, as git does.
private func suggestion() -> String {
    let names = NexlintCommand.configuration.subcommands.map { $0.configuration.commandName ?? "" }
    guard CommandLine.arguments.count > 1 else { return "" }
    let first = CommandLine.arguments[1]
    guard !first.hasPrefix("-"), !names.contains(first), access(first, F_OK) != 0,
          let nearest = Spelling.nearest(to: first, in: names) else { return "" }
    return "; did you mean `nexlint \(nearest)`?"
}

func printError(_ message: String) {
    var standardError = StandardError()
    print("nexlint: \(message)", to: &standardError)
}

/// Standard output written with write(2), remembering the first failure (a closed pipe, a
/// full disk, `/dev/full`): a report that could not be written is exit 2, never a silent 0.
enum StandardOutput {
    nonisolated(unsafe) private static var failure: Int32?

    static func write(_ text: String) {
        var text = text
        text.withUTF8(write)
    }

    static func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard failure == nil else { return }
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { failure = errno; return }
            offset += count
        }
    }

    /// Copies the first `count` bytes of the open file `source` to standard output, by the
    /// system; false when it cannot, and nothing was copied.
    static func copy(_ count: Int, bytesOf source: Int32) -> Bool {
        guard failure == nil else { return true }
        switch FileSystem.copy(count, bytesOf: source, to: STDOUT_FILENO) {
        case .copied: return true
        case .unsupported: return false
        case .failed:
            failure = errno
            return true
        }
    }

    static var failed: Bool { failure != nil }

    /// Exit 2 with the reason when anything could not be written.
    static func exitIfFailed() {
        guard let failure else { return }
        printError("cannot write to standard output: \(String(cString: strerror(failure)))")
        Glibc.exit(2)
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var text = string
        text.withUTF8 { bytes in _ = Glibc.write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }
}

enum PathArguments {
    /// An empty argument names no file (a shell variable that was not set): it is not taken
    /// to mean the working directory.
    static func validate(_ paths: [String]) throws {
        if paths.contains("") { throw ValidationError("an empty path names no file or directory (give . for the working directory)") }
    }
}

enum RuleLookup {
    static var identifiers: [String] { RuleCatalog.all.map { type(of: $0).description.identifier } }

    static func unknown(_ id: String) -> ValidationError {
        let suggestion = Spelling.nearest(to: id, in: identifiers).map { "; did you mean \($0)?" } ?? ""
        return ValidationError("unknown rule `\(id)`\(suggestion)")
    }
}

extension ConfigurationIndex {
    /// Every file governed by the file given with `--config`, or each by the nearest
    /// `.nexlint.yml` above it; a bad one is a one-line error and exit 2.
    static func forCommand(_ explicit: String?) throws -> ConfigurationIndex {
        let workingDirectory = FileSystem.currentDirectory()
        let loader: Loader = { file throws(ConfigurationError) in
            try Configuration.load(file, ruleIdentifiers: RuleLookup.identifiers, workingDirectory: workingDirectory)
        }
        guard let explicit else { return ConfigurationIndex(workingDirectory: workingDirectory, loader: loader) }
        do {
            return ConfigurationIndex(workingDirectory: workingDirectory, explicit: try loader(explicit))
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }
}

struct ListRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every rule: ID, default severity, fix, title (or the whole reference as Markdown or JSON).")

    enum Format: String, ArgumentChoices {
        case text, markdown, json
    }

    @Option(help: "text (a table), markdown (the rule reference) or json.")
    var format: Format = .text

    func run() {
        let rules = RuleCatalog.all.map { type(of: $0).description }
        let reference = switch format {
        case .text: RuleDocumentation.table(rules)
        case .markdown: RuleDocumentation.markdownReference(rules)
        case .json: RuleDocumentation.jsonReference(rules)
        }
        StandardOutput.write(reference)
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Print a rule's documentation page.")

    @Argument(help: "A rule ID, such as EXO004.", completion: .list(RuleLookup.identifiers))
    var ruleID: String

    func run() throws {
        guard let rule = RuleCatalog.all.first(where: { type(of: $0).description.identifier == ruleID.uppercased() }) else {
            throw RuleLookup.unknown(ruleID)
        }
        StandardOutput.write(RuleDocumentation.page(for: type(of: rule).description))
    }
}
