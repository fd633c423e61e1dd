import Foundation
import NexlintCore
import Testing

private let tenant = "6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d"
private let app = "0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c"
private let secret = "Zx9~client_SECRET-value"

/// A Basic-auth environment with the things a careless rewrite would break: a BOM, CRLF,
/// single quotes, multi-line start tags, comments, entities in values, several channels.
private let legacy = "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
    + "<!-- Exchange over Basic authentication. -->\r\n"
    + "<Environment type='Generic' description=\"R&amp;D &lt;CRM&gt;\"\r\n"
    + "             secureTransport=\"true\">\r\n"
    + "   <ChannelConnections>\r\n"
    + "      <!-- the main sender -->\r\n"
    + "      <HTTPConnection channel='EWS1'\r\n"
    + "         url='http://outlook.office365.com/ews/exchange.asmx'\r\n"
    + "         user='svc&#46;crm@contoso.com'\r\n"
    + "         password='base64:V2ludGVyJjIwMjEh'/>\r\n"
    + "      <HTTPConnection channel=\"EWS2\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\" authentication=\"basic\" user=\"svc2@contoso.com\" password=\"text:P&amp;ss'word\"/>\r\n"
    + "      <HTTPConnection channel=\"Locked\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\" user=\"svc3@contoso.com\" password=\"master:AAEC\"/>\r\n"
    + "      <HTTPConnection channel=\"Shared\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\" user=\"SharedMailbox\" password=\"text:x\"/>\r\n"
    + "      <MailConnection channel=\"Mail\" host=\"smtp.contoso.local\"/>\r\n"
    + "   </ChannelConnections>\r\n"
    + "</Environment>\r\n"

private let migrated = "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
    + "<!-- Exchange over Basic authentication. -->\r\n"
    + "<Environment type='Generic' description=\"R&amp;D &lt;CRM&gt;\"\r\n"
    + "             secureTransport=\"true\"\r\n"
    + "             exo.tokenURL=\"https://login.microsoftonline.com/\(tenant)/oauth2/v2.0/token\">\r\n"
    + "   <ChannelConnections>\r\n"
    + "      <!-- the main sender -->\r\n"
    + "      <HTTPConnection channel='EWS1'\r\n"
    + "         url='https://outlook.office365.com/EWS/Exchange.asmx'\r\n"
    + "         user='\(app):svc.crm@contoso.com'\r\n"
    + "         password='text:\(secret):Winter&amp;2021!'\r\n"
    + "         authentication='custom'\r\n"
    + "         authComponent='rpc:System.Authentication.EXO'\r\n"
    + "         secure='true'/>\r\n"
    + "      <HTTPConnection channel=\"EWS2\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\" authentication=\"custom\" user=\"\(app):svc2@contoso.com\" password=\"text:\(secret):P&amp;ss'word\" authComponent=\"rpc:System.Authentication.EXO\" secure=\"true\"/>\r\n"
    + "      <HTTPConnection channel=\"Locked\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\" user=\"svc3@contoso.com\" password=\"master:AAEC\"/>\r\n"
    + "      <HTTPConnection channel=\"Shared\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\" user=\"SharedMailbox\" password=\"text:x\"/>\r\n"
    + "      <MailConnection channel=\"Mail\" host=\"smtp.contoso.local\"/>\r\n"
    + "   </ChannelConnections>\r\n"
    + "</Environment>\r\n"

private func migrate(_ arguments: [String], in directory: URL, secret value: String = secret) throws -> Run {
    try Run(["migrate", "--tenant-id", tenant, "--app-id", app] + arguments, in: directory, environment: ["NEXLINT_CLIENT_SECRET": value])
}

private func workspace(_ files: [String: String]) throws -> URL {
    let directory = try temporaryDirectory()
    for (name, text) in files { try write(text, to: directory.appendingPathComponent(name)) }
    return directory
}

private func contents(_ directory: URL, _ name: String) throws -> String {
    String(decoding: try Data(contentsOf: directory.appendingPathComponent(name)), as: UTF8.self)
}

