import NexlintXML

/// One file as loaded: a checked document, or the reason it cannot be checked further.
public struct NexJFile: Sendable {
    public enum Content: Sendable {
        case document(NexJDocument)
        /// Not well-formed XML (NXJ001).
        case malformed(ParseFailure)
        /// Encrypted as a whole with the given cipher scheme (NXJ002).
        case encrypted(scheme: String)
        /// Declares entities in an internal DTD subset, at the `<!DOCTYPE` (NXJ008): what they
        /// hold would go unchecked, since nexlint never expands entities.
        case declaresEntities(SourcePosition)
        /// Well-formed, but its root element is not the one its kind requires (NXJ005).
        case wrongRoot(NexJElement, expected: NexJFileKind?)
        /// A `.config` file that is not a NexJ environment, server or connections file
        /// (`web.config`, or not XML at all): not linted, not counted, not reported.
        case unrelated
    }

    /// The path as reported: as given or found, relative to the working directory when under it.
    public var path: String
    public var content: Content
    /// The bytes as read, kept only by runs that may rewrite the file (fix, migrate).
    public var source: [UInt8]?

    public init(path: String, content: Content, source: [UInt8]? = nil) {
        self.path = path
        self.content = content
        self.source = source
    }

    /// A file of a unit that could not be checked (NXJ001, NXJ002, NXJ005, NXJ008): what a
    /// sync target looks for may be in it.
    public var isUncheckedUnitFile: Bool {
        switch content {
        case .document, .unrelated: false
        case .malformed, .encrypted, .declaresEntities, .wrongRoot: NexJFileKind(path: path) != .syncTargets
        }
    }

    public var isUnrelated: Bool {
        if case .unrelated = content { return true }
        return false
    }

    public var document: NexJDocument? {
        if case .document(let document) = content { return document }
        return nil
    }

    /// Units and sync targets are grouped by it.
    public var directory: String { PathNames.directory(of: path) }
}

/// A well-formed file whose root element matches its kind. A reference type: units, channels
/// and rules pass documents around, and a copy is then one reference, not one per field.
public final class NexJDocument: Sendable {
    public let kind: NexJFileKind
    public let root: NexJElement
    /// Only the comments that are suppression directives are kept (see ``Suppression``).
    package let comments: [XMLComment]
    public let transcodedFrom: String?
    /// Attributes whose value refers to a property (`${…}`), found once when the file is loaded.
    public let propertyReferences: ElementAttributes
    /// Attributes whose name ends in "password" (any case), found once when the file is loaded.
    public let passwordAttributes: ElementAttributes

    /// `xml`'s marks are those of ``NexJFileLoader/parseOptions(reading:)``: password attributes by name,
    /// property references by value.
    package init(kind: NexJFileKind, xml: XMLDocument) {
        self.kind = kind
        root = NexJElement(xml.root)
        comments = xml.comments
        transcodedFrom = xml.transcodedFrom
        propertyReferences = ElementAttributes(xml.attributesMarkedByValue)
        passwordAttributes = ElementAttributes(xml.attributesMarkedByName)
    }

    /// Why the file is never rewritten (`--fix`, `migrate`): it is not stored as UTF-8 text.
    /// Nil when it can be.
    public var whyNeverRewritten: String? {
        guard let transcodedFrom else { return nil }
        return transcodedFrom.hasSuffix(":") ? "the file is stored behind NexJ's `\(transcodedFrom)` scheme; it is never rewritten"
            : "the file is stored as \(transcodedFrom), not UTF-8; it is never rewritten"
    }

    /// Each channel connection (child of `<ChannelConnections>`), in document order: visited in
    /// place, as a unit makes its channels, rather than gathered into arrays first.
    public func forEachChannelElement(_ body: (NexJElement) -> Void) {
        root.forEachChild { section in
            if section.isNamed("ChannelConnections") { section.forEachChild(body) }
        }
    }

    /// For a `.server`: the `<Connection>` elements of its `<ValidConnections>`, which name
    /// the connections files (by base name) it may be deployed with.
    public var validConnectionElements: [NexJElement] {
        root.children.filter { $0.isNamed("ValidConnections") }.flatMap(\.children).filter { $0.isNamed("Connection") }
    }
}
