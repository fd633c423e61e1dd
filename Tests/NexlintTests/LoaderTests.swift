import Foundation
import Testing
import NexlintCore
import NexlintRules
import NexlintXML

@Suite struct LoaderTests {
    /// A file is read whole, in one read when it holds what fstat says (reading stops at that
    /// size), at every size around the read's and the page's; and a file whose size fstat
    /// does not know (0 for /proc's) is read to its end all the same.
    @Test func filesAreReadWholeWhateverTheirSize() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SystemRandomNumberGenerator()
        for size in [0, 1, 2, 4095, 4096, 4097, 65_537] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let file = directory.appendingPathComponent("\(size).environment")
            try Data(bytes).write(to: file)
            #expect((try? FileSystem.read(file.path).get()) == bytes, "size \(size)")
        }
        let commandLine: [UInt8] = CommandLine.arguments.flatMap { Array($0.utf8) + [UInt8(0)] }
        #expect((try? FileSystem.read("/proc/self/cmdline").get()) == commandLine)
    }

    @Test func malformedFileGivesOneNXJ001AtLibxml2sPositionAndNothingElse() {
        let findings = lint(environment: "<Environment type=\"Generic\">\n  <ChannelConnections>\n    <HTTPConnection channel=\"a\" url=\"http://outlook.office365.com/x\">\n  </ChannelConnections>\n</Environment>\n<extra/>", selecting: fileOutcome("NXJ001"))
        #expect(rules(findings) == ["NXJ001"])
        #expect(findings[0].location.line == 4)
        #expect(findings[0].message.hasPrefix("not well-formed XML: "))
    }

    @Test func placeholderInAttributeGetsTheHelpfulMessage() {
        let findings = lint(environment: "<Environment>\n<ChannelConnections><HTTPConnection channel=\"x\" user=\"<application_ID>:<svc@contoso.com>\"/></ChannelConnections></Environment>", selecting: fileOutcome("NXJ001"))
        #expect(rules(findings) == ["NXJ001"])
        #expect(findings[0].message.contains("placeholder"))
        #expect(findings[0].location.position == SourcePosition(line: 2, column: 55))
    }

    @Test func encryptedFileIsANoteAndNotChecked() {
        let findings = lint(environment: "master:AAECAwQFBgcICQoLDA0ODw==\n", selecting: fileOutcome("NXJ002"))
        #expect(rules(findings) == ["NXJ002"])
        #expect(findings[0].severity == .note)
        #expect(findings[0].message.contains("`master:`"))
    }

    @Test func plainTextIsMalformedNotEncrypted() {
        #expect(rules(lint(environment: "note: this file was moved\n", selecting: fileOutcome("NXJ001"))) == ["NXJ001"])
        #expect(rules(lint(environment: "", selecting: fileOutcome("NXJ001"))) == ["NXJ001"])
    }

    @Test func wrongRootIsNXJ005AndNotCheckedFurther() {
        let findings = lint([ExampleFile("a.connections", oauthEnvironment(root: ""))], selection: RuleSelection(select: fileOutcome("NXJ005")))
        #expect(rules(findings) == ["NXJ005"])
        #expect(findings[0].message.contains("<Connections>"))
    }

    @Test func otherExtensionsAreTypedByTheirRoot() {
        #expect(rules(lint([ExampleFile("prod.xml", oauthEnvironment(root: ""))])).contains("EXO004"))
        let unknown = lint([ExampleFile("pom.xml", "<project/>")], selection: RuleSelection(select: fileOutcome("NXJ005")))
        #expect(rules(unknown) == ["NXJ005"])
        #expect(unknown[0].message.contains("not a NexJ configuration root"))
    }

    @Test func utf16FileIsLintedWithRightPositions() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + oauthEnvironment(channel: oauthChannel(replacing: #"secure="true""#, with: #"secure="no""#))
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let file = NexJFileLoader.load(path: "wide.environment", bytes: bytes, options: catalogueOptions)
        let findings = Linter(catalogue: RuleCatalog.all).analyze([file], reportingOn: ["wide.environment"])
        let secure = findings.filter { $0.ruleID == "EXO002" }
        #expect(secure.count == 1)
        #expect(secure.first?.location.position == SourcePosition(line: 4, column: 5))
        #expect(file.document?.transcodedFrom == "UTF-16")
    }

    @Test func latin1FileIsLintedWithRightValues() {
        let head = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Environment type=\"Generic\" description=\"Caf"
        let tail = "\">\n <ChannelConnections>\n  <MailConnection channel=\"M\"/>\n  <MailConnection channel=\"M\"/>\n </ChannelConnections>\n</Environment>\n"
        let bytes = Array(head.utf8) + [0xE9] + Array(tail.utf8)
        let file = NexJFileLoader.load(path: "latin.environment", bytes: bytes, options: catalogueOptions)
        #expect(file.document?.root["description"] == "Café")
        let findings = Linter(catalogue: RuleCatalog.all).analyze([file], reportingOn: ["latin.environment"],
                                                                   governance: Governance(commandLineSelection: RuleSelection(select: ["NXJ003"])))
        #expect(findings.map(\.ruleID) == ["NXJ003"])
        #expect(findings.first?.location.position == SourcePosition(line: 5, column: 3))
    }
}