@Suite(.serialized) struct MigrationTests {
    @Test func dryRunShowsAMaskedDiffAndChangesNothing() throws {
        let directory = try workspace(["crm.environment": legacy])
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try migrate(["."], in: directory)
        #expect(run.status == 1)
        #expect(try contents(directory, "crm.environment") == legacy)
        #expect(run.output.contains("-         password='base64:••••'"))
        #expect(run.output.contains("+         password='text:••••:••••'"))
        #expect(run.output.contains("+         authentication='custom'"))
        #expect(run.output.contains("crm.environment  7     EWS1     would migrate\n"))
        #expect(run.output.contains("crm.environment  11    EWS2     would migrate\n"))
        #expect(run.output.contains("crm.environment  12    Locked   skipped        its password is master:-encrypted"))
        #expect(run.output.contains("crm.environment  13    Shared   skipped        user `SharedMailbox` is not a mailbox address"))
        for secretText in [secret, "Winter", "P&amp;ss", "P&ss", "V2ludGVy"] {
            #expect(!run.output.contains(secretText) && !run.errors.contains(secretText), "\(secretText)")
        }
    }

    @Test func writeChangesOnlyTheIntendedBytesAndIsIdempotent() throws {
        let directory = try workspace(["crm.environment": legacy])
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try migrate(["--write", "--backup", "."], in: directory)
        #expect(first.status == 1, "two channels are skipped")
        #expect(try contents(directory, "crm.environment") == migrated)
        #expect(try contents(directory, "crm.environment.bak") == legacy)
        #expect(!first.output.contains(secret) && !first.errors.contains(secret))

        let lint = try Run(["lint", "--format", "json", "."], in: directory)
        let faults = lint.findings.filter {
            ["EWS1", "EWS2"].contains($0["channel"] as? String)
                && ["EXO001", "EXO002", "EXO003", "EXO004", "EXO005", "EXO006", "EXO007", "EXO009"].contains($0["rule"] as? String)
        }
        #expect(faults.isEmpty, "\(faults)")
        #expect(!lint.output.contains(secret))

        let second = try migrate(["--write", "."], in: directory)
        #expect(try contents(directory, "crm.environment") == migrated)
        #expect(second.output.contains("Locked") && !second.output.contains("EWS1"))
    }

