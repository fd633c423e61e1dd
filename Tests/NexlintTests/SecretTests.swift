import Foundation
import Testing

/// Spec §7: password values and the client secret appear in no output of any command.
@Suite(.serialized) struct SecretTests {
    /// Each secret, and how it is written in the files (decoded parts are secrets too).
    static let secrets = ["PlainS3cret!", "TextS3cret!", "Hex-S3cret", "B64-S3cret", "Proxy-S3cret", "Root-S3cret",
                          "Property-S3cret", "ClientPart-S3cret", "AccountPart-S3cret", "Broken-S3cret", "Migrate-Client-S3cret"]

    static func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }
    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static let files: [String: String] = [
        "envs/basic.environment": """
            <Environment type="Generic" password="text:Root-S3cret" exo.pw="text:Property-S3cret">
              <DataSourceConnections>
                <RelationalDatabaseConnection dataSource="db" user="crm" password="PlainS3cret!"/>
              </DataSourceConnections>
              <ChannelConnections>
                <HTTPConnection channel="EWS" url="http://outlook.office365.com/ews/x" user="svc@contoso.com" password="text:TextS3cret!"/>
                <HTTPConnection channel="EWS2" url="https://outlook.office365.com/EWS/Exchange.asmx" user="svc2@contoso.com" password="hex:\(hex("Hex-S3cret"))"
                   proxyHost="proxy" proxyPassword="base64:\(base64("Proxy-S3cret"))"/>
                <HTTPConnection channel="EWS3" url="https://outlook.office365.com/EWS/Exchange.asmx" authentication="custom"
                   authComponent="rpc:System.Authentication.EXO" secure="true" user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc3@contoso.com"
                   password="base64:\(base64("B64-S3cret"))"/>
                <HTTPConnection channel="EWS4" url="https://outlook.office365.com/EWS/Exchange.asmx" authentication="custom"
                   authComponent="rpc:System.Authentication.EXO" secure="true" user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc4@contoso.com"
                   password="text:ClientPart-S3cret:AccountPart-S3cret"/>
                <HTTPConnection channel="EWS5" url="https://outlook.office365.com/EWS/Exchange.asmx" user="svc5@contoso.com" password="${exo.pw}"/>
              </ChannelConnections>
            </Environment>
            """,
        "envs/broken.environment": "<Environment><ChannelConnections><HTTPConnection channel=\"X\" password=\"text:Broken-S3cret<\"/></ChannelConnections></Environment>",
    ]

    private func expectNoSecret(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in Self.secrets {
            #expect(!text.contains(secret), "\(what) shows \(secret)", sourceLocation: sourceLocation)
        }
        for encoded in Self.secrets.flatMap({ [Self.hex($0), Self.base64($0)] }) {
            #expect(!text.contains(encoded), "\(what) shows an encoded secret", sourceLocation: sourceLocation)
        }
    }

    @Test func noCommandOrFormatShowsASecret() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in Self.files { try write(text, to: directory.appendingPathComponent(name)) }
        for format in ["text", "json", "junit", "sarif", "github"] {
            let run = try Run(["lint", "--format", format, "envs"], in: directory)
            #expect(run.status == 1)
            expectNoSecret(run.output + run.errors, format)
        }
        let baseline = try Run(["lint", "--write-baseline", "baseline.json", "envs"], in: directory)
        expectNoSecret(baseline.output + baseline.errors + String(decoding: try Data(contentsOf: directory.appendingPathComponent("baseline.json")), as: UTF8.self), "baseline")
        let environment = ["NEXLINT_CLIENT_SECRET": "Migrate-Client-S3cret"]
        let arguments = ["migrate", "--tenant-id", "6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d", "--app-id", "0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c"]
        let dryRun = try Run(arguments + ["envs"], in: directory, environment: environment)
        #expect(dryRun.output.contains("password=\"text:••••:••••\""))
        expectNoSecret(dryRun.output + dryRun.errors, "migrate diff and summary")
        let written = try Run(arguments + ["--write", "envs"], in: directory, environment: environment)
        expectNoSecret(written.output + written.errors, "migrate --write")
        let relint = try Run(["lint", "--format", "json", "envs"], in: directory)
        expectNoSecret(relint.output + relint.errors, "lint after migration")
    }
}
