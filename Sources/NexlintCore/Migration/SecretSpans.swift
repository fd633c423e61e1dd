import NexlintXML

/// Where a text holds secrets, found on its bytes so that comments, DTD text and broken markup
/// are covered too: values of attributes named like passwords or secrets (and of the properties
/// they refer to), `text:`/`base64:`/`hex:`/`master:` values anywhere, and entity values.
struct SecretSpans {
    private let bytes: [UInt8]
    private(set) var spans: [Range<Int>] = []

    private static let schemes = ["text:", "base64:", "hex:", "master:"].map { Array($0.utf8) }

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var spans: [Range<Int>] = []
        var referenced = Set<[UInt8]>()
        let assignments = Self.assignments(in: bytes)
        for (name, value) in assignments where Self.isSecret(String(decoding: name, as: UTF8.self)) {
            spans.append(value)
            for reference in PropertyReference.all(in: String(decoding: bytes[value], as: UTF8.self)) {
                referenced.insert(Array(reference.name.utf8))
            }
        }
        if !referenced.isEmpty {
            for (name, value) in assignments where referenced.contains(Array(name)) { spans.append(value) }
        }
        spans += Self.schemeValues(in: bytes) + Self.entityValues(in: bytes)
        // Merged, so each byte is masked once.
        spans.sort { $0.lowerBound < $1.lowerBound }
        for span in spans {
            if let last = self.spans.last, span.lowerBound <= last.upperBound {
                self.spans[self.spans.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
            } else {
                self.spans.append(span)
            }
        }
    }

    /// A line of the text with each secret replaced: by its shape when the whole secret is on
    /// the line, by the mask otherwise.
    func masked(_ line: Range<Int>) -> String {
        var output: [UInt8] = []
        var position = line.lowerBound
        var index = firstSpan(endingAfter: line.lowerBound)
        while index < spans.count, spans[index].lowerBound < line.upperBound {
            let span = spans[index]
            let start = max(span.lowerBound, line.lowerBound)
            output += bytes[position..<start]
            let whole = span.lowerBound >= line.lowerBound && span.upperBound <= line.upperBound
            let replacement = whole ? MigrationReport.shape(of: String(decoding: bytes[span], as: UTF8.self)) : MigrationReport.mask
            output += Array(replacement.utf8)
            position = min(span.upperBound, line.upperBound)
            index += 1
        }
        output += bytes[position..<line.upperBound]
        return String(decoding: output, as: UTF8.self)
    }

    private func firstSpan(endingAfter offset: Int) -> Int {
        var low = 0, high = spans.count
        while low < high {
            let middle = (low + high) / 2
            if spans[middle].upperBound <= offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func isSecret(_ attributeName: String) -> Bool {
        attributeName.hasSuffixIgnoringCase("password") || attributeName.hasSuffixIgnoringCase("secret")
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ":"): true
        default: byte >= 0x80
        }
    }

    /// The value after the quote at `quote`: up to the same quote, or the end of the text.
    private static func quoted(in bytes: [UInt8], at quote: Int) -> Range<Int> {
        let end = bytes[(quote + 1)...].firstIndex(of: bytes[quote]) ?? bytes.count
        return (quote + 1)..<end
    }

    /// Every `name = "value"` (or single-quoted), wherever it stands: its name and value range.
    private static func assignments(in bytes: [UInt8]) -> [(ArraySlice<UInt8>, Range<Int>)] {
        var found: [(ArraySlice<UInt8>, Range<Int>)] = []
        var index = 0
        while let equals = bytes[index...].firstIndex(of: UInt8(ascii: "=")) {
            index = equals + 1
            var nameEnd = equals
            while nameEnd > 0, ASCII.isWhitespace(bytes[nameEnd - 1]) { nameEnd -= 1 }
            var nameStart = nameEnd
            while nameStart > 0, isNameByte(bytes[nameStart - 1]) { nameStart -= 1 }
            var quote = equals + 1
            while quote < bytes.count, ASCII.isWhitespace(bytes[quote]) { quote += 1 }
            guard nameStart < nameEnd, quote < bytes.count, bytes[quote] == UInt8(ascii: "\"") || bytes[quote] == UInt8(ascii: "'") else {
                continue
            }
            let value = quoted(in: bytes, at: quote)
            found.append((bytes[nameStart..<nameEnd], value))
            index = value.upperBound
        }
        return found
    }

    /// Values that start with a password scheme: to the closing quote when one opens them,
    /// else to the next space or markup character.
    private static func schemeValues(in bytes: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "t") || byte == UInt8(ascii: "b") || byte == UInt8(ascii: "h") || byte == UInt8(ascii: "m"),
                  index == 0 || !isNameByte(bytes[index - 1]),
                  schemes.contains(where: { bytes[index...].starts(with: $0) }) else {
                index += 1
                continue
            }
            let end: Int
            if index > 0, bytes[index - 1] == UInt8(ascii: "\"") || bytes[index - 1] == UInt8(ascii: "'") {
                end = quoted(in: bytes, at: index - 1).upperBound
            } else {
                end = bytes[index...].firstIndex { ASCII.isWhitespace($0) || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
                    || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") } ?? bytes.count
            }
            found.append(index..<end)
            index = max(end, index + 1)
        }
        return found
    }

    /// The literal values of `<!ENTITY name "value">` declarations.
    private static func entityValues(in bytes: [UInt8]) -> [Range<Int>] {
        let keyword = Array("<!ENTITY".utf8)
        var found: [Range<Int>] = []
        var index = 0
        while let start = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
            index = start + 1
            guard bytes[start...].starts(with: keyword),
                  let quote = bytes[start...].firstIndex(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: ">") }),
                  bytes[quote] != UInt8(ascii: ">") else { continue }
            let value = quoted(in: bytes, at: quote)
            found.append(value)
            index = value.upperBound
        }
        return found
    }
}
