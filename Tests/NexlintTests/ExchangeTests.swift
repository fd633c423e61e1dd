import Testing
import NexlintCore
import NexlintXML

@Suite struct ExchangeDomainTests {
    @Test func guids() {
        #expect(GUID.isWellFormed("6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d"))
        #expect(GUID.isWellFormed("6F1D2C3B-4A5E-4F60-9B7C-8D9E0A1B2C3D"))
        #expect(!GUID.isWellFormed("{6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d}"))
        #expect(!GUID.isWellFormed("6f1d2c3b4a5e4f609b7c8d9e0a1b2c3d"))
        #expect(!GUID.isWellFormed("6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3g"))
        #expect(GUID.looksIntended("6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3"))
    }

    @Test func mailboxes() {
        #expect(MailboxAddress.isWellFormed("svc.crm@contoso.com"))
        #expect(MailboxAddress.isWellFormed("svc@mail.contoso.co.uk"))
        #expect(!MailboxAddress.isWellFormed("svc@contoso"))
        #expect(!MailboxAddress.isWellFormed("@contoso.com"))
        #expect(!MailboxAddress.isWellFormed("svc@@contoso.com"))
        #expect(!MailboxAddress.isWellFormed("svc crm@contoso.com"))
    }

    @Test func webAddresses() throws {
        let address = try #require(WebAddress("HTTPS://user:pw@Outlook.Office365.com:443/EWS/Exchange.asmx?x=1#f"))
        #expect(address.scheme == "HTTPS")
        #expect(address.userInfo == "user:pw")
        #expect(address.host == "Outlook.Office365.com")
        #expect(address.port == "443")
        #expect(address.path == "/EWS/Exchange.asmx")
        #expect(address.query == "x=1")
        #expect(address.fragment == "f")
        #expect(WebAddress("outlook.office365.com/EWS") == nil)
        #expect(ExchangeOnline.cloud(ofEWSHost: "OUTLOOK.office365.com.") == .global)
        #expect(ExchangeOnline.cloud(ofEWSHost: "partner.outlook.cn") == .china)
    }

    @Test func passwordValues() {
        #expect(PasswordValue("master:abc") == .encrypted)
        #expect(PasswordValue("text:S:P:Q") == .reversible(scheme: .text, decoded: "S:P:Q"))
        #expect(PasswordValue("base64:UzpQ") == .reversible(scheme: .base64, decoded: "S:P"))
        #expect(PasswordValue("base64:UzpQ=") == .reversible(scheme: .base64, decoded: nil))
        #expect(PasswordValue("base64:UzpQUQ") == .reversible(scheme: .base64, decoded: "S:PQ"))
        #expect(PasswordValue("base64:U*pQ") == .reversible(scheme: .base64, decoded: nil))
        #expect(PasswordValue("hex:533a50") == .reversible(scheme: .hex, decoded: "S:P"))
        #expect(PasswordValue("hex:533a5") == .reversible(scheme: .hex, decoded: nil))
        #expect(PasswordValue("hex:+3a50") == .reversible(scheme: .hex, decoded: nil))
        #expect(PasswordValue("Text:S:P") == .reversible(scheme: .none, decoded: "Text:S:P"))
        let split = PasswordValue.splitCredentials("secret:pass:word")
        #expect(split?.secret == "secret" && split?.password == "pass:word")
        // The scheme is read from the bytes: a prefix alone, one cut short, one in another case.
        let schemes = ["master:", "text:", "hex", "HEX:aa", "", "base64:"].map { PasswordValue.reversibleScheme(of: $0) }
        #expect(schemes == [nil, .text, PasswordValue.Scheme.none, PasswordValue.Scheme.none, PasswordValue.Scheme.none, .base64])
        #expect(ASCII.hasPrefix("master:x", "master:") && !ASCII.hasPrefix("maste", "master:") && ASCII.hasPrefix("", ""))
    }

