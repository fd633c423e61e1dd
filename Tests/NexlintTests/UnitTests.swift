import Testing
import NexlintCore
import NexlintRules

private let token = "https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token"
private let exoConnections = "<Connections>\n <ChannelConnections>\n  <HTTPConnection \(oauthChannelAttributes)/>\n  <MailConnection channel=\"Mail\"/>\n </ChannelConnections>\n</Connections>\n"

private func documents(_ files: [ExampleFile]) -> [UnitFile] {
    files.compactMap { file in
        NexJFileLoader.load(path: file.name, bytes: Array(file.contents.utf8), options: catalogueOptions).document.map { UnitFile(path: file.name, document: $0) }
    }
}

private func unitPaths(_ files: [ExampleFile]) -> [[String]] {
    DeploymentUnit.group(documents(files), syncTargets: []).map { $0.files.map(\.path) }
}

@Suite struct UnitGroupingTests {
    @Test func serverPairsWithEachConnectionsFileItAllows() {
        let files = [
            ExampleFile("d/app.server", "<Server><ValidConnections><Connection name=\"prod\"/><Connection name=\"gone\"/></ValidConnections></Server>"),
            ExampleFile("d/prod.connections", exoConnections),
            ExampleFile("d/test.connections", exoConnections),
            ExampleFile("e/other.connections", exoConnections),
        ]
        #expect(unitPaths(files) == [["d/app.server", "d/prod.connections"], ["d/test.connections"], ["e/other.connections"]])
    }

    @Test func serverWithoutValidConnectionsPairsWithEveryNeighbour() {
        let files = [
            ExampleFile("app.server", "<Server/>"),
            ExampleFile("a.connections", exoConnections),
            ExampleFile("b.connections", exoConnections),
            ExampleFile("x.environment", "<Environment/>"),
        ]
        #expect(unitPaths(files) == [["app.server", "a.connections"], ["app.server", "b.connections"], ["x.environment"]])
    }

    @Test func serverNamingNoPresentFileStandsAlone() {
        let files = [
            ExampleFile("app.server", "<Server><ValidConnections><Connection name=\"elsewhere\"/></ValidConnections></Server>"),
            ExampleFile("a.connections", exoConnections),
        ]
        #expect(unitPaths(files) == [["app.server"], ["a.connections"]])
    }

    @Test func channelNamesReusedAcrossAlternativesAreNotDuplicates() {
        let findings = lint([
            ExampleFile("app.server", "<Server exo.tokenURL=\"\(token)\"/>"),
            ExampleFile("a.connections", exoConnections),
            ExampleFile("b.connections", exoConnections),
        ])
        #expect(!rules(findings).contains("NXJ003"))
        // The server's root properties serve both pairs: no EXO004 anywhere.
        #expect(!rules(findings).contains("EXO004"))
    }

    @Test func serverRootAttributesWinOverTheConnectionsRoot() {
        let units = DeploymentUnit.group(documents([
            ExampleFile("app.server", "<Server p=\"server\"/>"),
            ExampleFile("a.connections", "<Connections p=\"connections\" q=\"only-here\"/>"),
        ]), syncTargets: [])
        #expect(units.first?.properties.value(of: "p")?.text == "server")
        #expect(units.first?.properties.value(of: "q")?.text == "only-here")
    }

    @Test func findingInASharedFileIsReportedOnce() {
        let findings = lint([
            ExampleFile("app.server", "<Server/>"),
            ExampleFile("a.connections", exoConnections),
            ExampleFile("b.connections", "<Connections/>"),
        ].map { $0 }) + lint([ExampleFile("app.server", "<Server/>"), ExampleFile("x.connections", exoConnections)])
        #expect(findings.filter { $0.ruleID == "EXO004" && $0.location.file == "app.server" }.count == 2)
        let shared = lint([
            ExampleFile("s1.server", "<Server/>"),
            ExampleFile("s2.server", "<Server/>"),
            ExampleFile("a.connections", exoConnections),
        ])
        // Both servers pair with a.connections; its EXO013 note is the same finding twice.
        #expect(shared.filter { $0.ruleID == "EXO013" }.count == 1)
        #expect(shared.filter { $0.ruleID == "EXO004" }.map(\.location.file) == ["s1.server", "s2.server"])
    }

