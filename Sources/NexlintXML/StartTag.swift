/// One start tag of a UTF-8 document, tokenised from its bytes: the element's name and each
/// attribute's name, value span and quote character. Only the tags being edited are tokenised.
package struct StartTag: Sendable, Equatable {
    package struct Attribute: Sendable, Equatable {
        package var name: String
        /// The raw bytes between the quotes (references not decoded).
        package var valueBytes: Range<Int>
        /// `"` or `'`.
        package var quote: UInt8
        /// The white space before the attribute's name.
        package var leadingSpace: Range<Int>
        /// From the name through the closing quote.
        package var span: Range<Int>
    }

    package var name: String
    package var attributes: [Attribute]
    /// Where the name ends: an attribute inserted into a tag without attributes goes here.
    package var nameEnd: Int
    /// The whole tag, `<` through `>`.
    package var span: Range<Int>

    /// Tokenises the start tag that begins at `start` (a `<`). Nil when the bytes there are not
    /// a well-formed start tag.
    package init?(in bytes: [UInt8], at start: Int) {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "<") else { return nil }
        var index = start + 1
        let isSpace = ASCII.isWhitespace
        func isNameEnd(_ byte: UInt8) -> Bool { isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "=") }
        while index < bytes.count, !isNameEnd(bytes[index]) { index += 1 }
        guard index > start + 1 else { return nil }
        name = String(decoding: bytes[(start + 1)..<index], as: UTF8.self)
        nameEnd = index
        attributes = []
        while true {
            let spaceStart = index
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ">") {
                span = start..<(index + 1)
                return
            }
            if bytes[index] == UInt8(ascii: "/") {
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { return nil }
                span = start..<(index + 2)
                return
            }
            // An attribute needs white space before it.
            guard index > spaceStart else { return nil }
            let nameStart = index
            while index < bytes.count, !isNameEnd(bytes[index]) { index += 1 }
            guard index > nameStart else { return nil }
            let attributeName = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return nil }
            index += 1
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else { return nil }
            let quote = bytes[index]
            let valueStart = index + 1
            guard let close = bytes[valueStart...].firstIndex(of: quote) else { return nil }
            index = close + 1
            attributes.append(Attribute(name: attributeName, valueBytes: valueStart..<close, quote: quote,
                                        leadingSpace: spaceStart..<nameStart, span: nameStart..<index))
        }
    }

    package func attribute(_ name: String) -> Attribute? {
        attributes.first { $0.name == name }
    }

    /// Edits giving attributes values, in order: an existing attribute's value is replaced in
    /// place (escaped for the quote it already uses); absent ones are added after the last
    /// attribute in the tag's own layout: on the same line, or each on a new line indented
    /// like the attributes above when those stand on lines of their own.
    package func edits(setting values: [(name: String, value: String)], in bytes: [UInt8]) -> [TextEdit] {
        var edits: [TextEdit] = []
        var added: [UInt8] = []
        let quote = attributes.last?.quote ?? UInt8(ascii: "\"")
        let separator = newAttributeSeparator(in: bytes)
        for (name, value) in values {
            if let existing = attribute(name) {
                edits.append(TextEdit(range: existing.valueBytes, replacement: Self.escaped(value, quote: existing.quote)))
            } else {
                added += separator + Array(name.utf8) + [UInt8(ascii: "="), quote] + Self.escaped(value, quote: quote) + [quote]
            }
        }
        if !added.isEmpty {
            let anchor = attributes.last?.span.upperBound ?? nameEnd
            edits.append(TextEdit(range: anchor..<anchor, replacement: added))
        }
        return edits
    }

    /// A space, or the line break the file uses (CRLF or LF) and the indentation of the last
    /// attribute that begins its own line.
    private func newAttributeSeparator(in bytes: [UInt8]) -> [UInt8] {
        guard let space = attributes.reversed().lazy.map({ bytes[$0.leadingSpace] }).first(where: { $0.contains(0x0A) }) else {
            return [0x20]
        }
        let lastBreak = space.lastIndex(of: 0x0A)!
        let lineEnd: [UInt8] = lastBreak > space.startIndex && space[lastBreak - 1] == 0x0D ? [0x0D, 0x0A] : [0x0A]
        return lineEnd + Array(space[(lastBreak + 1)...])
    }

    /// The bytes of a value for an attribute quoted with `quote`: markup characters, the quote
    /// and white space that attribute-value normalisation would alter are escaped.
    package static func escaped(_ value: String, quote: UInt8) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): result += Array("&amp;".utf8)
            case UInt8(ascii: "<"): result += Array("&lt;".utf8)
            case UInt8(ascii: "\"") where quote == byte: result += Array("&quot;".utf8)
            case UInt8(ascii: "'") where quote == byte: result += Array("&apos;".utf8)
            case 0x09: result += Array("&#9;".utf8)
            case 0x0A: result += Array("&#10;".utf8)
            case 0x0D: result += Array("&#13;".utf8)
            default: result.append(byte)
            }
        }
        return result
    }
}

/// Replace the bytes of `range` with `replacement` (an empty range inserts).
package struct TextEdit: Sendable, Hashable {
    package var range: Range<Int>
    package var replacement: [UInt8]

    package init(range: Range<Int>, replacement: [UInt8]) {
        self.range = range
        self.replacement = replacement
    }

    package struct OverlapError: Error, Sendable {}

    /// Applies edits to the original bytes; edits may come in any order but must not overlap
    /// (two insertions at one offset count as overlapping: their order would be a guess).
    package static func apply(_ edits: [TextEdit], to bytes: [UInt8]) throws(OverlapError) -> [UInt8] {
        let sorted = edits.sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        for (previous, next) in zip(sorted, sorted.dropFirst())
        where next.range.lowerBound < previous.range.upperBound || next.range.lowerBound == previous.range.lowerBound {
            throw OverlapError()
        }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + sorted.reduce(0) { $0 + $1.replacement.count })
        var cursor = 0
        for edit in sorted {
            result += bytes[cursor..<edit.range.lowerBound]
            result += edit.replacement
            cursor = edit.range.upperBound
        }
        result += bytes[cursor...]
        return result
    }
}
