#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Brings any file libxml2 could read to UTF-8 before parsing, so that byte offsets, lines and
/// columns are computed on the text itself. (libxml2's own offsets are wrong for input it
/// transcodes.) Detection follows the XML specification's appendix F: byte order mark, then
/// the UTF-16 signature of `<?`, then the declaration's `encoding`.
enum SourceEncoding {
    struct Prepared {
        var utf8: [UInt8]
        var transcodedFrom: String?
    }

    static func prepare(_ raw: [UInt8]) -> Result<Prepared, XMLSyntaxError> {
        switch (raw.count >= 2 ? raw[0] : nil, raw.count >= 2 ? raw[1] : nil) {
        case (0xFF, 0xFE): return transcode(raw.dropFirst(2), from: "UTF-16LE", label: "UTF-16")
        case (0xFE, 0xFF): return transcode(raw.dropFirst(2), from: "UTF-16BE", label: "UTF-16")
        case (0x3C, 0x00): return transcode(raw[...], from: "UTF-16LE", label: "UTF-16")
        case (0x00, 0x3C): return transcode(raw[...], from: "UTF-16BE", label: "UTF-16")
        default: break
        }
        if raw.starts(with: [0xEF, 0xBB, 0xBF]) { return .success(Prepared(utf8: raw)) }
        guard let declared = declaredEncoding(raw), !isUTF8Compatible(declared) else {
            return .success(Prepared(utf8: raw))
        }
        return transcode(raw[...], from: declared, label: declared)
    }

    private static func isUTF8Compatible(_ name: String) -> Bool {
        ["UTF-8", "UTF8", "US-ASCII", "ASCII"].contains(name.uppercased())
    }

    /// The `encoding` pseudo-attribute of an XML declaration at the very start, if any.
    static func declaredEncoding(_ raw: [UInt8]) -> String? {
        guard raw.starts(with: Array("<?xml".utf8)),
              let close = firstOffset(of: Array("?>".utf8), in: raw[..<min(raw.count, 512)]),
              let key = firstOffset(of: Array("encoding".utf8), in: raw[..<close]) else { return nil }
        let isSpace = ASCII.isWhitespace
        var rest = raw[(key + 8)..<close].drop(while: isSpace)
        guard rest.first == UInt8(ascii: "=") else { return nil }
        rest = rest.dropFirst().drop(while: isSpace)
        guard let quote = rest.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }
        return value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
    }

    private static func firstOffset(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (haystack.startIndex...(haystack.endIndex - needle.count)).first { start in
            haystack[start] == needle[0] && haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }

    /// Converts with iconv. An encoding iconv does not know is handed to libxml2 untouched, so
    /// the user gets libxml2's own "unsupported encoding" error.
    private static func transcode(_ input: ArraySlice<UInt8>, from encoding: String,
                                  label: String) -> Result<Prepared, XMLSyntaxError> {
        let converter = iconv_open("UTF-8", encoding)
        guard converter != iconv_t(bitPattern: -1) else {
            return .success(Prepared(utf8: Array(input)))
        }
        defer { iconv_close(converter) }
        var output = [UInt8](repeating: 0, count: input.count * 4 + 4)
        var source = Array(input)
        let outputCapacity = output.count
        let (failed, written) = source.withUnsafeMutableBufferPointer { sourceBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var inPointer = sourceBuffer.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
                var inLeft = sourceBuffer.count
                var outPointer = outputBuffer.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
                var outLeft = outputCapacity
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return (result == -1 || inLeft != 0, outputCapacity - outLeft)
            }
        }
        output.removeSubrange(written...)
        if failed {
            let line = output.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            return .failure(XMLSyntaxError(
                line: line, column: 1,
                message: "the file is not valid \(label): a byte sequence cannot be decoded", code: 0))
        }
        return .success(Prepared(utf8: output, transcodedFrom: label))
    }
}
