import Foundation
import Testing

/// Issue 16: what NexJ's open-source core and documentation add, each checked through the
/// binary with the message a user reads.
@Suite struct DomainDepthTests {
    private static let tokenURL = "https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token"
    private static let oauth = """
        authentication="custom" authComponent="rpc:System.Authentication.EXO" maxSenders="20"
        user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="
        """

    /// The findings of one rule for these files, as `file:line:col: message` lines.
    private func lint(_ files: [String: String], rule: String, arguments: [String] = []) throws -> [String] {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files { try write(text, to: directory.appendingPathComponent(name)) }
        let run = try Run(["lint", "--format", "json", "--select", rule] + arguments + ["."], in: directory)
        #expect(run.errors.isEmpty, "\(run.errors)")
        return run.findings.map { "\($0["file"]!):\($0["line"]!):\($0["column"]!): \($0["message"]!)" }
    }

    private func environment(root: String = "", channel: String) -> String {
        """
        <Environment type="Generic" exo.tokenURL="\(Self.tokenURL)" \(root)>
          <ChannelConnections>
            <HTTPConnection channel="ExchangeEWSSender5" \(channel)/>
          </ChannelConnections>
        </Environment>
        """
    }

    private func syncTargets(host: String, sender: String) -> String {
        """
        <SyncTargets>
          <SyncTarget name="EXO" type="ExchangeEWS" host="\(host)" version="Exchange Online"
            method="Impersonation" subscriptionType="Streaming" ewsSender="\(sender)"/>
        </SyncTargets>
        """
    }

