/// A JSON document with keys in the order written, serialised the same way every time.
public indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    /// Two-space indentation, one key or element per line, a final newline (``JSONStream``'s
    /// layout).
    public func serialized() -> String {
        var output = ByteOutput()
        write(to: &output)
        return String(decoding: output.written, as: UTF8.self)
    }

    public func write(to output: inout ByteOutput) {
        var stream = JSONStream()
        write(&stream, &output)
        stream.finish(&output)
    }

    /// As a value within a document being streamed.
    public func write(_ stream: inout JSONStream, _ output: inout ByteOutput) {
        switch self {
        case .string(let text): stream.string(text, &output)
        case .int(let number): stream.int(number, &output)
        case .bool(let flag): stream.bool(flag, &output)
        case .null: stream.null(&output)
        case .array(let elements):
            stream.beginArray(&output)
            for element in elements {
                stream.element(&output)
                element.write(&stream, &output)
            }
            stream.endArray(&output)
        case .object(let members):
            stream.beginObject(&output)
            for (key, value) in members {
                stream.key(data: key, &output)
                value.write(&stream, &output)
            }
            stream.endObject(&output)
        }
    }
}
