import NexlintConfig
import NexlintCore
import NexlintRules
import NexlintXML

private let ruleIdentifiers = RuleCatalog.all.map { type(of: $0).description.identifier }

/// `.nexlint.yml`: any bytes give a configuration or a ConfigurationError, never a crash; an
/// error names the file and, when it has one, a line within the text.
func fuzzConfiguration(_ bytes: [UInt8]) {
    do {
        let configuration = try Configuration.parse(bytes, file: "/fuzz/.nexlint.yml", ruleIdentifiers: ruleIdentifiers,
                                                    workingDirectory: "/fuzz")
        _ = configuration.exclude?.excludes("/fuzz/a/b.environment", workingDirectory: "/fuzz")
    } catch {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
        precondition(error.line.map { (1...max(lines, 1)).contains($0) } ?? true, "error line \(error.line!) outside the text")
    }
}

/// A baseline: any bytes give a baseline or a ConfigurationError; a baseline read filters
/// findings without trapping, whatever its counts.
func fuzzBaseline(_ bytes: [UInt8]) {
    guard let baseline = try? BaselineFile.parse(bytes, file: "fuzz.json") else { return }
    let finding = Finding(ruleID: "EXO008", severity: .warning, location: SourceLocation(file: "a.environment", position: SourcePosition(line: 1, column: 1)),
                          message: "m", element: "Environment", secret: SecretValue("text:x"))
    let kept = baseline.newFindings(Array(repeating: finding, count: 3), repository: RepositoryLocation(root: "/r", workingDirectory: "/r"))
    precondition(kept.count <= 3)
    _ = baseline.serialized()
}

/// Exclusion globs: the first line is a pattern, the second a path. Small cases are checked
/// against a plain backtracking matcher; every case must finish (no exponential work).
func fuzzGlob(_ bytes: [UInt8]) {
    let parts = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false)
    let pattern = String(decoding: parts.first ?? [], as: UTF8.self)
    let name = String(decoding: parts.count > 1 ? parts[1] : [], as: UTF8.self)
    let filter = PathFilter(patterns: [pattern], base: "/base")
    let path = "/base/" + name
    let excluded = filter.excludes(path, workingDirectory: "/")
    // The reference: the same rules, matched by trying every split (fine for small inputs).
    // Paths are split on the scalar `/`: a combining mark after it is a name's first scalar.
    let patternScalars = Array(pattern.unicodeScalars), nameScalars = Array(name.unicodeScalars)
    let slash: Unicode.Scalar = "/"
    let components = nameScalars.split(separator: slash, omittingEmptySubsequences: false)
    guard patternScalars.count <= 10, nameScalars.count <= 16, !patternScalars.contains("["),
          !patternScalars.isEmpty, !nameScalars.isEmpty, patternScalars.first != slash, patternScalars.last != slash,
          !components.contains(where: { $0.isEmpty || $0.elementsEqual(["."]) || $0.elementsEqual([".", "."]) }) else { return }
    let expected: Bool
    if patternScalars.contains(slash) {
        expected = (1...components.count).contains { count in
            referenceMatch(patternScalars[...], Array(components.prefix(count).joined(separator: [slash]))[...])
        }
    } else {
        expected = components.contains { referenceMatch(patternScalars[...], $0) }
    }
    precondition(excluded == expected, "glob `\(pattern)` on `\(name)`: \(excluded), reference \(expected)")
}

private func referenceMatch(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
    guard let first = pattern.first else { return text.isEmpty }
    switch first {
    case "*" where pattern.dropFirst().first == "*":
        var rest = pattern.dropFirst(2)
        if rest.first == "/" {
            rest = rest.dropFirst()
            // Nothing, or any run ending with `/`.
            if referenceMatch(rest, text) { return true }
            return text.indices.contains { text[$0] == "/" && referenceMatch(rest, text[($0 + 1)...]) }
        }
        return (text.startIndex...text.endIndex).contains { referenceMatch(rest, text[$0...]) }
    case "*":
        var index = text.startIndex
        while true {
            if referenceMatch(pattern.dropFirst(), text[index...]) { return true }
            guard index < text.endIndex, text[index] != "/" else { return false }
            index += 1
        }
    case "?":
        guard let character = text.first, character != "/" else { return false }
        return referenceMatch(pattern.dropFirst(), text.dropFirst())
    default:
        return text.first == first && referenceMatch(pattern.dropFirst(), text.dropFirst())
    }
}

