/// Writes JSON straight into a ``ByteOutput``, member by member, in nexlint's one layout: two
/// spaces of indentation, one key or element per line, `[]` and `{}` when empty. A report's
/// findings are written as they come, never gathered into a tree first; ``JSONValue`` writes
/// small documents through it, so every JSON nexlint prints has the same bytes for the same
/// content.
public struct JSONStream {
    /// Per open container: whether anything has been written into it yet.
    private var hasMembers: [Bool] = []

    public init() {}

    public mutating func beginObject(_ output: inout ByteOutput) {
        output.append(UInt8(ascii: "{"))
        hasMembers.append(false)
    }

    public mutating func beginArray(_ output: inout ByteOutput) {
        output.append(UInt8(ascii: "["))
        hasMembers.append(false)
    }

    public mutating func endObject(_ output: inout ByteOutput) {
        end(UInt8(ascii: "}"), &output)
    }

    public mutating func endArray(_ output: inout ByteOutput) {
        end(UInt8(ascii: "]"), &output)
    }

    /// Starts an object member: a key written by the program, never needing escapes.
    public mutating func key(_ name: StaticString, _ output: inout ByteOutput) {
        nextLine(&output)
        output.append(UInt8(ascii: "\""))
        output.append(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        output.append(contentsOf: "\": ")
    }

    /// Starts an object member whose key is data.
    public mutating func key(data name: String, _ output: inout ByteOutput) {
        nextLine(&output)
        Self.appendQuoted(name, to: &output)
        output.append(contentsOf: ": ")
    }

    /// Starts an array element.
    public mutating func element(_ output: inout ByteOutput) {
        nextLine(&output)
    }

    public func string(_ text: String, _ output: inout ByteOutput) {
        Self.appendQuoted(text, to: &output)
    }

    /// A message's pieces as one string.
    public func string(_ message: FindingMessage, _ output: inout ByteOutput) {
        output.append(UInt8(ascii: "\""))
        output.append(message, escaping: Self.escaped, Self.escape)
        output.append(UInt8(ascii: "\""))
    }

    public func int(_ number: Int, _ output: inout ByteOutput) {
        output.append(number: number)
    }

    public func bool(_ flag: Bool, _ output: inout ByteOutput) {
        output.append(contentsOf: flag ? "true" : "false")
    }

    public func null(_ output: inout ByteOutput) {
        output.append(contentsOf: "null")
    }

    /// After the outermost value: the document's final line break.
    public func finish(_ output: inout ByteOutput) {
        output.append(UInt8(ascii: "\n"))
    }

    private mutating func nextLine(_ output: inout ByteOutput) {
        output.append(contentsOf: hasMembers[hasMembers.count - 1] ? ",\n" : "\n")
        hasMembers[hasMembers.count - 1] = true
        indent(hasMembers.count, &output)
    }

    private mutating func end(_ bracket: UInt8, _ output: inout ByteOutput) {
        if hasMembers.removeLast() {
            output.append(UInt8(ascii: "\n"))
            indent(hasMembers.count, &output)
        }
        output.append(bracket)
    }

    private func indent(_ depth: Int, _ output: inout ByteOutput) {
        output.append(spaces: 2 * depth)
    }

    /// The bytes this stream lays out around the values of one array element that `write`
    /// writes at the stream's current depth, with ``hole(_:)`` for each value: the element's
    /// parts between its values, for reports that write thousands of elements of one shape
    /// and copy these instead of laying out every key (``element(_:)`` still comes first).
    public func template(_ write: (inout JSONStream, inout ByteOutput) -> Void) -> ByteParts {
        var probe = self
        var output = ByteOutput()
        probe.element(&output)
        let start = output.count
        write(&probe, &output)
        return ByteParts(layout: UnsafeBufferPointer(rebasing: output.written[start...]))
    }

    /// A member whose value is a template's hole.
    public mutating func hole(named name: StaticString, _ output: inout ByteOutput) {
        key(name, &output)
        ByteParts.hole(&output)
    }

    /// A string value rendered once, for writing many times (a file's name in each finding).
    public static func quoted(_ text: String) -> [UInt8] {
        var output = ByteOutput()
        appendQuoted(text, to: &output)
        return output.bytes
    }

    static func appendQuoted(_ text: String, to output: inout ByteOutput) {
        output.append(UInt8(ascii: "\""))
        appendEscaped(text, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// A JSON string's contents: `"` and `\` escaped, control characters and the two JavaScript
    /// line separators (U+2028, U+2029) as `\n`-style or `\u00XX` escapes. Runs of bytes that
    /// need none are copied whole.
    static func appendEscaped(_ text: String, to output: inout ByteOutput) {
        output.append(text, escaping: escaped, escape)
    }

    /// What ``appendEscaped(_:to:)`` writes for a byte of ``escaped``.
    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (replacement: UnsafeBufferPointer<UInt8>, length: Int)? {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\""): return (StaticString("\\\"").bytes, 1)
        case UInt8(ascii: "\\"): return (StaticString("\\\\").bytes, 1)
        case 0x0A: return (StaticString("\\n").bytes, 1)
        case 0x0D: return (StaticString("\\r").bytes, 1)
        case 0x09: return (StaticString("\\t").bytes, 1)
        case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0xA8:
            return (StaticString("\\u2028").bytes, 3)
        case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0xA9:
            return (StaticString("\\u2029").bytes, 3)
        case 0..<0x20:
            return (controlEscapes[byte], 1)
        default:
            return nil
        }
    }

    /// The bytes that may need an escape: `"`, `\`, controls, and U+2028/U+2029's first byte.
    private static let escaped = ByteSet(Array(0..<0x20) + [UInt8(ascii: "\""), UInt8(ascii: "\\"), 0xE2])

    /// `\u0000` through `\u001f`.
    private static let controlEscapes = HexEscapes(prefix: "\\u00")
}
