import ArgumentParser
import NexlintConfig
import NexlintCore
import NexlintRules
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Turn Basic-auth Exchange Online channels into OAuth channels (a dry run unless --write).",
        discussion: """
            Prints a unified diff (passwords masked) and a table of channels migrated or skipped \
            with the reason. The client secret is read from an environment variable or a file, \
            never from the command line. Exit status: 0 every selected channel migrated (or \
            already was), 1 some were skipped, 2 usage error or a file that could not be written.
            """)

    @Argument(help: "Files or directories (default: the current directory).")
    var paths: [String] = []

    @Option(help: "The Azure directory (tenant) ID, a GUID.")
    var tenantID: String

    @Option(help: "The application (client) ID of the app registration, a GUID.")
    var appID: String

    @Option(help: "The environment variable holding the client secret (default: NEXLINT_CLIENT_SECRET).")
    var clientSecretEnv: String?

    @Option(help: "A file holding the client secret (instead of the environment variable); a pipe or /dev/stdin works too.")
    var clientSecretFile: String?

    @Option(help: "Migrate exactly these channels (repeatable); default: every Exchange Online channel on Basic authentication.")
    var channel: [String] = []

    @Option(help: "The token authority, e.g. login.microsoftonline.us (default: the one of each channel's cloud).")
    var authority: String?

    @Option(help: "Configuration file (default: the nearest .nexlint.yml up to the repository root).")
    var config: String?

    @Flag(help: "Write the files (atomically), instead of printing the diff only.")
    var write = false

    @Flag(help: "With --write, keep each original as FILE.bak (an existing FILE.bak is never overwritten).")
    var backup = false

    @Option(help: "Output: text (the diff and a table) or json (one document for the whole run).")
    var format: MigrationFormat = .text

    func validate() throws {
        guard GUID.isWellFormed(tenantID) else { throw ValidationError("--tenant-id `\(tenantID)` is not a GUID (8-4-4-4-12 hex digits)") }
        guard GUID.isWellFormed(appID) else { throw ValidationError("--app-id `\(appID)` is not a GUID (8-4-4-4-12 hex digits)") }
        guard !GUID.equal(tenantID, appID) else {
            throw ValidationError("--tenant-id and --app-id are the same GUID: the token URL takes the directory (tenant) ID, the user the application ID")
        }
        if let authority, ExchangeOnline.cloud(ofAuthority: authority) == nil {
            throw ValidationError("--authority `\(authority)` is not a Microsoft identity authority (\(ExchangeOnline.knownAuthorities.joined(separator: ", ")))")
        }
        if backup && !write { throw ValidationError("--backup needs --write") }
        try PathArguments.validate(paths)
        if clientSecretEnv != nil && clientSecretFile != nil {
            throw ValidationError("--client-secret-env and --client-secret-file both name the client secret; give one")
        }
    }

    func run() throws {
        // The secret is checked before any file is read: a refused one changes nothing.
        let secret = try clientSecret()
        var options = LintOptions(paths: paths, configurations: try ConfigurationIndex.forCommand(config))
        options.keepsSource = true
        let linter = Linter(catalogue: RuleCatalog.all)
        let workspace: Workspace
        var plan: MigrationPlan
        do {
            workspace = try linter.load(options)
            for problem in workspace.problems { printError(problem.message) }
            let request = MigrationRequest(tenantID: tenantID, applicationID: appID, clientSecret: secret,
                                           channels: channel, authority: authority)
            plan = try Migration(linter: linter, request: request).plan(workspace)
        } catch let problem as FileProblem {
            printError(problem.message)
            throw ExitCode(2)
        } catch let error as ConfigurationError {
            printError(error.description)
            throw ExitCode(2)
        } catch MigrationError.unknownChannels(let names) {
            printError("no Exchange Online channel is named \(names.map { "`\($0)`" }.joined(separator: ", "))")
            throw ExitCode(2)
        }

        // Unit by unit: its diff, then its files, root first. A closed standard output stops
        // the run after the unit under way, so no unit is left half-written.
        let writer = write ? FileWriter() : nil
        let showProgress = write && isatty(STDERR_FILENO) != 0 && plan.rewrites.count >= 20
        var filesDone = 0
        for index in plan.transactions.indices {
            if format == .text {
                for rewrite in plan.transactions[index] { StandardOutput.write(MigrationReport.diff(rewrite)) }
            }
            if let writer {
                filesDone += plan.transactions[index].count
                if showProgress { printError("writing \(filesDone)/\(plan.rewrites.count)") }
                plan.commit(index, with: writer, backup: backup)
            }
            if StandardOutput.failed {
                if write, index + 1 < plan.transactions.count {
                    plan.abandon(from: index + 1, reason: "the run stopped when standard output was closed")
                }
                break
            }
        }
        switch format {
        case .text: StandardOutput.write(MigrationReport.table(plan, written: write))
        case .json: StandardOutput.write(MigrationReport.json(plan, written: write, unreadable: workspace.problems))
        }
        for (file, result) in plan.fileResults.sorted(by: { $0.key < $1.key }) {
            if case .notWritten(let why) = result { printError("not written: \(file): \(why)") }
        }
        if !workspace.problems.isEmpty || plan.hasUnwrittenFiles { throw ExitCode(2) }
        if plan.skippedCount > 0 { throw ExitCode(1) }
    }

    /// The secret from the file or the variable; a dry run may go without one.
    private func clientSecret() throws -> String {
        let variable = clientSecretEnv ?? "NEXLINT_CLIENT_SECRET"
        let read: Result<String, ClientSecret.Refusal>?
        if let clientSecretFile {
            read = ClientSecret.read(file: clientSecretFile)
        } else {
            read = ClientSecret.read(variable: variable)
        }
        switch read {
        case .success(let secret)?:
            return secret
        case .failure(let refusal)?:
            printError(refusal.message)
            throw ExitCode(2)
        case nil where write:
            printError("no client secret: set \(variable) or give --client-secret-file FILE")
            throw ExitCode(2)
        case nil:
            printError("no client secret given: this dry run writes a placeholder in its place (masked in the diff)")
            return "client-secret-placeholder"
        }
    }
}

enum MigrationFormat: String, ArgumentChoices {
    case text, json
}