@Suite struct PropertyTests {
    let resolver = PropertyResolver(external: ["host": "outside.contoso.com"], roots: [
        NexJElement(try! XMLParser.parse(Array("<Server host='root.contoso.com' port='443'/>".utf8)).get().root),
        NexJElement(try! XMLParser.parse(Array("<Connections host='other' url='https://${host}/EWS' loop='${loop}' port='80'/>".utf8)).get().root),
    ])

    @Test func outsideValuesWinThenRootThenDefault() {
        #expect(resolver.resolve("${host}")?.text == "outside.contoso.com")
        #expect(resolver.resolve("${port:80}")?.text == "443")
        #expect(resolver.resolve("${missing:fallback}")?.text == "fallback")
        #expect(resolver.resolve("${missing:}")?.text == "")
        #expect(resolver.resolve("plain")?.text == "plain")
    }

    @Test func rootValuesResolveThroughOtherProperties() {
        #expect(resolver.resolve("${url}")?.text == "https://outside.contoso.com/EWS")
        #expect(resolver.resolve("${url}")?.usesExternalValue == true)
        #expect(resolver.resolve("${port}")?.usesExternalValue == false)
    }

    static func unresolvable(_ resolver: PropertyResolver, _ text: String) -> [(name: String, failure: PropertyResolver.Failure)] {
        var found: [(name: String, failure: PropertyResolver.Failure)] = []
        resolver.forEachUnresolvableReference(in: text) { found.append(($0, $1)) }
        return found
    }

    @Test func undefinedAndCyclicReferencesDoNotResolve() {
        #expect(resolver.resolve("${missing}") == nil)
        #expect(resolver.resolve("${loop}") == nil)
        let unresolved = Self.unresolvable(resolver, "${missing} ${host} ${other:x} ${second} ${loop}")
        #expect(unresolved.map(\.name) == ["missing", "second", "loop"])
        #expect(unresolved.map(\.failure) == [.undefined, .undefined, .tooDeep])
    }

    /// Each name resolved once: values that refer to the next one four times, 24 deep, expand
    /// to 4^24 bytes unbounded; here the length bound stops them, and a chain of 17 is too deep.
    @Test func expansionIsBoundedInDepthAndSize() throws {
        let fanOut = (0..<24).map { #"p\#($0)="${p\#($0 + 1)}${p\#($0 + 1)}${p\#($0 + 1)}${p\#($0 + 1)}""# }.joined(separator: " ")
        let fanXML = "<Environment \(fanOut) p24=\"abcdefgh\"/>"
        let fan = try #require(try? XMLParser.parse(Array(fanXML.utf8)).get())
        let wide = PropertyResolver(roots: [NexJElement(fan.root)])
        #expect(wide.resolve("${p20}")?.text.count == 8 * 256)
        #expect(Self.unresolvable(wide, "${p0}").map(\.failure) == [.tooDeep])
        #expect(Self.unresolvable(wide, "${p10}").map(\.failure) == [.tooLarge])
        let chain = (0..<17).map { #"c\#($0)="${c\#($0 + 1)}""# }.joined(separator: " ")
        let chainXML = "<Environment \(chain) c17=\"end\"/>"
        let deep = PropertyResolver(roots: [NexJElement(try #require(try? XMLParser.parse(Array(chainXML.utf8)).get()).root)])
        #expect(deep.resolve("${c1}")?.text == "end")
        #expect(deep.resolve("${c0}") == nil)
        #expect(deep.resolve("${c1}")?.text == "end", "a failure from deeper up is not remembered for a shorter chain")
    }

    @Test func referencesAreParsedWithDefaults() {
        let references = PropertyReference.all(in: "a${x}b${y:z:w}c${")
        #expect(references.map(\.name) == ["x", "y"])
        #expect(references.map(\.defaultValue) == [nil, "z:w"])
    }

    @Test func externalDefinitionSatisfiesRootPropertyRules() {
        let token = "https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token"
        #expect(!rules(lint(environment: oauthEnvironment(root: ""))).filter { $0 == "EXO004" }.isEmpty)
        #expect(rules(lint(environment: oauthEnvironment(root: ""), definitions: ["exo.tokenURL": token])).filter { $0 == "EXO004" }.isEmpty)
    }

    @Test func unresolvedValuesAreReportedOnceAndNotJudged() {
        // NXJ004 and every rule that judges a channel's values (all but EXO013's note).
        let findings = lint(environment: oauthEnvironment(channel: oauthChannel(replacing: #"secure="true""#, with: #"secure="${tls}""#)),
                            selecting: ["NXJ004", "EXO00", "EXO010", "EXO011", "EXO012"])
        #expect(rules(findings) == ["NXJ004"])
        #expect(findings.first { $0.ruleID == "NXJ004" }?.message.contains("`tls`") == true)
    }
}
