/// The part of YAML a configuration file needs, read without Foundation (so the command-line
/// tool links the Swift runtime statically and starts in a couple of milliseconds): block
/// mappings and sequences by indentation, one-line flow sequences and mappings (`[a, b]`,
/// `{a: b}`), plain, single-quoted and double-quoted scalars, comments, and a `---` / `...`
/// document marker. Anchors, aliases, tags, block scalars (`|`, `>`), multi-line flow
/// collections and several documents are refused with a clear message; so are tabs in
/// indentation and duplicate keys.
enum ConfigurationYAML {
    indirect enum Node {
        case scalar(String, line: Int)
        case sequence([Node], line: Int)
        case mapping([(key: Node, value: Node)], line: Int)

        var line: Int {
            switch self {
            case .scalar(_, let line), .sequence(_, let line), .mapping(_, let line): line
            }
        }
    }

    struct SyntaxError: Error {
        var line: Int
        var problem: String
    }

    /// The document's root, or nil when it holds nothing but comments and blank lines.
    static func parse(_ text: String) throws(SyntaxError) -> Node? {
        var lines: [Line] = []
        var ended = false
        // "\r\n" is one Character, so it is a separator of its own.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let number = index + 1
            var content = Substring(raw)
            if content.last == "\r" { content = content.dropLast() }
            let indentation = content.prefix { $0 == " " || $0 == "\t" }
            let body = try withoutComment(content.dropFirst(indentation.count), line: number)
            guard !body.isEmpty else { continue }
            if indentation.contains("\t") { throw SyntaxError(line: number, problem: "a tab in indentation") }
            if indentation.isEmpty, body == "---" || body.hasPrefix("--- ") {
                guard lines.isEmpty, !ended else { throw SyntaxError(line: number, problem: "several documents in one file") }
                let rest = body.dropFirst(3).drop { $0 == " " }
                if !rest.isEmpty { lines.append(Line(number: number, indentation: 0, text: rest)) }
                continue
            }
            if indentation.isEmpty, body == "..." {
                ended = true
                continue
            }
            guard !ended else { throw SyntaxError(line: number, problem: "content after the end of the document") }
            lines.append(Line(number: number, indentation: indentation.count, text: body))
        }
        guard !lines.isEmpty else { return nil }
        var reader = BlockReader(lines: lines)
        let root = try reader.block(indentation: lines[0].indentation)
        if reader.position < lines.count {
            throw SyntaxError(line: lines[reader.position].number, problem: "unexpected indentation")
        }
        return root
    }

    private struct Line {
        var number: Int
        var indentation: Int
        var text: Substring
    }

    /// The line without a comment (a `#` at its start or after white space, outside quotes)
    /// and without trailing white space.
    private static func withoutComment(_ text: Substring, line: Int) throws(SyntaxError) -> Substring {
        var quote: Character?
        var previous: Character = " "
        var end = text.endIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == "\\" && open == "\"" {
                    index = text.index(after: index)
                    if index == text.endIndex { break }
                } else if character == open {
                    quote = nil
                }
            } else if character == "#" && (previous == " " || previous == "\t") {
                end = index
                break
            } else if (character == "\"" || character == "'") && isValueStart(text[..<index]) {
                quote = character
            }
            previous = character
            index = text.index(after: index)
        }
        return withoutTrailingSpaces(text[..<end])
    }

    private static func withoutTrailingSpaces(_ text: Substring) -> Substring {
        var result = text
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }

    /// Whether a quote at this point opens a quoted scalar: at the start of a value, after
    /// `- `, `: `, `[`, `{` or `,`.
    private static func isValueStart(_ before: Substring) -> Bool {
        guard let last = before.last(where: { $0 != " " }) else { return true }
        if last == "-" || last == ":" { return before.last == " " }
        return last == "[" || last == "{" || last == ","
    }

    /// How deep lists and mappings may nest, in a block or on a line: a configuration needs
    /// three levels; a file nested thousands deep is refused, not followed down the stack.
    static let maximumNesting = 32

    private static func tooDeep(_ line: Int) -> SyntaxError {
        SyntaxError(line: line, problem: "lists and mappings nest more than \(maximumNesting) deep")
    }

    private struct BlockReader {
        let lines: [Line]
        var position = 0
        var depth = 0

        /// The block starting at the current line, which has exactly this indentation.
        mutating func block(indentation: Int) throws(SyntaxError) -> Node {
            let line = lines[position]
            depth += 1
            defer { depth -= 1 }
            guard depth <= ConfigurationYAML.maximumNesting else { throw ConfigurationYAML.tooDeep(line.number) }
            if line.text == "-" || line.text.hasPrefix("- ") { return try sequence(indentation: indentation) }
            if ConfigurationYAML.keySplit(line.text) != nil { return try mapping(indentation: indentation) }
            position += 1
            return try ConfigurationYAML.inline(line.text, line: line.number)
        }

        private mutating func sequence(indentation: Int) throws(SyntaxError) -> Node {
            let first = lines[position].number
            var items: [Node] = []
            while position < lines.count, lines[position].indentation == indentation,
                  lines[position].text == "-" || lines[position].text.hasPrefix("- ") {
                let line = lines[position]
                let item = line.text.dropFirst().drop { $0 == " " }
                position += 1
                if item.isEmpty {
                    items.append(try nested(under: indentation, line: line.number, allowingSequence: false))
                } else if ConfigurationYAML.keySplit(item) != nil {
                    throw SyntaxError(line: line.number, problem: "a mapping inside a list is not used by nexlint's configuration")
                } else {
                    items.append(try ConfigurationYAML.inline(item, line: line.number))
                }
            }
            return .sequence(items, line: first)
        }

        private mutating func mapping(indentation: Int) throws(SyntaxError) -> Node {
            let first = lines[position].number
            var entries: [(key: Node, value: Node)] = []
            var names = Set<String>()
            while position < lines.count, lines[position].indentation == indentation {
                let line = lines[position]
                guard let (keyText, valueText) = ConfigurationYAML.keySplit(line.text) else {
                    throw SyntaxError(line: line.number, problem: "expected `key: value`")
                }
                let key = try ConfigurationYAML.inline(keyText, line: line.number)
                guard case .scalar(let name, _) = key else { throw SyntaxError(line: line.number, problem: "a key must be a scalar") }
                guard names.insert(name).inserted else {
                    throw SyntaxError(line: line.number, problem: "duplicate key `\(name)`")
                }
                position += 1
                let value = valueText.isEmpty
                    ? try nested(under: indentation, line: line.number, allowingSequence: true)
                    : try ConfigurationYAML.inline(valueText, line: line.number)
                entries.append((key, value))
            }
            return .mapping(entries, line: first)
        }

        /// The block under a `key:` or `-` with nothing after it, or an empty scalar. A list
        /// may sit at its key's own indentation, as YAML allows.
        private mutating func nested(under indentation: Int, line: Int, allowingSequence: Bool) throws(SyntaxError) -> Node {
            guard position < lines.count else { return .scalar("", line: line) }
            let next = lines[position]
            if next.indentation > indentation { return try block(indentation: next.indentation) }
            if allowingSequence, next.indentation == indentation, next.text == "-" || next.text.hasPrefix("- ") {
                return try sequence(indentation: indentation)
            }
            return .scalar("", line: line)
        }
    }

    /// `key: value` split at the first `:` followed by a space or the end, outside quotes and
    /// brackets; nil when the text is not a mapping entry.
    private static func keySplit(_ text: Substring) -> (Substring, Substring)? {
        if let first = text.first, "[{".contains(first) { return nil }
        var quote: Character?
        var index = text.startIndex
        if let first = text.first, first == "\"" || first == "'" { quote = first; index = text.index(after: index) }
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == "\\" && open == "\"" {
                    index = text.index(after: index)
                } else if character == open {
                    quote = nil
                }
            } else if character == ":" {
                let after = text.index(after: index)
                if after == text.endIndex || text[after] == " " {
                    return (withoutTrailingSpaces(text[..<index]), text[after...].drop { $0 == " " })
                }
            }
            if index < text.endIndex { index = text.index(after: index) }
        }
        return nil
    }

    /// A value written on one line: a flow collection or a scalar.
    private static func inline(_ text: Substring, line: Int) throws(SyntaxError) -> Node {
        var cursor = FlowCursor(text: text, line: line)
        let node = try cursor.value(inFlow: false)
        cursor.skipSpaces()
        guard cursor.atEnd else { throw SyntaxError(line: line, problem: "unexpected `\(cursor.rest)`") }
        return node
    }

    private struct FlowCursor {
        let text: Substring
        let line: Int
        var index: Substring.Index
        var depth = 0

        init(text: Substring, line: Int) {
            self.text = text
            self.line = line
            index = text.startIndex
        }

        var atEnd: Bool { index == text.endIndex }
        var rest: Substring { text[index...] }
        var current: Character? { atEnd ? nil : text[index] }

        mutating func skipSpaces() {
            while let character = current, character == " " { advance() }
        }

        mutating func advance() { index = text.index(after: index) }

        mutating func value(inFlow: Bool) throws(SyntaxError) -> Node {
            skipSpaces()
            switch current {
            case "[": return try flowSequence()
            case "{": return try flowMapping()
            case "\"", "'": return .scalar(try quoted(), line: line)
            case "&", "*", "!", "|", ">", "%", "@", "`":
                throw SyntaxError(line: line, problem: "`\(current!)` (anchors, aliases, tags, block scalars) is not supported in nexlint's configuration")
            default: return .scalar(plain(inFlow: inFlow), line: line)
            }
        }

        private mutating func flowSequence() throws(SyntaxError) -> Node {
            try enter()
            defer { depth -= 1 }
            var items: [Node] = []
            skipSpaces()
            if current == "]" { advance(); return .sequence(items, line: line) }
            while true {
                items.append(try value(inFlow: true))
                skipSpaces()
                switch current {
                case ",": advance()
                case "]": advance(); return .sequence(items, line: line)
                default: throw SyntaxError(line: line, problem: "a `[` list must end with `]` on the same line")
                }
            }
        }

        private mutating func enter() throws(SyntaxError) {
            depth += 1
            guard depth <= ConfigurationYAML.maximumNesting else { throw ConfigurationYAML.tooDeep(line) }
            advance()
        }

        private mutating func flowMapping() throws(SyntaxError) -> Node {
            try enter()
            defer { depth -= 1 }
            var entries: [(key: Node, value: Node)] = []
            skipSpaces()
            if current == "}" { advance(); return .mapping(entries, line: line) }
            while true {
                let key = try value(inFlow: true)
                skipSpaces()
                guard current == ":" else { throw SyntaxError(line: line, problem: "expected `:` in a `{` mapping") }
                advance()
                entries.append((key, try value(inFlow: true)))
                skipSpaces()
                switch current {
                case ",": advance()
                case "}": advance(); return .mapping(entries, line: line)
                default: throw SyntaxError(line: line, problem: "a `{` mapping must end with `}` on the same line")
                }
            }
        }

        private mutating func plain(inFlow: Bool) -> String {
            let start = index
            while let character = current {
                if inFlow && ",[]{}".contains(character) { break }
                if character == ":" {
                    let after = text.index(after: index)
                    if after == text.endIndex || text[after] == " " || (inFlow && ",[]{}".contains(text[after])) { break }
                }
                advance()
            }
            return String(ConfigurationYAML.withoutTrailingSpaces(text[start..<index]))
        }

        private mutating func quoted() throws(SyntaxError) -> String {
            let quote = current!
            advance()
            var result = ""
            while let character = current {
                advance()
                if character == quote {
                    // In single quotes, '' is one quote.
                    guard quote == "'" && current == "'" else { return result }
                    advance()
                    result.append("'")
                } else if character == "\\" && quote == "\"" {
                    guard let escaped = current else { break }
                    advance()
                    switch escaped {
                    case "n": result.append("\n")
                    case "t": result.append("\t")
                    case "r": result.append("\r")
                    case "0": result.append("\0")
                    case "\"", "\\", "/", " ": result.append(escaped)
                    default: throw SyntaxError(line: line, problem: "unknown escape `\\\(escaped)`")
                    }
                } else {
                    result.append(character)
                }
            }
            throw SyntaxError(line: line, problem: "a quoted value must end on the same line")
        }
    }
}
