import NexlintXML
import PropertyBased
import Testing

/// Characters that stress attribute escaping: both quotes, markup, references, white space
/// that attribute-value normalisation would rewrite, and non-ASCII.
private let alphabet: [Character] = ["a", "Z", "0", " ", "\"", "'", "&", "<", ">", ";", "#", "\t", "\n", "\r", "é", "€", "😀", ":", "=", "/"]
private let values = Gen<Character?>.element(of: alphabet).map { $0! }.string(of: 0...16)

@Suite struct EditingPropertyTests {
    @Test func patchedValuesReparseExactlyAndNothingElseMoves() async {
        await propertyCheck(count: 400, input: values, values, Gen.bool, Gen.bool) { old, new, singleQuoted, replacing in
            let quote = UInt8(ascii: singleQuoted ? "'" : "\"")
            func attribute(_ name: String, _ value: String) -> [UInt8] {
                Array(" \(name)=".utf8) + [quote] + StartTag.escaped(value, quote: quote) + [quote]
            }
            let original = Array("<Environment>\r\n  <!-- before -->\r\n  <HTTPConnection".utf8) + attribute("channel", "A&B")
                + attribute("target", old) + Array("\r\n     ".utf8) + attribute("last", "x'y\"z") + Array("/>\r\n</Environment>\r\n".utf8)
            guard let document = try? XMLParser.parse(original).get() else {
                Issue.record("the original did not parse")
                return
            }
            let element = document.root.children[0]
            #expect(element["target"] == old)
            guard let tag = StartTag(in: original, at: element.startTagBytes.lowerBound) else {
                Issue.record("the tag did not tokenise")
                return
            }
            let name = replacing ? "target" : "added"
            let edits = tag.edits(setting: [(name: name, value: new)], in: original)
            guard edits.count == 1, let edit = edits.first, let patched = try? TextEdit.apply(edits, to: original),
                  let reparsed = try? XMLParser.parse(patched).get() else {
                Issue.record("the patched file did not parse")
                return
            }
            let patchedElement = reparsed.root.children[0]
            #expect(patchedElement[name] == new)
            #expect(patchedElement["channel"] == "A&B")
            #expect(patchedElement["last"] == "x'y\"z")
            #expect(patchedElement["target"] == (replacing ? new : old))
            // Every byte outside the edited range is where it was.
            #expect(Array(patched[..<edit.range.lowerBound]) == Array(original[..<edit.range.lowerBound]))
            #expect(Array(patched.suffix(original.count - edit.range.upperBound)) == Array(original[edit.range.upperBound...]))
        }
    }
}