    @Test func duplicateChannelIsReportedOnTheSecondAndLater() {
        let findings = lint(environment: "<Environment>\n<ChannelConnections>\n<MailConnection channel=\"M\"/>\n<MailConnection channel=\"M\"/>\n<MailConnection channel=\"M\"/>\n</ChannelConnections>\n</Environment>")
        #expect(findings.filter { $0.ruleID == "NXJ003" }.map(\.location.line) == [4, 5])
        #expect(findings.first?.message.contains("line 3") == true)
    }
}

@Suite struct SyncTargetTests {
    private let environment = ExampleFile("prod/crm.environment", oauthEnvironment(channel: #"channel="Sender" url="https://mail.contoso.com/EWS/Exchange.asmx""#))
    private func targets(_ sender: String, host: String = "outlook.office365.com", subscription: String = "Streaming") -> String {
        "<SyncTargets>\n  <SyncTarget name=\"EXO\" host=\"\(host)\" version=\"Exchange Online\" method=\"Impersonation\" subscriptionType=\"\(subscription)\" ewsSender=\"\(sender)\"/>\n</SyncTargets>"
    }

    @Test func aTargetsSenderIsAnExchangeOnlineChannel() {
        // The channel's url is on-premises, but an Exchange Online target sends through it.
        let findings = lint([environment, ExampleFile("prod/exo.synctargets", targets("Sender"))])
        #expect(rules(findings).contains("EXO003"))
        #expect(rules(findings).contains("EXO013"))
    }

    @Test func targetsApplyOnlyToTheirDirectory() {
        let findings = lint([environment, ExampleFile("other/exo.synctargets", targets("Sender"))])
        #expect(!rules(findings).contains("EXO003"))
        #expect(findings.filter { $0.ruleID == "EXO010" }.map(\.location.file) == ["other/exo.synctargets"])
        #expect(findings.first { $0.ruleID == "EXO010" }?.message.contains("no deployment unit") == true)
    }

    @Test func globalTargetsApplyEverywhere() {
        let findings = lint([environment, ExampleFile("ops/exo.synctargets", targets("Sender"))], globalSyncTargets: ["ops/exo.synctargets"])
        #expect(rules(findings).contains("EXO003"))
        #expect(!rules(findings).contains("EXO010"))
    }

    @Test func missingSenderIsReportedOncePerTarget() {
        let findings = lint([
            ExampleFile("d/a.environment", oauthEnvironment()),
            ExampleFile("d/b.environment", oauthEnvironment()),
            ExampleFile("d/exo.synctargets", targets("Nobody")),
        ])
        #expect(findings.filter { $0.ruleID == "EXO010" }.count == 1)
        #expect(findings.filter { $0.ruleID == "EXO011" }.map(\.location.file) == ["d/a.environment", "d/b.environment"])
    }

    @Test func wrongSettingsAreOneFindingEach() {
        let findings = lint([ExampleFile("exo.synctargets", targets("S", host: "outlook.office365.com", subscription: "Pull")
            .replacingOccurrences(of: "Impersonation", with: "Delegation"))])
        #expect(findings.filter { $0.ruleID == "EXO012" }.count == 2)
    }

    @Test func missingSettingsAreNamed() {
        let findings = lint([
            environment,
            ExampleFile("prod/exo.synctargets", "<SyncTargets>\n  <SyncTarget name=\"EXO\" version=\"Exchange Online\"/>\n</SyncTargets>"),
        ])
        #expect(findings.filter { $0.ruleID == "EXO010" }.map(\.message) == ["Exchange Online sync target `EXO` has no ewsSender: set it to the channel name of the Exchange Online HTTPConnection"])
        let settings = findings.filter { $0.ruleID == "EXO012" }.map(\.message)
        #expect(settings.contains("Exchange Online sync target `EXO`: no host: set host=\"outlook.office365.com\""))
        #expect(settings.contains("Exchange Online sync target `EXO`: no method: set method=\"Impersonation\""))
        #expect(settings.count == 3)
    }

    @Test func onPremisesTargetsAreNotJudged() {
        let findings = lint([ExampleFile("exo.synctargets", "<SyncTargets><SyncTarget name=\"OnPrem\" host=\"mail.contoso.com\" version=\"Exchange 2016\" method=\"Delegation\" ewsSender=\"X\"/></SyncTargets>")])
        #expect(findings.isEmpty)
    }
}

@Suite struct DuplicateChannelTests {
    /// A repeat in the other file of a pair names that file.
    @Test func aRepeatAcrossThePairNamesTheOtherFile() {
        let server = NexJFileLoader.load(path: "app.server", bytes: Array(
            "<Server type=\"Generic\">\n<ChannelConnections>\n<MailConnection channel=\"Mail\"/>\n</ChannelConnections>\n</Server>\n".utf8), options: catalogueOptions)
        let connections = NexJFileLoader.load(path: "prod.connections", bytes: Array(
            "<Connections>\n<ChannelConnections>\n<MailConnection channel=\"Mail\"/>\n</ChannelConnections>\n</Connections>\n".utf8), options: catalogueOptions)
        let findings = Linter(catalogue: RuleCatalog.all).analyze([server, connections], reportingOn: ["app.server", "prod.connections"],
                                                                   governance: Governance(commandLineSelection: RuleSelection(select: ["NXJ003"])))
        #expect(findings.map(\.location.file) == ["prod.connections"])
        #expect(findings.map(\.message) == ["channel `Mail`: already defined at line 3 of app.server; one of the two is silently ignored"])
    }

    /// Many channels with few names: every repeat is reported once, pointing at the first
    /// channel of its name (checked against the plain definition), whatever the rule's lookup
    /// (a unit of up to 32 channels looks back through them, a larger one hashes the names).
    @Test(arguments: [30, 300]) func everyRepeatPointsAtTheFirstOfItsName(channels: Int) {
        // A fixed sequence: the same names on every run.
        let stems = ["Mail", "Queue", "Partner", "", "ExchangeEWSSender", "é"]
        let names = (0..<channels).map { stems[($0 * 7) % stems.count] + String(($0 * 13) % 20) }
        let lines = names.map { "<MailConnection channel=\"\($0)\"/>\n" }.joined()
        let text = "<Environment type=\"Generic\">\n<ChannelConnections>\n" + lines + "</ChannelConnections>\n</Environment>\n"
        let file = NexJFileLoader.load(path: "many.environment", bytes: Array(text.utf8), options: catalogueOptions)
        let findings = Linter(catalogue: RuleCatalog.all).analyze([file], reportingOn: ["many.environment"],
                                                                   governance: Governance(commandLineSelection: RuleSelection(select: ["NXJ003"])))
        var firstLine: [String: Int] = [:]
        var expected: [(line: Int, name: String, earlier: Int)] = []
        for (offset, name) in names.enumerated() {
            let line = offset + 3
            if let earlier = firstLine[name] { expected.append((line, name, earlier)) } else { firstLine[name] = line }
        }
        #expect(findings.map(\.location.line) == expected.map(\.line))
        #expect(findings.map(\.message) == expected.map {
            "channel `\($0.name)`: already defined at line \($0.earlier); one of the two is silently ignored"
        })
    }

