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

    @Option(help: "The environment variable holding the client secret.")
    var clientSecretEnv = "NEXLINT_CLIENT_SECRET"

    @Option(help: "A file holding the client secret (instead of the environment variable).")
    var clientSecretFile: String?

    @Option(help: "Migrate exactly these channels (repeatable); default: every Exchange Online channel on Basic authentication.")
    var channel: [String] = []

    @Option(help: "The token authority, e.g. login.microsoftonline.us (default: the one of each channel's cloud).")
    var authority: String?

    @Option(help: "Configuration file (default: the nearest .nexlint.yml up to the repository root).")
    var config: String?

    @Flag(help: "Write the files (atomically), instead of printing the diff only.")
    var write = false

    @Flag(help: "With --write, keep each original as FILE.bak.")
    var backup = false

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
    }

    func run() throws {
        // A file-size limit makes writes fail with an error instead of killing the process
        // midway, so the atomic write can clean up.
        signal(SIGXFSZ, SIG_IGN)
        let secret = try clientSecret()
        let repository = RepositoryLocation.discover()
        let settings = try Configuration.loadForCommand(config, repository: repository)
        var options = LintOptions(paths: paths, syncTargetFiles: settings.syncTargets, definitions: settings.properties)
        options.keepsSource = true
        let linter = Linter(catalogue: RuleCatalog.all)
        let plan: MigrationPlan
        do {
            let workspace = try Linter.load(options, discovery: FileDiscovery(exclude: settings.exclude))
            for problem in workspace.problems { printError(problem.message) }
            let request = MigrationRequest(tenantID: tenantID, applicationID: appID, clientSecret: secret,
                                           channels: channel, authority: authority)
            plan = try Migration(linter: linter, request: request, definitions: settings.properties).plan(workspace)
        } catch let problem as FileProblem {
            printError(problem.message)
            throw ExitCode(2)
        } catch MigrationError.unknownChannels(let names) {
            printError("no Exchange Online channel is named \(names.map { "`\($0)`" }.joined(separator: ", "))")
            throw ExitCode(2)
        }

        var failedWrites = 0
        let showProgress = write && isatty(STDERR_FILENO) != 0 && plan.rewrites.count >= 20
        for (index, rewrite) in plan.rewrites.enumerated() {
            print(MigrationReport.diff(rewrite), terminator: "")
            guard write else { continue }
            if showProgress { printError("writing \(index + 1)/\(plan.rewrites.count): \(rewrite.path)") }
            if case .failure(let problem) = rewrite.commit(backup: backup) {
                printError("not written: \(problem.message)")
                failedWrites += 1
            }
        }
        print(MigrationReport.table(plan, written: write), terminator: "")
        if failedWrites > 0 { throw ExitCode(2) }
        if plan.skippedCount > 0 { throw ExitCode(1) }
    }

    private func clientSecret() throws -> String {
        let secret: String
        if let clientSecretFile {
            switch FileSystem.read(clientSecretFile) {
            case .success(let bytes):
                var text = String(decoding: bytes, as: UTF8.self)
                while text.last == "\n" || text.last == "\r" { text.removeLast() }
                secret = text
            case .failure(let problem):
                throw ValidationError("cannot read the client secret: \(problem.message)")
            }
        } else if let value = getenv(clientSecretEnv) {
            secret = String(cString: value)
        } else {
            throw ValidationError("no client secret: set \(clientSecretEnv) or give --client-secret-file FILE")
        }
        guard !secret.isEmpty else { throw ValidationError("the client secret is empty") }
        // NexJ splits the decoded password at its first colon: a colon in the secret would
        // move part of it into the account password.
        guard !secret.contains(":") else { throw ValidationError("the client secret contains a colon, which NexJ's password format cannot hold") }
        return secret
    }
}