    @Test func splitUnitsGetTheTokenURLOnTheServer() throws {
        let directory = try workspace([
            "app.server": "<Server type=\"Generic\">\n  <ValidConnections><Connection name=\"prod\"/></ValidConnections>\n</Server>\n",
            "prod.connections": "<Connections>\n  <ChannelConnections>\n    <HTTPConnection channel=\"EWS\" url=\"https://outlook.office365.us/EWS/Exchange.asmx\" user=\"svc@contoso.us\" password=\"hex:533a50\"/>\n  </ChannelConnections>\n</Connections>\n",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try migrate(["--write", "."], in: directory)
        #expect(run.status == 0)
        #expect(try contents(directory, "app.server").hasPrefix("<Server type=\"Generic\" exo.tokenURL=\"https://login.microsoftonline.us/\(tenant)/oauth2/v2.0/token\">"))
        #expect(try contents(directory, "prod.connections").contains("password=\"text:\(secret):S:P\""))
        #expect(try Run(["lint", "--select", "EXO00", "."], in: directory).status == 0)
    }

    @Test func existingTokenURLIsKeptAndReported() throws {
        let directory = try workspace(["a.environment": "<Environment exo.tokenURL=\"https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token\">\n<ChannelConnections><HTTPConnection channel=\"E\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\" user=\"s@contoso.com\" password=\"text:p\"/></ChannelConnections></Environment>\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try migrate(["--write", "."], in: directory)
        #expect(run.status == 0)
        #expect(run.output.contains("note: a.environment: exo.tokenURL is kept as it is"))
        #expect(try contents(directory, "a.environment").contains("11111111-2222-3333-4444-555555555555"))
    }

    @Test func channelSelectionAndFilesItCannotRewrite() throws {
        var wide: [UInt8] = [0xFF, 0xFE]
        for unit in "<Environment><ChannelConnections><HTTPConnection channel=\"W\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\" user=\"w@contoso.com\" password=\"text:p\"/></ChannelConnections></Environment>".utf16 {
            wide += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        let directory = try workspace(["crm.environment": legacy, "broken.environment": "<Environment><ChannelConnections></Environment>"])
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(wide).write(to: directory.appendingPathComponent("wide.environment"))
        let all = try migrate(["."], in: directory)
        #expect(all.output.contains("broken.environment"))
        #expect(all.output.contains("the file is not well-formed XML"))
        #expect(all.output.contains("wide.environment    1     W        skipped        the file is stored as UTF-16, not UTF-8; it is never rewritten"))
        let one = try migrate(["--channel", "EWS2", "--write", "crm.environment"], in: directory)
        #expect(one.status == 0)
        let text = try contents(directory, "crm.environment")
        #expect(text.contains("user=\"\(app):svc2@contoso.com\""))
        #expect(text.contains("user='svc&#46;crm@contoso.com'"))
        let again = try migrate(["--channel", "EWS2", "crm.environment"], in: directory)
        #expect(again.status == 0)
        #expect(again.output.contains("unchanged") && again.output.contains("already on OAuth"))
        let unknown = try migrate(["--channel", "Nope", "."], in: directory)
        #expect(unknown.status == 2)
        #expect(unknown.errors == "nexlint: no Exchange Online channel is named `Nope`\n")
    }

    @Test func aChannelTheReLintStillFaultsIsSkippedAndItsNeighbourMigrated() throws {
        let directory = try workspace(["a.environment": """
            <Environment type="Generic">
              <ChannelConnections>
                <HTTPConnection channel="Empty" url="https://outlook.office365.com/EWS/Exchange.asmx" user="e@contoso.com" password="text:"/>
                <HTTPConnection channel="Good" url="https://outlook.office365.com/EWS/Exchange.asmx" user="g@contoso.com" password="text:pw"/>
              </ChannelConnections>
            </Environment>
            """])
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try migrate(["--write", "."], in: directory)
        #expect(run.status == 1)
        #expect(run.output.contains("Empty    skipped   after migration its unit would still fail EXO007"))
        let text = try contents(directory, "a.environment")
        #expect(text.contains("user=\"\(app):g@contoso.com\""))
        #expect(text.contains("user=\"e@contoso.com\""))
        #expect(text.contains("exo.tokenURL="))
    }

    @Test func refusesBadRequests() throws {
        let directory = try workspace(["crm.environment": legacy])
        defer { try? FileManager.default.removeItem(at: directory) }
        let same = try Run(["migrate", "--tenant-id", tenant, "--app-id", tenant.uppercased(), "."], in: directory, environment: ["NEXLINT_CLIENT_SECRET": secret])
        #expect(same.status == 2 && same.errors.contains("same GUID"))
        #expect(try Run(["migrate", "--tenant-id", "common", "--app-id", app, "."], in: directory).status == 2)
        #expect(try migrate(["--authority", "login.windows.net", "."], in: directory).status == 2)
        #expect(try migrate(["--backup", "."], in: directory).status == 2)
        let colon = try migrate(["."], in: directory, secret: "a:b")
        #expect(colon.status == 2 && colon.errors.contains("colon") && !colon.errors.contains("a:b"))
        let none = try Run(["migrate", "--tenant-id", tenant, "--app-id", app, "."], in: directory, environment: ["NEXLINT_CLIENT_SECRET": ""])
        #expect(none.status == 2)
        try write(secret + "\n", to: directory.appendingPathComponent("secret.txt"))
        let fromFile = try Run(["migrate", "--tenant-id", tenant, "--app-id", app, "--client-secret-file", "secret.txt", "--write", "."], in: directory)
        #expect(fromFile.status == 1)
        #expect(try contents(directory, "crm.environment") == migrated)
        #expect(try contents(directory, "crm.environment") != legacy)
    }

    @Test func aWriteThatFailsMidwayLeavesTheOriginalIntact() throws {
        let padding = "<!-- " + String(repeating: "padding ", count: 600) + "-->\r\n"
        let original = legacy.replacingOccurrences(of: "<!-- the main sender -->\r\n", with: padding)
        let directory = try workspace(["crm.environment": original])
        defer { try? FileManager.default.removeItem(at: directory) }
        // A 1 KiB file-size limit: the temporary file cannot be written in full.
        let run = try Run(["-c", "ulimit -f 1; exec \"$0\" \"$@\"", Run.binary.path, "migrate", "--tenant-id", tenant, "--app-id", app, "--write", "."],
                          in: directory, environment: ["NEXLINT_CLIENT_SECRET": secret], executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(run.status == 2)
        #expect(run.errors.contains("not written"))
        #expect(try contents(directory, "crm.environment") == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["crm.environment"])
    }

    @Test func aFileChangedSinceItWasReadIsNotWritten() throws {
        let directory = try workspace(["a.environment": "changed"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("a.environment").path
        let rewrite = Rewrite(path: path, original: Array("original".utf8), updated: Array("updated".utf8))
        guard case .failure(let problem) = rewrite.commit(with: FileWriter(), backup: true) else { Issue.record("it was written"); return }
        #expect(problem.reason.contains("changed since it was read"))
        #expect(try contents(directory, "a.environment") == "changed")
    }
}