    @Test func maxSendersIsRequiredOnExchangeOnlineChannels() throws {
        let url = #"url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true""#
        let without = Self.oauth.replacingOccurrences(of: #" maxSenders="20""#, with: "")
        #expect(try lint(["a.environment": environment(channel: "\(url) \(without)")], rule: "EXO014") == [
            "a.environment:3:5: channel `ExchangeEWSSender5`: no `maxSenders`: Exchange Online notifications stream, and NexJ needs maxSenders set for streaming; size it at one sender per ten synchronised users (maxSenders=\"20\" for 200)",
        ])
        #expect(try lint(["a.environment": environment(channel: "\(url) maxSenders=\"many\" \(without)")], rule: "EXO014")
            .first?.contains("`maxSenders` is `many`, not a number of senders") == true)
        #expect(try lint(["a.environment": environment(channel: "\(url) \(Self.oauth)")], rule: "EXO014").isEmpty)
    }

    @Test func authComponentIsInheritedFromTheRoot() throws {
        let channel = #"url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" authentication="custom" maxSenders="20" user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw==""#
        #expect(try lint(["a.environment": environment(root: #"authComponent="rpc:System.Authentication.EXO""#, channel: channel)],
                         rule: "EXO001").isEmpty)
        #expect(try lint(["a.environment": environment(root: #"authComponent="rpc:Custom.Auth""#, channel: channel)], rule: "EXO001") == [
            "a.environment:3:5: channel `ExchangeEWSSender5`: no `authComponent`, so it inherits the root element's `rpc:Custom.Auth`, which is not `rpc:System.Authentication.EXO`, the component that fetches Exchange Online's OAuth token: set it on the channel",
        ])
    }

    @Test func chinaHasTwoAuthoritiesAndGermanyClosed() throws {
        let china = #"url="https://partner.outlook.cn/EWS/Exchange.asmx" secure="true" "# + Self.oauth
        for authority in ["login.chinacloudapi.cn", "login.partner.microsoftonline.cn"] {
            let file = environment(channel: china).replacingOccurrences(of: "login.microsoftonline.com", with: authority)
            #expect(try lint(["a.environment": file], rule: "EXO004").isEmpty, "\(authority)")
        }
        let germany = environment(channel: #"url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" "# + Self.oauth)
            .replacingOccurrences(of: "login.microsoftonline.com", with: "login.microsoftonline.de")
        #expect(try lint(["a.environment": germany], rule: "EXO004") == [
            "a.environment:1:1: `exo.tokenURL` host `login.microsoftonline.de` is Microsoft Cloud Germany's authority, closed on 29 October 2021: tenants moved to the global cloud, use login.microsoftonline.com",
        ])
    }

    @Test func aSyncTargetNamingADisabledSenderIsReported() throws {
        let targets = syncTargets(host: "outlook.office365.com", sender: "ExchangeEWSSender5")
        let channel = #"url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" "# + Self.oauth
        #expect(try lint(["a.environment": environment(channel: "enabled=\"false\" \(channel)"), "exchange.synctargets": targets],
                         rule: "EXO010") == [
            "exchange.synctargets:2:3: ewsSender `ExchangeEWSSender5` of sync target `EXO` names only a disabled HTTPConnection (enabled=\"false\"): nothing synchronises through it; enable the channel or name the one in use",
        ])
        // Enabled in another unit of the directory: the target has a sender.
        #expect(try lint(["a.environment": environment(channel: "enabled=\"false\" \(channel)"),
                          "b.environment": environment(channel: channel), "exchange.synctargets": targets], rule: "EXO010").isEmpty)
    }

    @Test func propertiesInSyncTargetsResolve() throws {
        let targets = syncTargets(host: "${exo.host}", sender: "${exo.sender}")
        let files = ["a.environment": environment(channel: #"url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" "# + Self.oauth),
                     "exchange.synctargets": targets]
        // Undefined: NXJ004 says so, and the rules do not judge the literal text.
        #expect(try lint(files, rule: "NXJ004,EXO010,EXO011,EXO012") == [
            "exchange.synctargets:2:3: `${exo.host}` in attribute `host` has no default and nothing defines `exo.host`",
            "exchange.synctargets:2:3: `${exo.sender}` in attribute `ewsSender` has no default and nothing defines `exo.sender`",
        ])
        // Defined with --define: the values are judged.
        #expect(try lint(files, rule: "NXJ004,EXO010,EXO011,EXO012",
                         arguments: ["--define", "exo.host=outlook.office365.com", "--define", "exo.sender=ExchangeEWSSender5"]).isEmpty)
        #expect(try lint(files, rule: "EXO010,EXO012", arguments: ["--define", "exo.host=mail.contoso.com", "--define", "exo.sender=Nope"]).count == 2)
    }

    /// NexJ's cipher dispatcher reads `text:`, `base64:` and `hex:` files as plain text or
    /// encodings: the environment under them is checked; only `master:` stays unreadable.
    @Test func wholeFilesBehindAnEncodingAreChecked() throws {
        let plain = """
            <Environment type="Generic">
              <DataSourceConnections>
                <RelationalDatabaseConnection dataSource="DefaultRelationalDatabase" user="crm" password="text:Qv8-reversible"/>
              </DataSourceConnections>
            </Environment>
            """
        let hex = plain.utf8.map { String(format: "%02x", $0) }.joined()
        let files = ["text.environment": "text:" + plain,
                     "base64.environment": "base64:" + Data(plain.utf8).base64EncodedString(options: .lineLength76Characters),
                     "hex.environment": "hex:" + hex,
                     "master.environment": "master:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v"]
        let findings = try lint(files, rule: "EXO008,NXJ001,NXJ002")
        #expect(findings.filter { $0.contains("`password` of <RelationalDatabaseConnection> is a reversible `text:` value") }.map { $0.prefix { $0 != ":" } }
            == ["base64.environment", "hex.environment", "text.environment"], "\(findings)")
        #expect(findings.filter { $0.contains("is encrypted") }.map { $0.prefix { $0 != ":" } } == ["master.environment"])
        #expect(findings.count == 4, "\(findings)")
        // Never rewritten: migrate says why.
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let basic = environment(channel: #"url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" authentication="basic" user="svc.crm@contoso.com" password="text:Secret1""#)
        try write("base64:" + Data(basic.utf8).base64EncodedString(), to: directory.appendingPathComponent("crm.environment"))
        let migrate = try Run(["migrate", "--tenant-id", "6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d", "--app-id",
                               "0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c", "."], in: directory, environment: ["NEXLINT_CLIENT_SECRET": "s3cret"])
        #expect(migrate.output.contains("the file is stored behind NexJ's `base64:` scheme; it is never rewritten"), "\(migrate.output)")
    }

    /// A repository laid out as NexJ's open-source core keeps its configuration (env/ with
    /// environments, servers and connections; etc/config/*/nexj/default.config; test/nexj with
    /// a default.config, an integration test.config and .connections files), in this project's
    /// own words: only its reversible passwords and its two missing connections files are
    /// findings.
    @Test func aRepositoryShapedLikeNexJsOwnGivesOnlyPasswordsAndMissingConnections() throws {
        let layout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/nexj-layout")
        let run = try Run(["lint", "--format", "json", "--fail-on", "never", "."], in: layout)
        #expect(run.status == 0 && run.errors.isEmpty, "\(run.errors)")
        let rules = run.findings.map { $0["rule"] as! String }
        #expect(Set(rules) == ["EXO008", "NXJ007"], "\(rules)")
        #expect(rules.filter { $0 == "EXO008" }.count == 22)
        #expect(run.findings.filter { $0["rule"] as? String == "NXJ007" }.map { "\($0["file"]!):\($0["line"]!)" }
            == ["env/AppServer.server:4", "test/nexj/core/integration/test.config:1"])
        #expect((run.json["summary"] as? [String: Any])?["files"] as? Int == 16)
    }

    @Test func exchangeURLsWithoutASchemeAreExchangeOnline() throws {
        for url in ["outlook.office365.com/EWS/Exchange.asmx", "//outlook.office365.com/EWS/Exchange.asmx"] {
            let file = environment(channel: "url=\"\(url)\" secure=\"true\" user=\"svc.crm@contoso.com\" password=\"master:AAECAwQFBgcICQoLDA0ODw==\"")
            #expect(try lint(["a.environment": file], rule: "EXO009").count == 1, "\(url)")
            #expect(try lint(["a.environment": file], rule: "EXO003") == [
                "a.environment:3:5: channel `ExchangeEWSSender5`: url is not an absolute URL (it has no scheme); use https://outlook.office365.com/EWS/Exchange.asmx",
            ])
        }
    }

    @Test func messagesSayWhatIsTrue() throws {
        let url = #"url="https://outlook.office365.com/EWS/Exchange.asmx" "#
        // An unresolved secureTransport is not an absent one.
        #expect(try lint(["a.environment": environment(root: #"secureTransport="${st}""#, channel: url + Self.oauth)], rule: "EXO002")
            .first?.contains("the root's secureTransport refers to a property nothing defines, so its value is unknown") == true)
        // `1` and `yes` are not a case problem.
        #expect(try lint(["a.environment": environment(channel: url + #"secure="1" "# + Self.oauth)], rule: "EXO002")
            .first?.contains("secure=`1` is not a boolean NexJ reads as true (only `true` is)") == true)
        #expect(try lint(["a.environment": environment(channel: url + #"secure="True" "# + Self.oauth)], rule: "EXO002")
            .first?.contains("(values are case-sensitive)") == true)
        // No path is not the path `/`.
        #expect(try lint(["a.environment": environment(channel: #"url="https://outlook.office365.com" secure="true" "# + Self.oauth)],
                         rule: "EXO003").first?.contains("it has no path, not /EWS/Exchange.asmx") == true)
        // EXO012 lists every Exchange Online host.
        #expect(try lint(["exchange.synctargets": syncTargets(host: "mail.contoso.com", sender: "ExchangeEWSSender5")], rule: "EXO012").first?
            .contains("is not an Exchange Online host (outlook.office365.com, outlook.office.com, outlook.office365.us, partner.outlook.cn)") == true)
        // A comment naming an unknown rule and a known one that matched nothing says both.
        let commented = environment(channel: url + #"secure="true" "# + Self.oauth)
            .replacingOccurrences(of: "  <ChannelConnections>", with: "  <!-- nexlint-disable-next-line EXO999 EXO002 -->\n  <ChannelConnections>")
        #expect(try lint(["a.environment": commented], rule: "NXJ006,EXO002") == [
            "a.environment:2:3: the suppression names unknown rule `EXO999` (did you mean `EXO009`?) and matches no EXO002 finding on the element at line 3",
        ])
    }
}
