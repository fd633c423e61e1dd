import Testing
@testable import NexlintXML

private func tag(_ text: String, element index: [Int] = []) throws -> (StartTag, [UInt8]) {
    let bytes = Array(text.utf8)
    var element = try XMLParser.parse(bytes).get().root
    for step in index { element = element.children[step] }
    let tag = try #require(StartTag(in: bytes, at: element.startTagBytes.lowerBound))
    #expect(tag.span == element.startTagBytes)
    return (tag, bytes)
}

private func applying(_ values: [(String, String)], to text: String, element index: [Int] = []) throws -> String {
    let (tag, bytes) = try tag(text, element: index)
    return String(decoding: try TextEdit.apply(tag.edits(setting: values.map { (name: $0.0, value: $0.1) }, in: bytes), to: bytes), as: UTF8.self)
}

@Suite struct EditingTests {
    @Test func tokenisesWhatTheParserRecorded() throws {
        let (self_closing, _) = try tag("<E>\n  <HTTPConnection channel=\"x\"\n   url = 'u' />\n</E>", element: [0])
        #expect(self_closing.name == "HTTPConnection")
        #expect(self_closing.attributes.map(\.name) == ["channel", "url"])
        #expect(self_closing.attribute("url")?.quote == UInt8(ascii: "'"))
        let (open, _) = try tag("<E a=\"1\"><F b='&amp;'></F></E>", element: [0])
        #expect(open.attributes.map(\.name) == ["b"])
        let (bare, _) = try tag("<Environment/>")
        #expect(bare.attributes.isEmpty)
    }

    @Test func replacesValuesInTheirOwnQuotes() throws {
        #expect(try applying([("b", "x\"y'z&<")], to: "<E b='old' c=\"k\"/>") == "<E b='x\"y&apos;z&amp;&lt;' c=\"k\"/>")
        #expect(try applying([("c", "x\"y")], to: "<E b='old' c=\"k\"/>") == "<E b='old' c=\"x&quot;y\"/>")
    }

    @Test func insertsOnTheSameLineForOneLineTags() throws {
        #expect(try applying([("n", "v"), ("m", "w")], to: "<E a='1' >\n</E>") == "<E a='1' n='v' m='w' >\n</E>")
        #expect(try applying([("n", "v")], to: "<E/>") == "<E n=\"v\"/>")
    }

    @Test func insertsOnNewLinesIndentedLikeTheAttributesAbove() throws {
        let text = "<E>\r\n  <H channel=\"x\"\r\n     url=\"u\"\r\n     user=\"p\"/>\r\n</E>"
        #expect(try applying([("secure", "true"), ("url", "https://h")], to: text, element: [0])
                == "<E>\r\n  <H channel=\"x\"\r\n     url=\"https://h\"\r\n     user=\"p\"\r\n     secure=\"true\"/>\r\n</E>")
    }

    @Test func overlappingEditsAreRefused() {
        let bytes = Array("abcdef".utf8)
        #expect(throws: TextEdit.OverlapError.self) {
            try TextEdit.apply([TextEdit(range: 1..<3, replacement: []), TextEdit(range: 2..<4, replacement: [])], to: bytes)
        }
        #expect(throws: TextEdit.OverlapError.self) {
            try TextEdit.apply([TextEdit(range: 2..<2, replacement: [1]), TextEdit(range: 2..<2, replacement: [2])], to: bytes)
        }
        #expect(try! TextEdit.apply([TextEdit(range: 4..<6, replacement: Array("XY".utf8)), TextEdit(range: 0..<1, replacement: [])], to: bytes)
                == Array("bcdXY".utf8))
    }
}
