import NexlintXML

/// New contents for a file, made from the bytes it had when read.
public struct Rewrite: Sendable {
    public var path: String
    public var original: [UInt8]
    public var updated: [UInt8]

    public init(path: String, original: [UInt8], updated: [UInt8]) {
        self.path = path
        self.original = original
        self.updated = updated
    }

    /// The file as it will be: parsed again, for the re-lint that accepts a rewrite.
    package func reloaded(with options: ParseOptions) -> NexJFile {
        NexJFileLoader.load(path: path, bytes: updated, keepingSource: true, options: options)
    }

    /// Replaces the file through `writer`, refusing when it changed since it was read; with
    /// `backup`, the original is kept beside it as `FILE.bak`.
    public func commit(with writer: FileWriter, backup: Bool) -> Result<Void, FileProblem> {
        writer.replace(path, original: original, with: updated, backup: backup)
    }

    /// Applies attribute changes to start tags of a file's bytes. Changes to one tag are
    /// merged (one insertion point per tag); a tag that does not tokenise where it was
    /// recorded, with the element name recorded, makes the whole rewrite fail.
    public static func make(path: String, source: [UInt8],
                            changes: [(tag: Range<Int>, element: String, values: [AttributeValueChange])]) -> Rewrite? {
        var byTag: [Range<Int>: (element: String, values: [AttributeValueChange])] = [:]
        for change in changes {
            var entry = byTag[change.tag] ?? (change.element, [])
            for value in change.values where !entry.values.contains(where: { $0.name == value.name }) {
                entry.values.append(value)
            }
            byTag[change.tag] = entry
        }
        var edits: [TextEdit] = []
        for (range, entry) in byTag {
            guard let tag = StartTag(in: source, at: range.lowerBound), tag.span == range, tag.name == entry.element else { return nil }
            edits += tag.edits(setting: entry.values.map { ($0.name, $0.value) }, in: source)
        }
        guard let updated = try? TextEdit.apply(edits, to: source) else { return nil }
        return Rewrite(path: path, original: source, updated: updated)
    }
}
