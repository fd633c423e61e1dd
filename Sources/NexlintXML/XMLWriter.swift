import CLibXML2

/// Writes an indented UTF-8 XML document with libxml2's `xmlTextWriter`, which escapes text
/// and attribute values correctly for where they go.
package final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    package init() {
        XMLParser.initialize()
        buffer = xmlBufferCreate()
        writer = xmlNewTextWriterMemory(buffer, 0)
        xmlTextWriterSetIndent(writer, 1)
        xmlTextWriterSetIndentString(writer, "  ")
        xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil)
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    package func startElement(_ name: String) {
        xmlTextWriterStartElement(writer, name)
    }

    package func attribute(_ name: String, _ value: String) {
        xmlTextWriterWriteAttribute(writer, name, Self.xmlSafe(value))
    }

    package func text(_ content: String) {
        xmlTextWriterWriteString(writer, Self.xmlSafe(content))
    }

    package func endElement() {
        xmlTextWriterEndElement(writer)
    }

    /// Ends every open element and the document, and returns the text.
    package func finish() -> String {
        xmlTextWriterEndDocument(writer)
        xmlTextWriterFlush(writer)
        return String(cString: xmlBufferContent(buffer))
    }

    /// XML 1.0 cannot hold most control characters even escaped; they become U+FFFD.
    private static func xmlSafe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isAllowed($0) }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isAllowed($0) ? $0 : "\u{FFFD}" }))
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
