import NexlintXML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves `${name}` and `${name:default}` as NexJ does at deploy time: a value set from
/// outside (`--define`, configuration) wins, then the unit's root attributes, then the default.
public struct PropertyResolver: Sendable {
    /// Values set from outside the repository.
    public var external: [String: String]
    /// The unit's root elements, the one whose attributes win first; their attributes (raw,
    /// possibly templated themselves) are read when asked for, not gathered for every unit.
    public var roots: [XMLElement]

    public init(external: [String: String] = [:], roots: [XMLElement] = []) {
        self.external = external
        self.roots = roots
    }

    public struct Resolved: Sendable, Equatable {
        public var text: String
        /// True when some part came from a value set outside the repository.
        public var usesExternalValue: Bool
    }

    /// True when the property is defined at all (from outside or as a root attribute); a
    /// property set from outside counts as a root property for the rules.
    public func isDefined(_ name: String) -> Bool {
        externalValue(name) != nil || rootValue(name) != nil
    }

    /// The property's resolved value, or nil when it is not defined or does not resolve.
    public func value(of name: String) -> Resolved? {
        lookUp(name, depth: 0)
    }

    /// The text with every reference replaced, or nil when a reference has no value and no default.
    public func resolve(_ text: String) -> Resolved? {
        resolve(text, depth: 0)
    }

    /// Names referenced without a default that nothing defines (NXJ004).
    public func undefinedReferences(in text: String) -> [String] {
        PropertyReference.all(in: text).compactMap { reference in
            reference.defaultValue == nil && lookUp(reference.name, depth: 0) == nil ? reference.name : nil
        }
    }

    // Root values may themselves refer to properties; the depth bound stops reference cycles.
    private static let maximumDepth = 16

    private func lookUp(_ name: String, depth: Int) -> Resolved? {
        if let value = externalValue(name) { return Resolved(text: value, usesExternalValue: true) }
        guard depth < Self.maximumDepth, let value = rootValue(name) else { return nil }
        return resolve(value, depth: depth + 1)
    }

    private func externalValue(_ name: String) -> String? {
        external.isEmpty ? nil : external[name]
    }

    private func rootValue(_ name: String) -> String? {
        for root in roots {
            if let value = root[name] { return value }
        }
        return nil
    }

    private func resolve(_ text: String, depth: Int) -> Resolved? {
        let references = PropertyReference.all(in: text)
        guard !references.isEmpty else { return Resolved(text: text, usesExternalValue: false) }
        var result = ""
        var usesExternal = false
        var cursor = text.startIndex
        for reference in references {
            result += text[cursor..<reference.range.lowerBound]
            if let found = lookUp(reference.name, depth: depth) {
                result += found.text
                usesExternal = usesExternal || found.usesExternalValue
            } else if let defaultValue = reference.defaultValue {
                result += defaultValue
            } else {
                return nil
            }
            cursor = reference.range.upperBound
        }
        result += text[cursor...]
        return Resolved(text: result, usesExternalValue: usesExternal)
    }
}

/// One `${name}` or `${name:default}` in an attribute value.
public struct PropertyReference: Sendable, Equatable {
    public var name: String
    public var defaultValue: String?
    public var range: Range<String.Index>

    /// `${`, the bytes that open a reference.
    public static let opening: [UInt8] = Array("${".utf8)

    public static func all(in text: String) -> [PropertyReference] {
        // Read in place (no copy of the text): this runs on every value a rule resolves.
        let spans = text.utf8.withContiguousStorageIfAvailable(spans) ?? Array(text.utf8).withUnsafeBufferPointer(spans)
        guard !spans.isEmpty else { return [] }
        let utf8 = text.utf8
        func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        return spans.compactMap { span in
            guard span.nameEnd > span.start + 2 else { return nil }
            let name = String(text[index(span.start + 2)..<index(span.nameEnd)])
            let defaultValue = span.nameEnd < span.close ? String(text[index(span.nameEnd + 1)..<index(span.close)]) : nil
            return PropertyReference(name: name, defaultValue: defaultValue, range: index(span.start)..<index(span.close + 1))
        }
    }

    /// Where the references are: found with memchr, as `$`, `{`, `:` and `}` are ASCII, so every
    /// offset found is a character boundary. Most values have none.
    private static func spans(_ bytes: UnsafeBufferPointer<UInt8>) -> [(start: Int, nameEnd: Int, close: Int)] {
        guard let base = bytes.baseAddress else { return [] }
        func offset(of byte: Unicode.Scalar, from start: Int, to end: Int) -> Int? {
            guard start < end, let found = memchr(base + start, Int32(UInt8(ascii: byte)), end - start) else { return nil }
            return UnsafeRawPointer(found) - UnsafeRawPointer(base)
        }
        var spans: [(start: Int, nameEnd: Int, close: Int)] = []
        var cursor = 0
        while let dollar = offset(of: "$", from: cursor, to: bytes.count - 1) {
            guard bytes[dollar + 1] == UInt8(ascii: "{") else {
                cursor = dollar + 1
                continue
            }
            guard let close = offset(of: "}", from: dollar + 2, to: bytes.count) else { break }
            spans.append((dollar, offset(of: ":", from: dollar + 2, to: close) ?? close, close))
            cursor = close + 1
        }
        return spans
    }
}