    @Test(arguments: [
        ("https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token", nil),
        ("login.microsoftonline.com/x", TokenURL.Problem.notAbsoluteURL),
        ("http://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token", .notHTTPS(scheme: "http")),
        ("https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token?x=1", .extraParts),
        ("https://login.windows.net/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token", .unknownAuthority("login.windows.net")),
        ("https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/token", .version1Path),
        ("https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/token", .wrongPath("/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/token")),
        ("https://login.microsoftonline.com/<application_ID>/oauth2/v2.0/token", .placeholderTenant("<application_ID>")),
        ("https://login.microsoftonline.com/TENANT_ID/oauth2/v2.0/token", .placeholderTenant("TENANT_ID")),
        ("https://login.microsoftonline.com/organizations/oauth2/v2.0/token", .multiTenant("organizations")),
        ("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", .domainTenant("contoso.onmicrosoft.com")),
        ("https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3/oauth2/v2.0/token", .malformedGUID("6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3")),
        ("https://login.microsoftonline.com/prod/oauth2/v2.0/token", .notGUID("prod")),
    ] as [(String, TokenURL.Problem?)])
    func tokenURLs(_ text: String, _ problem: TokenURL.Problem?) {
        switch TokenURL.parse(text) {
        case .success(let url):
            #expect(problem == nil)
            #expect(url.cloud == .global)
            #expect(url.tenant == "6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d")
        case .failure(let found):
            #expect(found == problem)
        }
    }

    @Test func serviceAccountUsers() {
        let user = try? ServiceAccountUser.parse("0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc@contoso.com").get()
        #expect(user?.applicationID == "0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c")
        #expect(user?.mailbox == "svc@contoso.com")
        #expect(ServiceAccountUser.parse("svc@contoso.com") == .failure(.noApplicationID))
        #expect(ServiceAccountUser.parse("a:b:c") == .failure(.tooManyColons(2)))
        #expect(ServiceAccountUser.parse("app:svc@contoso.com") == .failure(.malformedApplicationID("app")))
        #expect(ServiceAccountUser.parse("0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc") == .failure(.malformedMailbox("svc")))
    }
}

