import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

// How `migrate --write` and `lint --fix` write files (spec §6, "How files are written", "The
// unit is the transaction", "The summary tells the truth"), tried through the binary.

private let tenant = "6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d"
private let app = "0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c"
private let tokenURL = "https://login.microsoftonline.com/\(tenant)/oauth2/v2.0/token"

private func basicChannel(_ name: String, host: String = "outlook.office365.com") -> String {
    #"<HTTPConnection channel="\#(name)" url="https://\#(host)/EWS/Exchange.asmx" user="svc@contoso.com" password="text:pw-\#(name)"/>"#
}

private func environment(_ channels: String, root: String = "", comment: String = "") -> String {
    "<Environment type=\"Generic\"\(root)>\n  <ChannelConnections>\n\(comment)    \(channels)\n  </ChannelConnections>\n</Environment>\n"
}

private func migrate(_ arguments: [String], in directory: URL, secret: String = "s3cret-A",
                     environment extra: [String: String] = [:]) throws -> Run {
    try Run(["migrate", "--tenant-id", tenant, "--app-id", app] + arguments, in: directory,
            environment: ["NEXLINT_CLIENT_SECRET": secret].merging(extra) { $1 })
}

/// Runs a shell command line with the binary as `$NEXLINT`.
private func shell(_ script: String, in directory: URL, environment extra: [String: String] = [:]) throws -> Run {
    try Run(["-c", script], in: directory, environment: ["NEXLINT": Run.binary.path].merging(extra) { $1 },
            executable: URL(fileURLWithPath: "/bin/bash"))
}

