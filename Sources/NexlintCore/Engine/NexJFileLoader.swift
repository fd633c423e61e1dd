import NexlintXML

/// Turns a file's bytes into a ``NexJFile``: encrypted, malformed, wrong root, or a document.
public enum NexJFileLoader {
    /// What the model reads of a file for the rules: channel names and what makes a channel
    /// an Exchange Online one, `<Connection name>` of `<ValidConnections>`, sync targets (the
    /// root's attributes are always kept); password attributes (EXO008) and values with `${`
    /// (NXJ004), which are also marked so the rules need not search for them; comments that are
    /// suppressions.
    static let modelReads = AttributesRead(elements: ["SyncTarget"],
                                           attributes: ["channel", "name", "url", "authentication", "authComponent", "enabled"])

    /// What a parse keeps for these rules: what the model reads and what each rule declares
    /// it reads (``RuleDescription/reads``); the rest is parsed, checked and dropped. The
    /// rule-example tests compare every rule's findings with and without the selection.
    package static func parseOptions(reading rules: [RuleDescription]) -> ParseOptions {
        let reads = [modelReads] + rules.map(\.reads)
        return ParseOptions(
            attributes: AttributeSelection(elementsKeepingAll: Set(reads.flatMap(\.elements)),
                                           namesKept: Set(reads.flatMap(\.attributes))),
            markNameSuffixes: parseEverything.markNameSuffixes,
            markValuesContaining: parseEverything.markValuesContaining,
            commentPrefix: Suppression.directivePrefix)
    }

    /// Everything kept, with the same marks: what the selection is checked against.
    package static let parseEverything = ParseOptions(markNameSuffixes: ["password"],
                                                     markValuesContaining: [PropertyReference.opening])

    /// `context`: the calling worker's, when it parses many files.
    package static func load(path: String, bytes: [UInt8], keepingSource: Bool = false,
                            options: ParseOptions, context: ParserContext = ParserContext()) -> NexJFile {
        var file = load(path: path, bytes: bytes, options: options, context: context)
        if keepingSource { file.source = bytes }
        return file
    }

    private static func load(path: String, bytes: [UInt8], options: ParseOptions, context: ParserContext) -> NexJFile {
        // Only a NexJ root makes a `.config` file ours: one that cannot be read as such is
        // someone else's, where another file would get NXJ001, NXJ002 or NXJ005.
        let isShared = NexJFileKind.isSharedConfiguration(path)
        // NexJ reads every file through its cipher dispatcher: `text:`, `base64:` and `hex:` are
        // encodings, read here too; what is under them is checked like any file.
        var bytes = bytes
        var encoding: String?
        if let (scheme, decoded) = encodedContent(of: bytes) {
            bytes = decoded
            encoding = scheme
        } else if let scheme = cipherScheme(of: bytes) {
            return NexJFile(path: path, content: isShared ? .unrelated : .encrypted(scheme: scheme))
        }
        switch XMLParser.parse(bytes, options: options, context: context).map({ xml in
            var xml = xml
            if let encoding { xml.transcodedFrom = encoding }
            return xml
        }) {
        case .failure(let error):
            return NexJFile(path: path, content: isShared ? .unrelated : .malformed(ParseFailure(error)))
        case .success(let xml):
            let required = NexJFileKind(path: path)
            let kind = required ?? NexJFileKind(rootElement: xml.root.name)
            if isShared, kind == nil || kind == .syncTargets {
                return NexJFile(path: path, content: .unrelated)
            }
            if let doctype = xml.entityDeclarations {
                return NexJFile(path: path, content: .declaresEntities(SourcePosition(doctype)))
            }
            guard let kind, xml.root.name == kind.rootElement else {
                return NexJFile(path: path, content: .wrongRoot(NexJElement(xml.root), expected: required))
            }
            return NexJFile(path: path, content: .document(NexJDocument(kind: kind, xml: xml)))
        }
    }

    /// A whole file behind `text:`, `base64:` or `hex:` (a byte-order mark and white space
    /// before it allowed): the scheme with its colon and what it decodes to; nil for any
    /// other file, and for an encoding that does not decode (then it is cipher text to us).
    static func encodedContent(of bytes: [UInt8]) -> (scheme: String, decoded: [UInt8])? {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count, ASCII.isWhitespace(bytes[start]) { start += 1 }
        let rest = bytes[start...]
        for scheme in ["text:", "base64:", "hex:"] where rest.starts(with: scheme.utf8) {
            let payload = rest.dropFirst(scheme.utf8.count)
            let decoded: [UInt8]?
            switch scheme {
            case "text:": decoded = Array(payload)
            case "base64:": decoded = PasswordValue.base64Bytes(payload.filter { !ASCII.isWhitespace($0) })
            default: decoded = PasswordValue.hexBytes(payload.filter { !ASCII.isWhitespace($0) })
            }
            return decoded.map { (scheme, $0) }
        }
        return nil
    }

    /// NexJ encrypts a whole file as `scheme:` followed by the cipher text (`master:...`).
    /// Recognised: `master:` with anything after it, or another short lowercase scheme whose
    /// payload looks like cipher text (base64 or hex characters only).
    static func cipherScheme(of bytes: [UInt8]) -> String? {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count, ASCII.isWhitespace(bytes[start]) { start += 1 }
        let head = bytes[start..<min(bytes.count, start + 96)]
        guard let colon = head.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let scheme = head[..<colon]
        guard (1...16).contains(scheme.count),
              scheme.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }) else { return nil }
        let name = String(decoding: scheme, as: UTF8.self)
        let payload = head[(colon + 1)...].prefix { ![0x0A, 0x0D].contains($0) }
        let looksEncrypted = !payload.isEmpty && payload.allSatisfy { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
        }
        return name == "master" || looksEncrypted ? name : nil
    }
}