/// How rules divide one problem between them (spec §2: one problem, one finding).
@Suite struct RuleInterplayTests {
    /// EXO008's message names the password's owner three ways, each with its scheme's verdict.
    @Test func reversiblePasswordsNameTheirOwner() {
        let findings = lint(environment: """
            <Environment type="Generic" password="hex:53337372657421">
              <DataSourceConnections>
                <RelationalDatabaseConnection dataSource="Default" user="crm" password="base64:UzpQ"/>
              </DataSourceConnections>
              <ChannelConnections>
                <HTTPConnection channel="Sender" url="https://mail.contoso.com/EWS/Exchange.asmx" password="plain"/>
              </ChannelConnections>
            </Environment>
            """, selecting: ["EXO008"])
        let tail = " kept in the repository; encrypt it with NexJ's master: scheme"
        #expect(findings.map(\.message) == [
            "`password` of the root element is a reversible `hex:` value" + tail,
            "`password` of <RelationalDatabaseConnection> is a reversible `base64:` value" + tail,
            "`password` of channel `Sender` is a plain value with no scheme" + tail,
        ])
    }

    @Test func basicChannelIsOnlyEXO009ForItsCredentials() {
        let findings = lint(environment: oauthEnvironment(root: "", channel: #"channel="EWS" url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" authentication="proactive" user="svc@contoso.com" password="text:pw""#))
        let ids = Set(rules(findings))
        #expect(ids.contains("EXO009"))
        for excluded in ["EXO001", "EXO004", "EXO006", "EXO007"] { #expect(!ids.contains(excluded)) }
        #expect(ids.contains("EXO008"))
    }

    @Test func secureAndURLApplyWhateverTheAuthentication() {
        let findings = lint(environment: oauthEnvironment(root: "", channel: #"channel="EWS" url="http://outlook.office365.com/EWS/Exchange.asmx" user="svc@contoso.com" password="master:x""#))
        #expect(Set(rules(findings)).isSuperset(of: ["EXO002", "EXO003", "EXO009"]))
    }

    @Test func disabledChannelsAreSkippedExceptForSecrets() {
        let findings = lint(environment: oauthEnvironment(root: "", channel: #"channel="EWS" enabled="false" url="http://outlook.office365.com/x" password="text:a:b""#),
                            selecting: ["EXO00", "EXO01"])
        #expect(rules(findings) == ["EXO008"])
    }

    @Test func caseMattersForEnumeratedValues() {
        let custom = lint(environment: oauthEnvironment(channel: oauthChannel(replacing: #"authentication="custom""#, with: #"authentication="Custom""#)))
        #expect(custom.first { $0.ruleID == "EXO001" }?.message.contains("case-sensitive") == true)
        let secure = lint(environment: oauthEnvironment(channel: oauthChannel(replacing: #"secure="true""#, with: #"secure="TRUE""#)))
        #expect(secure.first { $0.ruleID == "EXO002" }?.isFixable == true)
    }

    @Test func urlFixabilityFollowsWhatIsWrong() {
        let path = lint(environment: oauthEnvironment(channel: oauthChannel(replacing: "https://outlook.office365.com/EWS/Exchange.asmx", with: "http://outlook.office365.com/ews/exchange.aspx")))
        #expect(path.first { $0.ruleID == "EXO003" }?.isFixable == true)
        let credentials = lint(environment: oauthEnvironment(channel: oauthChannel(replacing: "https://outlook.office365.com", with: "https://svc:Hunter22@outlook.office365.com")))
        let finding = credentials.first { $0.ruleID == "EXO003" }
        #expect(finding?.isFixable == false)
        #expect(finding?.message.contains("Hunter22") == false)
    }

    @Test func aPortOtherThan443IsNotTheEndpointAndNotFixable() {
        let findings = lint(environment: oauthEnvironment(channel: oauthChannel(replacing: "outlook.office365.com", with: "outlook.office365.com:8443")))
        let finding = findings.first { $0.ruleID == "EXO003" }
        #expect(finding?.message.contains("the port is 8443, not 443") == true)
        #expect(finding?.isFixable == false)
        let explicit = lint(environment: oauthEnvironment(channel: oauthChannel(replacing: "outlook.office365.com", with: "outlook.office365.com:443")))
        #expect(!rules(explicit).contains("EXO003"))
    }

    @Test func tokenURLMustMatchTheChannelsCloud() {
        let findings = lint(environment: oauthEnvironment(channel: oauthChannel(replacing: "outlook.office365.com", with: "outlook.office365.us")))
        #expect(findings.first { $0.ruleID == "EXO004" }?.message.contains("login.microsoftonline.us") == true)
    }

    @Test func exo004IsOnTheRootThatHoldsTheProperty() {
        let findings = lint([
            ExampleFile("app.server", "<Server type=\"Generic\"/>"),
            ExampleFile("a.connections", "<Connections\n exo.tokenURL=\"https://login.microsoftonline.com/common/oauth2/v2.0/token\">\n<ChannelConnections><HTTPConnection \(oauthChannelAttributes)/></ChannelConnections></Connections>"),
        ])
        #expect(findings.first { $0.ruleID == "EXO004" }?.location == SourceLocation(file: "a.connections", position: SourcePosition(line: 1, column: 1)))
    }

    @Test func passwordMessagesNeverShowTheValue() {
        for password in ["text:OnlyOneSecretPart", "text::AccountPassw0rd", "text:ClientSecret123:", "Plaintext999", "hex:zz", "base64:@@@"] {
            let findings = lint(environment: oauthEnvironment(channel: oauthChannel(replacing: "master:AAEC", with: password)))
            let messages = findings.filter { $0.ruleID == "EXO007" }.map(\.message)
            #expect(messages.count == 1, "\(password)")
            for message in messages {
                for part in password.split(separator: ":") where part.count > 4 && !["base64", "text", "hex"].contains(part) { #expect(!message.contains(part)) }
            }
        }
    }

    @Test func retirementNoteIsOncePerUnitAtTheRoot() {
        let findings = lint(environment: "<Environment>\n<ChannelConnections>\n<HTTPConnection channel=\"A\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\"/>\n<HTTPConnection channel=\"B\" url=\"https://outlook.office365.com/EWS/Exchange.asmx\"/>\n</ChannelConnections>\n</Environment>")
        let notes = findings.filter { $0.ruleID == "EXO013" }
        #expect(notes.count == 1)
        #expect(notes.first?.location.position == SourcePosition(line: 1, column: 1))
        #expect(notes.first?.message.contains("`A`") == true)
    }
}
