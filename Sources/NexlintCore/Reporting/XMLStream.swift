#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an indented UTF-8 XML document straight into a ``ByteOutput``, element by element,
/// laid out and escaped as libxml2's `xmlTextWriter` with two-space indentation does (the JUnit
/// report kept those bytes when it stopped building the document through libxml2): an element
/// without content closes with `/>`, one with text keeps it on its line, one with children
/// closes on a line of its own.
public struct XMLStream {
    private enum State { case startTagOpen, hasText, hasChildren }

    /// Per open element: its name and what it holds so far.
    private var open: [(name: String, state: State)] = []

    public init(_ output: inout ByteOutput) {
        output.append(contentsOf: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    /// Continues a document inside elements `names` that already hold children: a part
    /// written apart from its parent's start tag, to be copied in after ``beginChildren(_:)``.
    public init(inside names: [String]) {
        open = names.map { ($0, .hasChildren) }
    }

    /// Closes the innermost start tag for children written apart.
    public mutating func beginChildren(_ output: inout ByteOutput) {
        let last = open.count - 1
        if open[last].state == .startTagOpen { output.append(contentsOf: ">\n") }
        open[last].state = .hasChildren
    }

    public mutating func startElement(_ name: String, _ output: inout ByteOutput) {
        if let last = open.indices.last {
            if open[last].state == .startTagOpen { output.append(contentsOf: ">\n") }
            open[last].state = .hasChildren
        }
        indent(open.count, &output)
        output.append(UInt8(ascii: "<"))
        output.append(name)
        open.append((name, .startTagOpen))
    }

    public mutating func attribute(_ name: String, _ value: String, _ output: inout ByteOutput) {
        attribute(name, &output) { Self.appendEscaped(value, inAttribute: true, to: &$0) }
    }

    public mutating func attribute(_ name: String, _ value: Int, _ output: inout ByteOutput) {
        attribute(name, &output) { $0.append(number: value) }
    }

    /// ` name="…"`, the value written, already escaped, by `value`.
    public func attribute(_ name: String, _ output: inout ByteOutput, value: (inout ByteOutput) -> Void) {
        output.append(UInt8(ascii: " "))
        output.append(name)
        output.append(contentsOf: "=\"")
        value(&output)
        output.append(UInt8(ascii: "\""))
    }

    /// Text content, continuing any already written; an element holds text or children, not both.
    public mutating func text(_ content: String, _ output: inout ByteOutput) {
        beginText(&output)
        output.append(content, escaping: Self.escaped, Self.escapeInText)
    }

    /// Text content written, already escaped, by `write`.
    public mutating func text(_ output: inout ByteOutput, _ write: (inout ByteOutput) -> Void) {
        beginText(&output)
        write(&output)
    }

    /// The text escaped for an attribute value or for text content, once, for writing many times.
    public static func escaped(_ text: String, inAttribute: Bool) -> [UInt8] {
        var output = ByteOutput()
        appendEscaped(text, inAttribute: inAttribute, to: &output)
        return output.bytes
    }

    private mutating func beginText(_ output: inout ByteOutput) {
        let last = open.count - 1
        if open[last].state == .startTagOpen { output.append(UInt8(ascii: ">")) }
        open[last].state = .hasText
    }

    public mutating func endElement(_ output: inout ByteOutput) {
        let (name, state) = open.removeLast()
        switch state {
        case .startTagOpen:
            output.append(contentsOf: "/>\n")
        case .hasText:
            output.append(contentsOf: "</")
            output.append(name)
            output.append(contentsOf: ">\n")
        case .hasChildren:
            indent(open.count, &output)
            output.append(contentsOf: "</")
            output.append(name)
            output.append(contentsOf: ">\n")
        }
    }

    /// Ends every open element.
    public mutating func finish(_ output: inout ByteOutput) {
        while !open.isEmpty { endElement(&output) }
    }

    private func indent(_ depth: Int, _ output: inout ByteOutput) {
        output.append(spaces: 2 * depth)
    }

    /// `&`, `<`, `>` and `"` as entities everywhere; carriage returns as `&#13;`, and in
    /// attribute values tabs and line feeds as `&#9;` and `&#10;` too (so they survive
    /// attribute-value normalisation). Characters XML 1.0 cannot hold even escaped (most
    /// control characters, U+FFFE, U+FFFF) become U+FFFD.
    /// The bytes that may need replacing: `&<>"`, controls, and U+FFFE/U+FFFF's first byte.
    private static let escaped = ByteSet(Array(0..<0x20) + Array("&<>\"".utf8) + [0xEF])

    static func appendEscaped(_ text: String, inAttribute: Bool, to output: inout ByteOutput) {
        output.append(text, escaping: escaped, inAttribute ? escapeInAttribute : escapeInText)
    }

    /// Whether a value escaped for an attribute is escaped alike for text content: it is unless
    /// it held a tab or a line feed, which only attribute values escape (`&#9;`, `&#10;`; an
    /// `&` of the value itself is written `&amp;`, so no other `&#9;` or `&#10;` can occur).
    static func isEscapedAlikeAsText(_ escaped: UnsafeBufferPointer<UInt8>) -> Bool {
        // Ampersands found with memchr and the entity read as bytes: a generic search and
        // `starts(with:)` cost JUnit about 700 instructions a finding.
        guard let base = escaped.baseAddress else { return true }
        let end = base + escaped.count
        var rest = base
        while rest < end, let found = memchr(rest, Int32(UInt8(ascii: "&")), end - rest) {
            let ampersand = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
            if end - ampersand >= 4, ampersand[1] == UInt8(ascii: "#") {
                if ampersand[2] == UInt8(ascii: "9"), ampersand[3] == UInt8(ascii: ";") { return false }
                if end - ampersand >= 5, ampersand[2] == UInt8(ascii: "1"), ampersand[3] == UInt8(ascii: "0"),
                   ampersand[4] == UInt8(ascii: ";") { return false }
            }
            rest = ampersand + 1
        }
        return true
    }

    /// A message's pieces as one value; returns whether it was written as it is (no escape).
    @discardableResult
    static func appendEscaped(_ message: FindingMessage, inAttribute: Bool, to output: inout ByteOutput) -> Bool {
        output.append(message, escaping: escaped, inAttribute ? escapeInAttribute : escapeInText)
    }

    private static func escapeInAttribute(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (replacement: UnsafeBufferPointer<UInt8>, length: Int)? {
        escape(bytes, index, inAttribute: true)
    }

    private static func escapeInText(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (replacement: UnsafeBufferPointer<UInt8>, length: Int)? {
        escape(bytes, index, inAttribute: false)
    }

    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, inAttribute: Bool) -> (replacement: UnsafeBufferPointer<UInt8>, length: Int)? {
        switch bytes[index] {
        case UInt8(ascii: "&"): return (StaticString("&amp;").bytes, 1)
        case UInt8(ascii: "<"): return (StaticString("&lt;").bytes, 1)
        case UInt8(ascii: ">"): return (StaticString("&gt;").bytes, 1)
        case UInt8(ascii: "\""): return (StaticString("&quot;").bytes, 1)
        case 0x0D: return (StaticString("&#13;").bytes, 1)
        case 0x09: return inAttribute ? (StaticString("&#9;").bytes, 1) : nil
        case 0x0A: return inAttribute ? (StaticString("&#10;").bytes, 1) : nil
        case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && (bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF):
            return (StaticString("\u{FFFD}").bytes, 3)
        case 0..<0x20: return (StaticString("\u{FFFD}").bytes, 1)
        default: return nil
        }
    }
}
