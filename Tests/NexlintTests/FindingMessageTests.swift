@testable import NexlintCore
import Testing

/// A message is kept in pieces and joined only when shown: it must compare, print and escape
/// exactly as its joined text would.
@Suite struct FindingMessageTests {
    static let texts = ["", "a", "ab", "abc", "b", "`${x}` in attribute `y`", "`${x1}` in attribute `y`",
                        "`${x10}` in attribute `y`", "é", "e", "ez", "e\u{301}", "e\u{301}x", "ex\u{301}", "éa", "z", "\u{1F600}", "a\u{7F}b"]

    /// The same text cut into pieces at every point, between a character and its combining
    /// mark included.
    static func pieces(of text: String) -> [FindingMessage] {
        let scalars = Array(text.unicodeScalars)
        func string(_ part: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(part)) }
        return (0...scalars.count).map { cut in
            "\(string(scalars[..<cut]))\(string(scalars[cut...]))"
        } + [FindingMessage(text)]
    }

    @Test func piecesCompareAsTheirJoinedTexts() {
        for left in Self.texts {
            for right in Self.texts {
                for leftMessage in Self.pieces(of: left) {
                    for rightMessage in Self.pieces(of: right) {
                        #expect((leftMessage < rightMessage) == (left < right), "\(left) < \(right)")
                        #expect((leftMessage == rightMessage) == (left == right), "\(left) == \(right)")
                    }
                }
            }
        }
    }

    @Test func interpolatedValuesBecomePiecesInOrder() {
        let name = "exo.host", line = 12
        let message: FindingMessage = "`${\(name)}` at line \(line)"
        #expect((0..<message.pieceCount).map { message[piece: $0] } == ["`${", "exo.host", "}` at line ", "12"])
        #expect(message.text == "`${exo.host}` at line 12")
        let prefixed: FindingMessage = "channel `EWS`: \(message)"
        #expect(prefixed.text == "channel `EWS`: `${exo.host}` at line 12")
        // An empty value is no piece: it adds nothing to the text.
        let (none, empty) = ("", "")
        let sparse: FindingMessage = "of the root element\(none)\(empty) is plain"
        #expect((0..<sparse.pieceCount).map { sparse[piece: $0] } == ["of the root element", " is plain"])
        #expect(sparse == FindingMessage("of the root element is plain"))
    }

    /// The first five pieces are held in place and any more after them: a message of every
    /// length up to twelve pieces reads, compares, hashes and is written as its joined text.
    @Test func messagesOfManyPiecesKeepThemAllInOrder() {
        let values = (1...6).map { "v\($0)" }
        for count in 0...values.count {
            var interpolation = FindingMessage.StringInterpolation(literalCapacity: 0, interpolationCount: count)
            var joined = ""
            for value in values.prefix(count) {
                interpolation.appendLiteral("<")
                interpolation.appendInterpolation(value)
                joined += "<" + value
            }
            let message = FindingMessage(stringInterpolation: interpolation)
            #expect((0..<message.pieceCount).map { message[piece: $0] } == Array(values.prefix(count).flatMap { ["<", $0] }))
            #expect(message.text == joined)
            #expect(message == FindingMessage(joined) && message.hashValue == FindingMessage(joined).hashValue)
            #expect(message < FindingMessage(joined + "~") && FindingMessage(String(joined.dropLast())) < message || joined.isEmpty)
            var output = ByteOutput()
            output.append(escapingControlCharacters: message)
            #expect(output.text == joined)
        }
    }

    /// A channel's name put before a message reads, compares and hashes as the joined text,
    /// put there once or twice.
    @Test func channelNamedFirstIsPartOfTheText() {
        let message: FindingMessage = "url `\("h")` is not https"
        let named = message.naming(channel: "EWS", element: "HTTPConnection")
        let unnamed = message.naming(channel: nil, element: "HTTPConnection")
        #expect(named.text == "channel `EWS`: url `h` is not https")
        #expect(unnamed.text == "<HTTPConnection> without a channel name: url `h` is not https")
        #expect((0..<named.pieceCount).map { named[piece: $0] }.joined() == named.text)
        #expect(named == FindingMessage("channel `EWS`: url `h` is not https"))
        #expect(named.hashValue == FindingMessage(named.text).hashValue)
        #expect(unnamed < named && named < FindingMessage("channel `EWT`"))
        #expect(named.naming(channel: "Outer", element: "HTTPConnection").text == "channel `Outer`: channel `EWS`: url `h` is not https")
    }

    @Test func controlCharactersAreEscapedAcrossPieces() {
        let value = "a\u{1B}[31mred\nnext\u{7F}"
        let message: FindingMessage = "value `\(value)` ends"
        var output = ByteOutput()
        output.append(escapingControlCharacters: message)
        #expect(output.text == "value `a\\x1b[31mred\\x0anext\\x7f` ends")
        var plain = ByteOutput()
        plain.append(escapingControlCharacters: FindingMessage("nothing to escape in this longer text"))
        #expect(plain.text == "nothing to escape in this longer text")
    }
}