    /// Two spellings of one name (a precomposed é and an e with a combining accent) are one
    /// name, and ASCII names that differ only late are two, whatever the look-up compares first.
    @Test func namesAreComparedAsTextNotBytes() {
        let names = ["\u{E9}-Sender", "ExchangeEWSSender10", "ExchangeEWSSender11", "e\u{301}-Sender", "ExchangeEWSSender10"]
        let lines = names.map { "<MailConnection channel=\"\($0)\"/>\n" }.joined()
        let text = "<Environment type=\"Generic\">\n<ChannelConnections>\n" + lines + "</ChannelConnections>\n</Environment>\n"
        let file = NexJFileLoader.load(path: "spelled.environment", bytes: Array(text.utf8), options: catalogueOptions)
        let findings = Linter(catalogue: RuleCatalog.all).analyze([file], reportingOn: ["spelled.environment"],
                                                                   governance: Governance(commandLineSelection: RuleSelection(select: ["NXJ003"])))
        #expect(findings.map(\.location.line) == [6, 7])
        #expect(findings.map(\.message) == [
            "channel `e\u{301}-Sender`: already defined at line 3; one of the two is silently ignored",
            "channel `ExchangeEWSSender10`: already defined at line 4; one of the two is silently ignored",
        ])
    }
}

