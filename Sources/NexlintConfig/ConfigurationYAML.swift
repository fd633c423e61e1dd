import CYAML

/// `.nexlint.yml` read as YAML reads it (spec §4): libyaml parses, and its events become a
/// small tree of scalars, sequences and mappings with their lines. Anchors, aliases, flow and
/// block styles and block scalars are YAML's; tags are read past. What a configuration cannot
/// be is refused with the line: duplicate keys, several documents, nesting deeper than
/// ``maximumNesting``, and aliases that would expand past ``maximumNodes`` nodes (a YAML
/// "billion laughs").
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

    /// How deep lists and mappings may nest: a configuration needs three levels.
    static let maximumNesting = 32
    /// How many nodes a document may hold once its aliases are expanded.
    static let maximumNodes = 100_000

    /// The document's root, or nil when it holds nothing but comments and blank lines.
    static func parse(_ text: String) throws(SyntaxError) -> Node? {
        var bytes = Array(text.utf8)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) != 0 else { throw SyntaxError(line: 1, problem: "libyaml could not start") }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeMutableBufferPointer { buffer throws(SyntaxError) -> Node? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Lines as an editor counts them (line feeds): libyaml also breaks lines at a lone
            // carriage return, and marks an error at the end of the input on the line after
            // the last one.
            var builder = TreeBuilder(lastLine: max(1, text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count))
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) != 0 else {
                    let line = builder.line(parser.problem_mark)
                    let problem = parser.problem.map { String(cString: $0) } ?? "not YAML"
                    let context = parser.context.map { String(cString: $0) + ": " } ?? ""
                    throw SyntaxError(line: line, problem: context + problem)
                }
                defer { yaml_event_delete(&event) }
                guard try builder.take(event) else { continue }
                // A document with nothing in it (`---` alone) is YAML's null: no configuration.
                if case .scalar("", _)? = builder.root { return nil }
                return builder.root
            }
        }
    }

    /// Builds the tree from libyaml's events, with a stack of the collections still open.
    private struct TreeBuilder {
        private enum Open {
            case sequence(items: [Node], line: Int, anchor: String?, size: Int)
            case mapping(entries: [(key: Node, value: Node)], pendingKey: Node?, keys: Set<String>, line: Int,
                         anchor: String?, size: Int)
        }

        let lastLine: Int
        private(set) var root: Node?
        private var stack: [Open] = []
        private var anchors: [String: (node: Node, size: Int)] = [:]
        private var documents = 0
        private var nodes = 0

        /// Takes one event; true at the end of the stream.
        mutating func take(_ event: yaml_event_t) throws(SyntaxError) -> Bool {
            let line = line(event.start_mark)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return true
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                guard documents == 1 else { throw SyntaxError(line: line, problem: "several documents in one file") }
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                try add(.scalar(text, line: line), size: 1, anchor: Self.string(scalar.anchor), line: line)
            case YAML_ALIAS_EVENT:
                let name = Self.string(event.data.alias.anchor) ?? ""
                guard let anchored = anchors[name] else { throw SyntaxError(line: line, problem: "alias `*\(name)` names no anchor") }
                try add(anchored.node, size: anchored.size, anchor: nil, line: line)
            case YAML_SEQUENCE_START_EVENT:
                try open(.sequence(items: [], line: line, anchor: Self.string(event.data.sequence_start.anchor), size: 1), line: line)
            case YAML_MAPPING_START_EVENT:
                try open(.mapping(entries: [], pendingKey: nil, keys: [], line: line,
                                  anchor: Self.string(event.data.mapping_start.anchor), size: 1), line: line)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let closed = stack.popLast() else { break }
                switch closed {
                case .sequence(let items, let start, let anchor, let size):
                    try add(.sequence(items, line: start), size: size, anchor: anchor, line: line)
                case .mapping(let entries, _, _, let start, let anchor, let size):
                    try add(.mapping(entries, line: start), size: size, anchor: anchor, line: line)
                }
            default:
                break
            }
            return false
        }

        init(lastLine: Int) {
            self.lastLine = lastLine
        }

        func line(_ mark: yaml_mark_t) -> Int {
            min(Int(mark.line) + 1, lastLine)
        }

        private mutating func open(_ collection: Open, line: Int) throws(SyntaxError) {
            guard stack.count < ConfigurationYAML.maximumNesting else {
                throw SyntaxError(line: line, problem: "lists and mappings nest more than \(ConfigurationYAML.maximumNesting) deep")
            }
            stack.append(collection)
        }

        /// A finished node: the root, an item of the open sequence, or a key or value of the open mapping.
        private mutating func add(_ node: Node, size: Int, anchor: String?, line: Int) throws(SyntaxError) {
            nodes += size
            guard nodes <= ConfigurationYAML.maximumNodes else {
                throw SyntaxError(line: line, problem: "aliases expand past \(ConfigurationYAML.maximumNodes) nodes")
            }
            if let anchor { anchors[anchor] = (node, size) }
            guard let top = stack.popLast() else {
                root = node
                return
            }
            switch top {
            case .sequence(var items, let start, let anchor, let total):
                items.append(node)
                stack.append(.sequence(items: items, line: start, anchor: anchor, size: total + size))
            case .mapping(var entries, let pendingKey, var keys, let start, let anchor, let total):
                if let key = pendingKey {
                    entries.append((key, node))
                    stack.append(.mapping(entries: entries, pendingKey: nil, keys: keys, line: start, anchor: anchor, size: total + size))
                } else {
                    if case .scalar(let name, let keyLine) = node {
                        guard keys.insert(name).inserted else { throw SyntaxError(line: keyLine, problem: "duplicate key `\(name)`") }
                    }
                    stack.append(.mapping(entries: entries, pendingKey: node, keys: keys, line: start, anchor: anchor, size: total + size))
                }
            }
        }

        private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
    }
}
