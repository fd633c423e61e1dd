import Testing
@testable import NexlintXML

private func parse(_ text: String) -> Result<XMLDocument, XMLSyntaxError> {
    XMLParser.parse(Array(text.utf8))
}

private func document(_ text: String) throws -> XMLDocument {
    try parse(text).get()
}

@Suite struct XMLParserTests {
    @Test func startTagPositionIsTheLessThanSignEvenWhenTheTagSpansLines() throws {
        let doc = try document("<?xml version=\"1.0\"?>\n<Environment a=\"1\">\n  <ChannelConnections>\n    <HTTPConnection\n       channel=\"X\"\n       url=\"u\"/>\n  </ChannelConnections>\n</Environment>\n")
        #expect(doc.root.position == TextPosition(line: 2, column: 1))
        let connection = doc.root.children[0].children[0]
        #expect(connection.position == TextPosition(line: 4, column: 5))
        #expect(connection["channel"] == "X")
    }

    @Test func startTagByteRangeCoversTheWholeTag() throws {
        let text = "<Environment>\r\n\t<ChannelConnections  x = 'a' >\r\n</ChannelConnections></Environment>"
        let doc = try document(text)
        let range = doc.root.children[0].startTagBytes
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[range], as: UTF8.self) == "<ChannelConnections  x = 'a' >")
        #expect(doc.root.children[0].position == TextPosition(line: 2, column: 2))
    }

    @Test func byteOrderMarkDoesNotCountAsAColumn() throws {
        let doc = try XMLParser.parse([0xEF, 0xBB, 0xBF] + Array("<Environment/>".utf8)).get()
        #expect(doc.root.position == TextPosition(line: 1, column: 1))
        #expect(doc.transcodedFrom == nil)
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let doc = try document("<Environment d=\"é€\"><ChannelConnections/></Environment>")
        #expect(doc.root.children[0].position == TextPosition(line: 1, column: 21))
    }

    @Test func attributeValuesAreDecodedAsXMLDefinesThem() throws {
        let doc = try document("<Environment a=\"x&amp;y\" b=\"&lt;v&gt;\" c=\"&#65;&#x42;\" d=\"a\tb\" e='&quot;'/>")
        #expect(doc.root["a"] == "x&y")
        #expect(doc.root["b"] == "<v>")
        #expect(doc.root["c"] == "AB")
        #expect(doc.root["d"] == "a b")
        #expect(doc.root["e"] == "\"")
    }

    /// The flat tree: siblings skip over each other's subtrees; names and value prefixes are
    /// compared in place.
    @Test func treeNavigationAndInPlaceComparisons() throws {
        let doc = try document("<R><A><A1/><A2><A21/></A2></A><B p='master:x' q='mas' r='' s='&#109;aster:y'/><C/></R>")
        #expect(doc.root.children.map(\.name) == ["A", "B", "C"])
        #expect(doc.root.children[0].children.map(\.name) == ["A1", "A2"])
        #expect(doc.root.children[0].children[1].children.map(\.name) == ["A21"])
        #expect(doc.root.children[2].children.isEmpty)
        let b = doc.root.children[1]
        #expect(b.isNamed("B") && !b.isNamed("BB") && !b.isNamed("C"))
        #expect(b.attributes.map { $0.valueHasPrefix("master:") } == [true, false, false, true])
        #expect(b.attributes.allSatisfy { $0.valueHasPrefix("") })
    }

    @Test func commentsKnowTheirPositionAndTheNextStartTag() throws {
        let doc = try document("<Environment>\n  <!-- nexlint-disable-next-line EXO002: why -->\n\n  <HTTPConnection\n    channel=\"a\"/>\n  <!-- trailing -->\n</Environment>")
        #expect(doc.comments.count == 2)
        #expect(doc.comments[0].text == " nexlint-disable-next-line EXO002: why ")
        #expect(doc.comments[0].position == TextPosition(line: 2, column: 3))
        #expect(doc.comments[0].nextElementPosition == TextPosition(line: 4, column: 3))
        #expect(doc.comments[1].nextElementPosition == nil)
    }

    @Test func lessThanInAttributeIsRecognised() {
        let result = parse("<Environment>\n<HTTPConnection password=\"text:<client_secret>:x\"/></Environment>")
        guard case .failure(let error) = result else { Issue.record("expected an error"); return }
        #expect(error.isLessThanInAttributeValue)
        #expect(error.line == 2)
    }

    @Test func malformedInputReportsTheFirstErrorOnly() {
        guard case .failure(let error) = parse("<Environment>\n<a>\n</b>\n<<<</Environment>") else {
            Issue.record("expected an error"); return
        }
        #expect(error.line == 3)
        #expect(error.message == "an end tag does not match its start tag (libxml2 error 76)")
    }

    @Test func emptyAndBinaryInputAreErrors() {
        #expect(throws: XMLSyntaxError.self) { try XMLParser.parse([]).get() }
        #expect(throws: XMLSyntaxError.self) { try XMLParser.parse([0, 1, 2, 0xFF, 0xFE, 0x00, 0x80]).get() }
        #expect(throws: XMLSyntaxError.self) { try parse("<Environment a=\"\u{0}\"/>").get() }
    }

    @Test func invalidUTF8IsAnErrorWithoutTheBytesInTheMessage() {
        guard case .failure(let error) = XMLParser.parse(Array("<Environment password=\"".utf8) + [0xC3, 0x28, 0xFF] + Array("\"/>".utf8)) else {
            Issue.record("expected an error"); return
        }
        #expect(!error.message.contains("0x"))
    }

    @Test func billionLaughsIsRejectedNotExpanded() {
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE Environment [\n<!ENTITY lol \"lol\">\n"
        text += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        for level in 2...9 {
            text += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        text += "]>\n<Environment a=\"&lol9;\">&lol9;</Environment>\n"
        #expect(throws: XMLSyntaxError.self) { try parse(text).get() }
    }

    @Test func externalEntitiesAreNeverLoaded() {
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE Environment [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n<Environment a=\"&x;\">&x;</Environment>"
        switch parse(text) {
        case .success(let doc): #expect(doc.root["a"] == "&x;")
        case .failure(let error): #expect(error.line >= 1)
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        #expect(throws: XMLSyntaxError.self) { try parse(text).get() }
    }

    @Test func attributeBoundCountsOnlyAttributesOfOneStartTag() throws {
        let limit = AttributeLimit.perStartTag
        let equals = String(repeating: "x=1 ", count: 2 * limit)
        // `=` in a comment, CDATA, a processing instruction, a DOCTYPE (quoted `>` and `]`
        // included) and attribute values is no attribute: parsed, not refused.
        let hidden = """
            <?xml version="1.0"?>
            <?target \(equals)?>
            <!DOCTYPE Environment [ <!ENTITY e "a=] > \(equals)"> <!-- \(equals) > --> ]>
            <!-- > <x \(equals) -->
            <Environment a="\(equals)" b='\(equals)'><![CDATA[\(equals) > ]]>\(equals)</Environment>
            """
        #expect(throws: Never.self) { try document(hidden) }
        let attributes = (0...limit).map { " a\($0)=\"\($0)\"" }.joined()
        #expect(throws: Never.self) { try document("<Environment\(attributes.dropFirst(" a0=\"0\"".count))/>") }
        guard case .failure(let error) = parse(hidden + "\n<!-- -->\n  <Environment\(attributes)/>") else {
            Issue.record("a start tag past the bound was parsed")
            return
        }
        #expect(error.line == 7 && error.column == 3 && error.code == 0)
        #expect(error.message.hasPrefix("a start tag has more than \(limit) attributes"))
        // libxml2 ends the document at a NUL after the root; so does the walk (found by fuzzing).
        let afterNUL = try document("<Environment a=\"1\"/>\n\0<x\(attributes)/>")
        #expect(afterNUL.root.name == "Environment")
    }

    @Test func utf16WithByteOrderMarkIsTranscoded() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<Environment d=\"é\">\n  <ChannelConnections/>\n</Environment>\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let doc = try XMLParser.parse(bytes).get()
        #expect(doc.transcodedFrom == "UTF-16")
        #expect(doc.root["d"] == "é")
        #expect(doc.root.children[0].position == TextPosition(line: 3, column: 3))
    }

    @Test func utf16BigEndianWithoutByteOrderMarkIsTranscoded() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Environment d=\"x\"/>"
        var bytes: [UInt8] = []
        for unit in text.utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        #expect(try XMLParser.parse(bytes).get().root["d"] == "x")
    }

    @Test func latin1IsTranscoded() throws {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Environment d=\"".utf8) + [0xE9, 0xFC] + Array("\">\n <ChannelConnections/></Environment>".utf8)
        let doc = try XMLParser.parse(bytes).get()
        #expect(doc.transcodedFrom == "ISO-8859-1")
        #expect(doc.root["d"] == "éü")
        #expect(doc.root.children[0].position == TextPosition(line: 3, column: 2))
    }

    @Test func unknownDeclaredEncodingIsLibxml2sError() {
        #expect(throws: XMLSyntaxError.self) {
            try parse("<?xml version=\"1.0\" encoding=\"NO-SUCH-ENCODING\"?><Environment/>").get()
        }
    }

    @Test func positionsPastLine65535AreExact() throws {
        let filler = String(repeating: "<!-- padding -->\n", count: 70_000)
        let doc = try document("<Environment>\n" + filler + "<ChannelConnections\n   a=\"1\"/>\n</Environment>\n")
        #expect(doc.root.children[0].position == TextPosition(line: 70_002, column: 1))
    }

    /// Names are cached per thread across parses; changing options starts the cache over.
    @Test func namesStayRightAcrossParsesAndOptions() throws {
        let text = Array("<Environment type=\"Generic\" exo.tokenURL=\"x\" password=\"p\"><ChannelConnections><HTTPConnection channel=\"A\" url=\"u\"/></ChannelConnections></Environment>".utf8)
        let selective = ParseOptions(attributes: AttributeSelection(elementsKeepingAll: ["HTTPConnection"], namesKept: ["channel"]),
                                     markNameSuffixes: ["password"])
        for options in [selective, ParseOptions(), selective, selective, ParseOptions()] {
            let doc = try XMLParser.parse(text, options: options).get()
            #expect(doc.root.name == "Environment")
            #expect(doc.root.attributes.map(\.name) == ["type", "exo.tokenURL", "password"])
            #expect(doc.root.children.map(\.name) == ["ChannelConnections"])
            #expect(doc.root.children[0].children[0].name == "HTTPConnection")
            #expect(doc.root.children[0].children[0]["url"] == "u")
            var marked: [String] = []
            doc.attributesMarkedByName.forEach { marked.append($1.name) }
            #expect(marked == (options == selective ? ["password"] : []))
        }
    }
}