private func text(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

private func leftovers(in directory: URL) throws -> [String] {
    try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter { $0.contains(".nexlint-") }
}

private func status(_ path: String) -> stat {
    var info = stat()
    lstat(path, &info)
    return info
}

private func commandSucceeds(_ command: String) -> Bool {
    (try? Run(["-c", command + " >/dev/null 2>&1"], executable: URL(fileURLWithPath: "/bin/sh")).status) == 0
}

/// `migrate --write .` as uid/gid 4242 with no other groups (the tests that use it need root).
private func migrateAsAnotherUser(in directory: URL) throws -> Run {
    try Run(["--reuid", "4242", "--regid", "4242", "--clear-groups", Run.binary.path, "migrate",
             "--tenant-id", tenant, "--app-id", app, "--write", "."],
            in: directory, environment: ["NEXLINT_CLIENT_SECRET": "s3cret"], executable: URL(fileURLWithPath: "/usr/bin/setpriv"))
}

/// Major 1, minor 3, as glibc's `makedev` (a macro Swift cannot call) encodes them: /dev/null's numbers.
private let nullDevice: dev_t = 0x103

private enum Machine {
    static let isRoot = getuid() == 0
    /// Whether files in the temporary directory take user xattrs and ACLs, with the tools to set them.
    static let hasExtendedAttributes: Bool = {
        guard let directory = try? temporaryDirectory() else { return false }
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("probe").path
        guard FileManager.default.createFile(atPath: file, contents: Data()) else { return false }
        return commandSucceeds("setfattr -n user.probe -v 1 '\(file)' && setfacl -m u:4242:r '\(file)'")
    }()
    static let canSwitchUser = isRoot && commandSucceeds("setpriv --reuid 4242 --regid 4242 --clear-groups true")
    /// Whether a character device can be made (root, with the capability to make devices).
    static let canMakeDevices: Bool = {
        guard let directory = try? temporaryDirectory() else { return false }
        defer { try? FileManager.default.removeItem(at: directory) }
        return mknod(directory.appendingPathComponent("null").path, S_IFCHR | 0o666, nullDevice) == 0
    }()
}

/// `lint --format json --output OUTPUT Samples/basic-auth` in `directory`, and the report it
/// should write (the same run's standard output).
private func lintReport(to output: String, in directory: URL, _ extra: [String] = []) throws -> (run: Run, expected: String) {
    let samples = Run.packageRoot.appendingPathComponent("Samples/basic-auth").path
    let run = try Run(["lint", "--format", "json", "--output", output] + extra + [samples], in: directory)
    let expected = try Run(["lint", "--format", "json", samples], in: directory).output
    return (run, expected)
}

@Suite(.serialized) struct FileWritingTests {
    @Test func aSymlinkedEnvironmentIsRewrittenThroughItsLink() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("store/crm.environment")
        try write(environment(basicChannel("EWS")), to: target)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("envs"), withIntermediateDirectories: true)
        let link = directory.appendingPathComponent("envs/crm.environment")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "../store/crm.environment")

        let run = try migrate(["--write", "envs"], in: directory)
        #expect(run.status == 0, "\(run.errors)")
        #expect(status(link.path).st_mode & S_IFMT == S_IFLNK)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "../store/crm.environment")
        #expect(try text(target).contains("authentication=\"custom\""))
        #expect(try text(target).contains("exo.tokenURL="))
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test func aFileWithTwoHardLinksIsRefusedWithTheReason() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = environment(basicChannel("EWS"))
        let file = directory.appendingPathComponent("crm.environment")
        try write(original, to: file)
        try FileManager.default.linkItem(at: file, to: directory.appendingPathComponent("copy.keep"))

        let run = try migrate(["--write", "crm.environment"], in: directory)
        #expect(run.status == 2)
        #expect(run.output.contains("not written"))
        #expect(run.errors.contains("crm.environment: it has 2 hard links, which a rewrite would split; not written"))
        #expect(!run.output.contains("migrated "))
        #expect(try text(file) == original)
        #expect(status(file.path).st_nlink == 2)

        // lint --fix takes the same path.
        try write(environment(#"<HTTPConnection channel="EWS" url="https://outlook.office365.com/EWS/Exchange.asmx" authentication="custom" authComponent="rpc:System.Authentication.EXO" user="\#(app):svc@contoso.com" password="master:AAEC"/>"#,
                              root: " exo.tokenURL=\"\(tokenURL)\""), to: directory.appendingPathComponent("fix.environment"))
        try FileManager.default.linkItem(at: directory.appendingPathComponent("fix.environment"), to: directory.appendingPathComponent("fix.keep"))
        let fix = try Run(["lint", "--fix", "fix.environment"], in: directory)
        #expect(fix.status == 2)
        #expect(fix.errors.contains("fix.environment: it has 2 hard links, which a rewrite would split; not written"))
    }

    @Test(.enabled(if: Machine.isRoot, "giving a file another owner needs root"))
    func ownerGroupAndModeOfAnotherUsersFileAreKept() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("crm.environment")
        try write(environment(basicChannel("EWS")), to: file)
        #expect(chown(file.path, 4242, 4343) == 0)
        #expect(chmod(file.path, 0o640) == 0)

        let run = try migrate(["--write", "."], in: directory)
        #expect(run.status == 0, "\(run.errors)")
        let info = status(file.path)
        #expect(info.st_uid == 4242 && info.st_gid == 4343)
        #expect(info.st_mode & 0o7777 == 0o640)
        #expect(try text(file).contains("authentication=\"custom\""))
    }

    @Test(.enabled(if: Machine.canSwitchUser, "needs root and setpriv to run as a user who may not keep a file's group"))
    func aUserWhoCannotKeepTheGroupDoesNotWriteTheFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = environment(basicChannel("EWS"))
        let file = directory.appendingPathComponent("crm.environment")
        try write(original, to: file)
        // Owned by the user, in a group the user is not in: only root could recreate that.
        #expect(chown(directory.path, 4242, 4242) == 0 && chown(file.path, 4242, 4343) == 0)
        let run = try migrateAsAnotherUser(in: directory)
        #expect(run.status == 2)
        #expect(run.errors.contains("its owner and group (4242:4343) cannot be kept"))
        #expect(try text(file) == original)
        #expect(status(file.path).st_gid == 4343)
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test(.enabled(if: Machine.hasExtendedAttributes, "the temporary directory's file system, or setfattr/setfacl, lacks extended attributes or ACLs"))
    func extendedAttributesAndACLsAreKept() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("crm.environment")
        try write(environment(basicChannel("EWS")), to: file)
        let quoted = "'\(file.path)'"
        #expect(commandSucceeds("chmod 0640 \(quoted) && setfattr -n user.origin -v ticket-42 \(quoted) && setfacl -m u:4242:r,g:4343:r,m::r \(quoted)"))
        let attributes = "getfattr -d -m - --absolute-names \(quoted); getfacl --absolute-names \(quoted); stat -c %a \(quoted)"
        let before = try shell(attributes, in: directory).output

        let run = try migrate(["--write", "."], in: directory)
        #expect(run.status == 0, "\(run.errors)")
        #expect(try text(file).contains("authentication=\"custom\""))
        #expect(try shell(attributes, in: directory).output == before)
        #expect(before.contains("user.origin=\"ticket-42\"") && before.contains("mask::r--"))
    }

    @Test func aFileChangedBetweenReadingAndRenamingIsNotOverwritten() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = environment(basicChannel("EWS"))
        let file = directory.appendingPathComponent("crm.environment")
        try write(original, to: file)
        // The hook runs after the temporary file is synced, just before the lock and the compare.
        let run = try migrate(["--write", "."], in: directory,
                              environment: ["NEXLINT_TEST_BEFORE_REPLACE": #"printf '<!-- edited -->\n' >> "$NEXLINT_TEST_FILE""#])
        #expect(run.status == 2)
        #expect(run.output.contains("not written  it changed since it was read; not written"))
        #expect(!run.output.contains(" migrated"))
        #expect(try text(file) == original + "<!-- edited -->\n")
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test func ofTwoRunsOnOneFileOnlyTheOneThatWroteSaysSo() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("crm.environment")
        try write(environment(basicChannel("EWS")), to: file)
        // Run A's hook runs B to its end between A's read and A's rename.
        let runB = #"env -u NEXLINT_TEST_BEFORE_REPLACE NEXLINT_CLIENT_SECRET=s3cret-B "$NEXLINT" migrate --tenant-id \#(tenant) --app-id \#(app) --write . > b.out 2>&1"#
        let runA = try migrate(["--write", "."], in: directory, environment: ["NEXLINT_TEST_BEFORE_REPLACE": runB, "NEXLINT": Run.binary.path])
        let outputB = try text(directory.appendingPathComponent("b.out"))
        #expect(outputB.contains("EWS      migrated"), "\(outputB)")
        #expect(runA.status == 2)
        #expect(runA.output.contains("EWS      not written  it changed since it was read"))
        #expect(try text(file).contains("text:s3cret-B:pw-EWS"))
        #expect(try !text(file).contains("s3cret-A"))
    }

    @Test func twoConcurrentRunsOverManyFilesLoseNothing() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let count = 300
        for index in 0..<count {
            try write(environment(basicChannel("EWS\(index)")), to: directory.appendingPathComponent(String(format: "e%04d.environment", index)))
        }
        let script = #"""
            NEXLINT_CLIENT_SECRET=s3cret-A "$NEXLINT" migrate --tenant-id \#(tenant) --app-id \#(app) --write --format json . > a.json 2>/dev/null &
            NEXLINT_CLIENT_SECRET=s3cret-B "$NEXLINT" migrate --tenant-id \#(tenant) --app-id \#(app) --write --format json . > b.json 2>/dev/null &
            wait
            """#
        _ = try shell(script, in: directory)
        func written(_ name: String) throws -> Set<String> {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(name))) as! [String: Any]
            return Set((json["files"] as! [[String: Any]]).filter { $0["written"] as! Bool }.map { $0["file"] as! String })
        }
        let (byA, byB) = (try written("a.json"), try written("b.json"))
        #expect(byA.isDisjoint(with: byB))
        for index in 0..<count {
            let name = String(format: "e%04d.environment", index)
            let contents = try text(directory.appendingPathComponent(name))
            let holdsA = contents.contains("text:s3cret-A:pw-EWS\(index)\""), holdsB = contents.contains("text:s3cret-B:pw-EWS\(index)\"")
            #expect(holdsA != holdsB, "\(name) holds \(holdsA ? "both" : "neither") result")
            #expect(holdsA ? byA.contains(name) : byB.contains(name), "\(name): the run whose result it holds did not report it written")
            #expect(contents.components(separatedBy: "exo.tokenURL=").count == 2)
        }
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test func interruptsRemoveTheTemporaryFileAndExitAsShellsDo() throws {
        for (signal, code, files) in [("INT", Int32(130), 2000), ("TERM", 143, 200), ("HUP", 129, 200)] {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            for index in 0..<files {
                try write(environment(basicChannel("EWS")), to: directory.appendingPathComponent(String(format: "e%04d.environment", index)))
            }
            let interrupted = String(format: "e%04d.environment", files / 2)
            let hook = #"case "$NEXLINT_TEST_FILE" in */\#(interrupted)) kill -\#(signal) $PPID;; esac"#
            let run = try migrate(["--write", "."], in: directory, environment: ["NEXLINT_TEST_BEFORE_REPLACE": hook])
            #expect(run.status == code, "SIG\(signal)")
            #expect(try leftovers(in: directory).isEmpty, "SIG\(signal)")
            let migrated = try (0..<files).filter { index in
                try text(directory.appendingPathComponent(String(format: "e%04d.environment", index))).contains("exo.tokenURL")
            }
            // Units are written in path order; the one under way when the signal came is untouched.
            #expect(migrated == Array(0..<(files / 2)), "SIG\(signal)")
        }
    }

    @Test func aKilledRunsPrivateLeftoverIsRemovedByTheNextRun() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for index in 0..<20 {
            try write(environment(basicChannel("EWS")), to: directory.appendingPathComponent(String(format: "e%04d.environment", index)))
        }
        let hook = #"case "$NEXLINT_TEST_FILE" in */e0007.environment) kill -KILL $PPID;; esac"#
        let killed = try migrate(["--write", "."], in: directory, environment: ["NEXLINT_TEST_BEFORE_REPLACE": hook])
        #expect(killed.status == -1)
        let left = try leftovers(in: directory)
        #expect(left.count == 1 && left[0].hasPrefix(".e0007.environment.nexlint-"))
        if let name = left.first { #expect(status(directory.appendingPathComponent(name).path).st_mode & 0o777 == 0o600) }

        let rerun = try migrate(["--write", "."], in: directory)
        #expect(rerun.status == 0, "\(rerun.errors)")
        #expect(try leftovers(in: directory).isEmpty)
        for index in 0..<20 {
            #expect(try text(directory.appendingPathComponent(String(format: "e%04d.environment", index))).contains("authentication=\"custom\""))
        }
    }

    @Test func aUnitInterruptedBetweenItsFilesIsCompletedByTheNextRun() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write("<Server type=\"Generic\"/>\n", to: directory.appendingPathComponent("crm.server"))
        try write("<Connections>\n  <ChannelConnections>\n    \(basicChannel("EWS"))\n  </ChannelConnections>\n</Connections>\n",
                  to: directory.appendingPathComponent("prod.connections"))
        let hook = #"case "$NEXLINT_TEST_FILE" in */prod.connections) kill -KILL $PPID;; esac"#
        _ = try migrate(["--write", "."], in: directory, environment: ["NEXLINT_TEST_BEFORE_REPLACE": hook])
        // The root was written first: the unit has its token URL, its channel is still Basic.
        #expect(try text(directory.appendingPathComponent("crm.server")).contains("exo.tokenURL=\"\(tokenURL)\""))
        #expect(try !text(directory.appendingPathComponent("prod.connections")).contains("custom"))

        let rerun = try migrate(["--write", "."], in: directory)
        #expect(rerun.status == 0, "\(rerun.errors)")
        #expect(rerun.output.contains("prod.connections  3     EWS      migrated"))
        #expect(try text(directory.appendingPathComponent("prod.connections")).contains("authentication=\"custom\""))
        #expect(try leftovers(in: directory).isEmpty)
        #expect(try Run(["lint", "--select", "EXO001,EXO004,EXO007,EXO009", "."], in: directory).status == 0)
    }

    @Test func channelsOnOAuthWithoutATokenURLGetTheirUnitCompleted() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let oauth = #"<HTTPConnection channel="EWS" url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO" user="\#(app):svc@contoso.com" password="text:s3cret-A:pw"/>"#
        let file = directory.appendingPathComponent("crm.environment")
        try write(environment(oauth), to: file)
        let dryRun = try migrate(["."], in: directory)
        #expect(dryRun.status == 0)
        #expect(dryRun.output.contains("EWS      would complete  already on OAuth; exo.tokenURL added to its unit's root"))
        let run = try migrate(["--write", "."], in: directory)
        #expect(run.status == 0)
        #expect(run.output.contains("EWS      completed  already on OAuth"))
        #expect(try text(file) == environment(oauth, root: " exo.tokenURL=\"\(tokenURL)\""))
        #expect(try migrate(["--write", "."], in: directory).output == "No Exchange Online channel on Basic authentication was found.\n")
    }

    @Test func theUnitMustPassEXO004OrItsChannelsAreSkippedWithTheReason() throws {
        let cases: [(files: [String: String], arguments: [String], reason: String)] = [
            (["a.environment": environment(basicChannel("EWS"), root: #" exo.tokenURL="https://login.microsoftonline.com/common/oauth2/v2.0/token""#)],
             [], "its unit's exo.tokenURL is itself wrong (EXO004); fix it first"),
            (["a.environment": environment(basicChannel("EWS"))], ["--authority", "login.microsoftonline.us"],
             "--authority login.microsoftonline.us is for the US Government cloud, its url for the global cloud"),
            (["a.environment": environment(basicChannel("EWS") + "\n    " + basicChannel("GOV", host: "outlook.office365.us"))], [],
             "its unit mixes clouds (US Government, global), which one exo.tokenURL cannot serve"),
        ]
        for (files, arguments, reason) in cases {
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            for (name, contents) in files { try write(contents, to: directory.appendingPathComponent(name)) }
            let run = try migrate(["--write"] + arguments + ["."], in: directory)
            #expect(run.status == 1, "\(reason)")
            #expect(run.output.contains("skipped  \(reason)"), "\(run.output)")
            for (name, contents) in files { #expect(try text(directory.appendingPathComponent(name)) == contents) }
        }
        // A root that cannot be rewritten (UTF-16) cannot receive the token URL.
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var utf16 = Data([0xFF, 0xFE])
        utf16.append("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<Server type=\"Generic\"/>\n".data(using: .utf16LittleEndian)!)
        try utf16.write(to: directory.appendingPathComponent("crm.server"))
        let connections = "<Connections>\n  <ChannelConnections>\n    \(basicChannel("EWS"))\n  </ChannelConnections>\n</Connections>\n"
        try write(connections, to: directory.appendingPathComponent("prod.connections"))
        let run = try migrate(["--write", "."], in: directory)
        #expect(run.status == 1)
        #expect(run.output.contains("skipped  exo.tokenURL cannot be added to its unit's root crm.server: the file is not UTF-8"))
        #expect(try text(directory.appendingPathComponent("prod.connections")) == connections)
    }

    @Test func aClosedPipeStopsTheRunAfterTheUnitUnderWay() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Long context lines: the diffs are far larger than a pipe's buffer.
        let comment = "    <!-- " + String(repeating: "context ", count: 150) + "-->\n"
        for index in 0..<200 {
            try write(environment(basicChannel("EWS"), comment: comment + comment + comment),
                      to: directory.appendingPathComponent(String(format: "e%04d.environment", index)))
        }
        let run = try shell(#"NEXLINT_CLIENT_SECRET=s3cret "$NEXLINT" migrate --tenant-id \#(tenant) --app-id \#(app) --write . | head -1; exit ${PIPESTATUS[0]}"#,
                            in: directory)
        #expect(run.status == 2)
        #expect(run.output == "--- a/e0000.environment\n")
        #expect(run.errors.contains("cannot write to standard output: Broken pipe"))
        let migrated = try (0..<200).filter { index in
            let contents = try text(directory.appendingPathComponent(String(format: "e%04d.environment", index)))
            #expect(contents.contains("exo.tokenURL") == contents.contains("authentication=\"custom\""))
            return contents.contains("exo.tokenURL")
        }
        #expect(!migrated.isEmpty && migrated.count < 200 && migrated == Array(0..<migrated.count))
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test func outputThatCannotBeWrittenIsExit2InEveryCommand() throws {
        for command in ["lint Samples", "lint --format json Samples", "rules", "explain EXO004", "--version",
                        "migrate --tenant-id \(tenant) --app-id \(app) Samples/basic-auth"] {
            let run = try shell(#"exec "$NEXLINT" \#(command) > /dev/full"#, in: Run.packageRoot)
            #expect(run.status == 2, "\(command)")
            #expect(run.errors.hasSuffix("cannot write to standard output: No space left on device\n"), "\(command): \(run.errors)")
        }
    }

    @Test(.enabled(if: Machine.canSwitchUser, "root reads every file: an unreadable one needs another user (root and setpriv)"))
    func anUnreadableFileIsExit2AndTheOthersStillMigrate() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write(environment(basicChannel("EWS")), to: directory.appendingPathComponent("a.environment"))
        try write(environment(basicChannel("EWS")), to: directory.appendingPathComponent("b.environment"))
        #expect(chown(directory.path, 4242, 4242) == 0 && chown(directory.appendingPathComponent("a.environment").path, 4242, 4242) == 0)
        #expect(chmod(directory.appendingPathComponent("b.environment").path, 0o000) == 0)
        let run = try migrateAsAnotherUser(in: directory)
        #expect(run.status == 2)
        #expect(run.errors.contains("b.environment: Permission denied"))
        #expect(run.output.contains("a.environment  3     EWS      migrated"))
    }

    @Test func anExistingBackupIsNeverOverwritten() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = environment(basicChannel("EWS"))
        try write(original, to: directory.appendingPathComponent("crm.environment"))
        try write("an older backup\n", to: directory.appendingPathComponent("crm.environment.bak"))
        let run = try migrate(["--write", "--backup", "."], in: directory)
        #expect(run.status == 2)
        #expect(run.errors.contains("crm.environment: crm.environment.bak exists and is never overwritten; not written"))
        #expect(try text(directory.appendingPathComponent("crm.environment")) == original)
        #expect(try text(directory.appendingPathComponent("crm.environment.bak")) == "an older backup\n")

        try FileManager.default.removeItem(at: directory.appendingPathComponent("crm.environment.bak"))
        let retry = try migrate(["--write", "--backup", "."], in: directory)
        #expect(retry.status == 0)
        #expect(try text(directory.appendingPathComponent("crm.environment.bak")) == original)
        #expect(try leftovers(in: directory).isEmpty)
    }

    // Reports (`--output`) and baselines (`--write-baseline`) are written as fixed files are.

    @Test func reportsAndBaselinesAreWrittenThroughTheirLinks() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write("old report", to: directory.appendingPathComponent("store/report.json"))
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("report.json").path,
                                                   withDestinationPath: "store/report.json")
        // A link to a file not there yet: the file is made, the link stays.
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("baseline.json").path,
                                                   withDestinationPath: "store/baseline.json")

        let (run, expected) = try lintReport(to: "report.json", in: directory, ["--write-baseline", "baseline.json"])
        #expect(run.status == 1, "\(run.errors)")
        for name in ["report.json", "baseline.json"] {
            #expect(status(directory.appendingPathComponent(name).path).st_mode & S_IFMT == S_IFLNK, "\(name)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.appendingPathComponent(name).path) == "store/\(name)")
        }
        #expect(try text(directory.appendingPathComponent("store/report.json")) == expected)
        #expect(try text(directory.appendingPathComponent("store/baseline.json")).contains("\"entries\""))
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test func aNamedPipeGetsTheReportAndStaysAPipe() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pipe = directory.appendingPathComponent("report.fifo")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        // Held open for reading and writing, the pipe never blocks the run's opening it, and
        // holds the report (a few KiB) until it is read here: no reader thread to wait for.
        let end = open(pipe.path, O_RDWR | O_NONBLOCK)
        #expect(end >= 0)
        defer { close(end) }

        let (run, expected) = try lintReport(to: pipe.path, in: directory)
        #expect(run.status == 1, "\(run.errors)")
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while case let count = read(end, &buffer, buffer.count), count > 0 { received += buffer[..<count] }
        #expect(String(decoding: received, as: UTF8.self) == expected)
        #expect(status(pipe.path).st_mode & S_IFMT == S_IFIFO)
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test(.enabled(if: Machine.canMakeDevices, "making a character device needs root and the capability to make devices"))
    func aDeviceGetsTheReportAndStaysADevice() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let device = directory.appendingPathComponent("null")
        #expect(mknod(device.path, S_IFCHR | 0o666, nullDevice) == 0)

        for output in [device.path, "null"] {
            let (run, _) = try lintReport(to: output, in: directory, ["--write-baseline", device.path])
            #expect(run.status == 1, "\(run.errors)")
            let info = status(device.path)
            #expect(info.st_mode & S_IFMT == S_IFCHR && info.st_rdev == nullDevice)
        }
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test func aHardLinkedReportOrADirectoryIsRefusedBeforeTheRun() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.json")
        try write("kept", to: report)
        try FileManager.default.linkItem(at: report, to: directory.appendingPathComponent("report.keep"))

        let (linked, _) = try lintReport(to: "report.json", in: directory)
        #expect(linked.status == 2)
        #expect(linked.errors == "nexlint: cannot write report.json: it has 2 hard links, which replacing it would split; not written\n")
        #expect(try text(report) == "kept")
        let (folder, _) = try lintReport(to: ".", in: directory)
        #expect(folder.status == 2)
        #expect(folder.errors == "nexlint: cannot write .: is a directory\n")
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test func aReportNeverReplacesALintedFileOrAnotherReport() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = environment(basicChannel("EWS"))
        try write(original, to: directory.appendingPathComponent("crm.environment"))
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("latest.json").path, withDestinationPath: "r.json")
        for (arguments, error) in [
            (["--format", "json", "--output", "crm.environment"],
             "--output crm.environment names a file of a kind nexlint lints (.environment): give it another name"),
            (["--write-baseline", "../\(directory.lastPathComponent)/shared.config"],
             "--write-baseline ../\(directory.lastPathComponent)/shared.config names a file of a kind nexlint lints (.config): give it another name"),
            (["--format", "json", "--output", "r.json", "--format", "sarif", "--output", "./r.json"],
             "--output r.json and --output ./r.json are one file: one would replace the other"),
            (["--format", "json", "--output", "r.json", "--format", "sarif", "--output", "latest.json"],
             "--output r.json and --output latest.json are one file: one would replace the other"),
            (["--format", "json", "--output", "r.json", "--write-baseline", "r.json"],
             "--output r.json and --write-baseline r.json are one file: one would replace the other"),
            (["--baseline", "b.json", "--format", "json", "--output", "b.json"],
             "--baseline b.json and --output b.json are one file: one would replace the other"),
            (["--config", ".nexlint.yml", "--write-baseline", ".nexlint.yml"],
             "--config .nexlint.yml and --write-baseline .nexlint.yml are one file: one would replace the other"),
        ] {
            let run = try Run(["lint"] + arguments + ["crm.environment"], in: directory)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.errors == "nexlint: \(error)\n")
        }
        #expect(try text(directory.appendingPathComponent("crm.environment")) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["crm.environment", "latest.json"])
        // Updating the baseline read is what --write-baseline is for.
        _ = try Run(["lint", "--write-baseline", "b.json", "crm.environment"], in: directory)
        let update = try Run(["lint", "--baseline", "b.json", "--write-baseline", "b.json", "crm.environment"], in: directory)
        #expect(update.status == 0 && update.errors.hasPrefix("nexlint: recorded "), "\(update.errors)")
    }

    @Test func anInterruptedRunLeavesNoTemporaryReport() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for index in 0..<500 {
            try write(environment(basicChannel("EWS")), to: directory.appendingPathComponent(String(format: "envs/e%04d.environment", index)))
        }
        try write("old report", to: directory.appendingPathComponent("report.json"))
        #expect(mkfifo(directory.appendingPathComponent("terminal").path, 0o600) == 0)
        // The text findings go to a pipe nobody reads: past its 64 KiB the run waits there, with
        // the report's temporary file made, until the signal comes. (SIGTERM: a shell starts a
        // background job with SIGINT ignored, so only the run's own handler would see that one.)
        let script = """
            exec 3<>terminal
            "$NEXLINT" lint --format text --format json --output report.json envs >terminal 2>/dev/null &
            run=$!
            until ls -a | grep -q '^\\.report\\.json\\.nexlint-'; do sleep 0.01; done
            kill -TERM $run
            wait $run
            echo "exit $?"
            """
        let run = try shell(script, in: directory)
        #expect(run.output == "exit 143\n", "\(run.errors)")
        #expect(try leftovers(in: directory).isEmpty)
        #expect(try text(directory.appendingPathComponent("report.json")) == "old report")
    }

    @Test(.enabled(if: Machine.isRoot, "giving a file another owner needs root"))
    func aReportKeepsItsOwnerGroupAndMode() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.json")
        try write("old report", to: report)
        #expect(chown(report.path, 4242, 4343) == 0)
        #expect(chmod(report.path, 0o640) == 0)

        let (run, expected) = try lintReport(to: "report.json", in: directory)
        #expect(run.status == 1, "\(run.errors)")
        let info = status(report.path)
        #expect(info.st_uid == 4242 && info.st_gid == 4343)
        #expect(info.st_mode & 0o7777 == 0o640)
        #expect(try text(report) == expected)
    }

    @Test(.enabled(if: Machine.hasExtendedAttributes, "the temporary directory's file system, or setfattr/setfacl, lacks extended attributes or ACLs"))
    func aBaselineKeepsItsExtendedAttributes() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let baseline = directory.appendingPathComponent("baseline.json")
        try write("{}", to: baseline)
        let quoted = "'\(baseline.path)'"
        #expect(commandSucceeds("setfattr -n user.origin -v ticket-42 \(quoted) && setfacl -m u:4242:r \(quoted)"))
        let attributes = "getfattr -d -m - --absolute-names \(quoted); getfacl --absolute-names \(quoted)"
        let before = try shell(attributes, in: directory).output

        let (run, _) = try lintReport(to: "report.json", in: directory, ["--write-baseline", "baseline.json"])
        #expect(run.status == 1, "\(run.errors)")
        #expect(try text(baseline).contains("\"entries\""))
        #expect(try shell(attributes, in: directory).output == before)
        #expect(before.contains("user.origin=\"ticket-42\""))
    }

    @Test func aDryRunOverThreeThousandChannelsStaysSmall() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let channels = (0..<3000).map { basicChannel("EWS\($0)") }.joined(separator: "\n    ")
        try write(environment(channels), to: directory.appendingPathComponent("big.environment"))
        let run = try migrate(["."], in: directory)
        #expect(run.status == 0)
        #expect(run.output.components(separatedBy: "would migrate").count == 3001)
        // The largest child so far: this run, or a smaller one.
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        #expect(usage.ru_maxrss < 300 * 1024, "peak \(usage.ru_maxrss) KiB")
    }

    @Test func theJSONDocumentTellsEachChannelsAndFilesFate() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write(environment(basicChannel("EWS") + "\n    " + #"<HTTPConnection channel="Locked" url="https://outlook.office365.com/EWS/Exchange.asmx" user="l@contoso.com" password="master:AAEC"/>"#),
                  to: directory.appendingPathComponent("crm.environment"))
        let run = try migrate(["--write", "--format", "json", "."], in: directory)
        #expect(run.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as! [String: Any]
        #expect(Set(json.keys) == ["version", "tool", "write", "channels", "files", "notes"])
        let channels = json["channels"] as! [[String: Any]]
        #expect(channels.map { $0["channel"] as! String } == ["EWS", "Locked"])
        #expect(channels.map { $0["outcome"] as! String } == ["migrated", "skipped"])
        #expect(Set(channels[0].keys) == ["file", "line", "channel", "outcome", "reason"])
        let files = json["files"] as! [[String: Any]]
        #expect(files.count == 1 && files[0]["file"] as? String == "crm.environment" && files[0]["written"] as? Bool == true)
        #expect(!run.output.contains("s3cret") && !run.output.contains("pw-EWS"))
    }
}
