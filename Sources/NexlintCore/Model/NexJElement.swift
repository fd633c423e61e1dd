import NexlintXML

/// An element of a checked file as rules see it: its name, attributes, children and where its
/// start tag is. A handle into the parsed document: copying one copies a reference and an index.
public struct NexJElement: Sendable {
    package let xml: XMLElement

    package init(_ xml: XMLElement) {
        self.xml = xml
    }

    public var name: String { xml.name }

    /// Whether the element is named `name`, compared without copying the name out.
    public func isNamed(_ name: String) -> Bool {
        xml.isNamed(name)
    }

    /// The attributes the parse kept: every attribute of the root, and on other elements those
    /// the model and the enabled rules read (``RuleDescription/reads``).
    public var attributes: [NexJAttribute] {
        xml.attributes.map(NexJAttribute.init)
    }

    /// How many attributes the parse kept.
    public var attributeCount: Int { xml.attributeCount }

    /// Its child elements in document order.
    public var children: [NexJElement] {
        xml.children.map(NexJElement.init)
    }

    /// Each child element in document order, without gathering them into an array.
    public func forEachChild(_ body: (NexJElement) -> Void) {
        xml.forEachChildElement { body(NexJElement($0)) }
    }

    /// Where the start tag's `<` is.
    public var position: SourcePosition { SourcePosition(xml.position) }

    /// Byte range of the start tag, `<` through `>`, in the UTF-8 text that was parsed (the
    /// file itself unless the document says it was transcoded).
    package var startTagBytes: Range<Int> { xml.startTagBytes }

    /// An attribute's value, references decoded; nil when the element has no such attribute.
    public subscript(_ name: String) -> String? {
        xml[name]
    }
}