/// Property expansion: each line `name=value` becomes a root attribute; every value is resolved
/// through the unit's resolver. Results stay within the bounds, failures say which bound.
func fuzzProperties(_ bytes: [UInt8]) {
    var attributes = ""
    var index = 0
    for line in bytes.split(separator: UInt8(ascii: "\n")).prefix(64) {
        let text = String(decoding: line, as: UTF8.self)
        let (name, value) = text.firstIndex(of: "=").map { (String(text[..<$0]), String(text[text.index(after: $0)...])) } ?? ("p\(index)", text)
        let isName = name.unicodeScalars.first.map { ("a"..."z").contains($0) } ?? false
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." }
        let cleanName = isName ? name : "p\(index)"
        guard !attributes.contains(" \(cleanName)=\"") else { continue }
        let escaped = value.replacingAll(["&": "&amp;", "<": "&lt;", "\"": "&quot;"])
        attributes += " \(cleanName)=\"\(escaped)\""
        index += 1
    }
    guard case .success(let xml) = XMLParser.parse(Array("<Environment\(attributes)/>".utf8)) else { return }
    let resolver = PropertyResolver(external: ["outside": "x"], roots: [NexJElement(xml.root)])
    for attribute in xml.root.attributes {
        if let resolved = resolver.resolve(attribute.value) {
            precondition(resolved.text.utf8.count <= PropertyResolver.maximumLength, "a value expanded past the bound")
        }
        resolver.forEachUnresolvableReference(in: attribute.value) { _, _ in }
        _ = resolver.value(of: attribute.name)
    }
}

/// Start-tag editing: the fuzz bytes as a file; attributes set on the start tags libxml2
/// reports (values drawn from the bytes). A rewrite must parse again, read back the values
/// set, and keep every byte outside the edited tags.
func fuzzRewrite(_ bytes: [UInt8]) {
    guard case .success(let xml) = XMLParser.parse(bytes, options: NexJFileLoader.parseEverything) else { return }
    var elements: [XMLElement] = []
    var pending = [xml.root]
    while let element = pending.popLast(), elements.count < 8 {
        elements.append(element)
        pending += element.children
    }
    guard xml.transcodedFrom == nil else { return }
    let names = ["secure", "url", "authComponent", "new-attribute", elements.first?.attributes.first?.name ?? "a"]
    let values = ["true", "a\"b'c", "<&>", "", String(decoding: bytes.prefix(12).filter { (0x20...0x7E).contains($0) }, as: UTF8.self)]
    let changes = elements.enumerated().map { offset, element in
        (tag: element.startTagBytes, element: element.name,
         values: [AttributeValueChange(names[offset % names.count], values[(offset + bytes.count) % values.count])])
    }
    guard let rewrite = Rewrite.make(path: "fuzz.environment", source: bytes, changes: changes) else { return }
    guard case .success(let after) = XMLParser.parse(rewrite.updated, options: NexJFileLoader.parseEverything) else {
        preconditionFailure("a rewrite of a well-formed file does not parse")
    }
    // Every byte outside the edited start tags is kept, in order.
    let spans = changes.map(\.tag).sorted { $0.lowerBound < $1.lowerBound }
    var original = 0, updated = 0
    for span in spans {
        let gap = span.lowerBound - original
        precondition(Array(bytes[original..<span.lowerBound]) == Array(rewrite.updated[updated..<(updated + gap)]), "bytes between tags changed")
        guard let tag = StartTag(in: rewrite.updated, at: updated + gap) else { preconditionFailure("an edited tag does not tokenise") }
        original = span.upperBound
        updated = tag.span.upperBound
    }
    precondition(Array(bytes[original...]) == Array(rewrite.updated[updated...]), "bytes after the last tag changed")
    // The values set read back.
    var edited: [XMLElement] = []
    var queue = [after.root]
    while let element = queue.popLast(), edited.count < elements.count {
        edited.append(element)
        queue += element.children
    }
    for (offset, element) in edited.enumerated() {
        let name = names[offset % names.count], value = values[(offset + bytes.count) % values.count]
        precondition(element[name] == value, "attribute \(name) does not read back")
    }
}

private extension String {
    func replacingAll(_ replacements: KeyValuePairs<String, String>) -> String {
        var result = self
        for (from, to) in replacements { result = result.split(separator: from, omittingEmptySubsequences: false).joined(separator: to) }
        return result
    }
}

/// The attribute bound's walk: on a document libxml2 parses, a tag with more attributes than
/// the limit is found (libxml2's count leaves out namespace declarations, so the walk may count
/// more, never fewer), none is found at a limit no tag passes, and the shortcut that skips the
/// walk never skips a file where the walk finds one.
func fuzzAttributeLimit(_ bytes: [UInt8]) {
    guard case .success(let document) = XMLParser.parse(bytes) else { return }
    var most = 0
    var pending = [document.root]
    while let element = pending.popLast() {
        most = max(most, element.attributeCount)
        pending += element.children
    }
    bytes.withUnsafeBufferPointer { buffer in
        for limit in 0...max(most, 1) {
            let found = AttributeLimit.firstStartTagExceedingByWalk(limit, in: buffer)
            if limit < most { precondition(found != nil, "a tag of \(most) attributes passed the limit \(limit)") }
            if limit >= most, !bytes.containsXMLNamespaceDeclaration {
                precondition(found == nil, "a tag past \(limit) attributes where libxml2 saw at most \(most)")
            }
            if !AttributeLimit.hasRunWithoutLessThan(longerThan: AttributeLimit.minimumTagLength(limit), in: buffer) {
                precondition(found == nil, "the shortcut skipped a file with a tag past \(limit) attributes")
            }
        }
    }
}

private extension [UInt8] {
    var containsXMLNamespaceDeclaration: Bool {
        let marker = Array("xmlns".utf8)
        return count >= marker.count && (0...(count - marker.count)).contains { self[$0..<($0 + marker.count)].elementsEqual(marker) }
    }
}