@Suite struct ChannelTests {
    /// A channel answers alike for any attribute, however often it is asked: an HTTP
    /// connection remembers its first twelve attributes' values, later ones are resolved at each
    /// request, and other connections remember none.
    @Test func channelAttributesAnswerAlikeWhereverTheyStand() throws {
        let filler = (0..<14).map { " a\($0)=\"\($0)\"" }.joined()
        let exchange = "authentication=\"custom\" url=\"https://${host.name}/EWS/Exchange.asmx\""
        let text = """
            <Environment type="Generic" host.name="outlook.office365.com">
            <ChannelConnections>
            <HTTPConnection channel="Early" \(exchange)\(filler) secure="${undefined}"/>
            <HTTPConnection channel="Late"\(filler) \(exchange) secure="${undefined}"/>
            <MailConnection channel="${host.name}"/>
            </ChannelConnections>
            </Environment>
            """
        let unit = try #require(DeploymentUnit.group(documents([ExampleFile("a.environment", text)]), syncTargets: []).first)
        #expect(unit.channels.map(\.name) == ["Early", "Late", "outlook.office365.com"])
        for channel in unit.channels.prefix(2) {
            #expect(channel.isExchangeOnline)
            let expected: [(String, AttributeValue)] = [
                ("channel", .value(channel.name ?? "")), ("authentication", .value("custom")),
                ("url", .value("https://outlook.office365.com/EWS/Exchange.asmx")), ("secure", .unresolved), ("missing", .absent),
            ] + (0..<14).map { ("a\($0)", .value("\($0)")) }
            // Twice over, every attribute: a value remembered in another's place would show.
            for _ in 0..<2 {
                for (name, value) in expected { #expect(channel[name] == value, "\(name)") }
            }
        }
        #expect(!unit.channels[2].isHTTP && unit.channels[2]["channel"] == .value("outlook.office365.com"))
    }

    /// A url is parsed once for the channels of a file that repeat it, and each channel still
    /// judges its own: a url differing from the one before, a url without a scheme, the same
    /// url reached through a property, and a channel with none in between.
    @Test func eachChannelJudgesItsOwnURL() throws {
        let global = "https://outlook.office365.com/EWS/Exchange.asmx"
        let text = """
            <Environment type="Generic" ews.url="\(global)">
            <ChannelConnections>
            <HTTPConnection channel="A" url="\(global)"/>
            <HTTPConnection channel="B" url="\(global)"/>
            <HTTPConnection channel="C" url="https://outlook.office365.us/EWS/Exchange.asmx"/>
            <HTTPConnection channel="D" url="https://mail.contoso.com/EWS/Exchange.asmx"/>
            <HTTPConnection channel="E"/>
            <HTTPConnection channel="F" url="${ews.url}"/>
            <HTTPConnection channel="G" url="partner.outlook.cn/EWS/Exchange.asmx"/>
            <HTTPConnection channel="H" url="partner.outlook.cn/EWS/Exchange.asmx"/>
            <HTTPConnection channel="I" url="https://mail.contoso.com/EWS/Exchange.asmx"/>
            </ChannelConnections>
            </Environment>
            """
        let unit = try #require(DeploymentUnit.group(documents([ExampleFile("a.environment", text)]), syncTargets: []).first)
        #expect(unit.channels.map(\.cloud) == [.global, .global, .usGovernment, nil, nil, .global, .china, .china, nil])
        #expect(unit.channels.map { $0.url?.host } == [
            "outlook.office365.com", "outlook.office365.com", "outlook.office365.us", "mail.contoso.com", nil,
            "outlook.office365.com", nil, nil, "mail.contoso.com",
        ])
        #expect(unit.channels.map(\.isExchangeOnline) == [true, true, true, false, false, true, true, true, false])
    }

    /// The in-place questions answer only from the value as written: a reference that resolves
    /// to the constant is not literally it, and a prefix is the written value's.
    @Test func inPlaceQuestionsReadTheValueAsWritten() throws {
        let text = """
            <Environment type="Generic" component="rpc:System.Authentication.EXO" secret="master:AAEC">
            <ChannelConnections>
            <HTTPConnection channel="Literal" authComponent="rpc:System.Authentication.EXO" password="master:AAEC"/>
            <HTTPConnection channel="Referred" authComponent="${component}" password="${secret}"/>
            <HTTPConnection channel="Other" authComponent="rpc:System.Authentication.EXO2" password="text:master:x"/>
            </ChannelConnections>
            </Environment>
            """
        let unit = try #require(DeploymentUnit.group(documents([ExampleFile("a.environment", text)]), syncTargets: []).first)
        let answers = unit.channels.map { channel in
            [channel.attribute("authComponent", isLiterally: ExchangeOnline.authComponent),
             channel.attribute("password", hasPrefix: PasswordValue.encryptedPrefix),
             channel.attribute("missing", isLiterally: ""), channel.attribute("missing", hasPrefix: "")]
        }
        #expect(answers == [[true, true, false, false], [false, false, false, false], [false, false, false, false]])
        #expect(unit.channels[1]["authComponent"] == .value(ExchangeOnline.authComponent))
    }
}
