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
            guard !reference.hasDefault else { return nil }
            let name = reference.name
            return lookUp(name, depth: 0) == nil ? name : nil
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

/// One `${name}` or `${name:default}` in an attribute value. It keeps the value and where
/// the parts are; the name and default become `String`s when asked for (most references
/// have a default, and their names are then never needed).
public struct PropertyReference: Sendable, Equatable {
    private let text: String
    /// UTF-8 offsets: the `$`, the end of the name, and the closing `}`.
    private let start: Int, nameEnd: Int, close: Int

    /// `${`, the bytes that open a reference.
    public static let opening: [UInt8] = Array("${".utf8)

    public var hasDefault: Bool { nameEnd < close }
    public var name: String { String(text[index(start + 2)..<index(nameEnd)]) }
    public var defaultValue: String? { hasDefault ? String(text[index(nameEnd + 1)..<index(close)]) : nil }
    public var range: Range<String.Index> { index(start)..<index(close + 1) }

    private func index(_ offset: Int) -> String.Index { text.utf8.index(text.utf8.startIndex, offsetBy: offset) }

    public static func all(in text: String) -> [PropertyReference] {
        // Read in place (no copy of the text): this runs on every value a rule resolves.
        let spans = text.utf8.withContiguousStorageIfAvailable(spans) ?? Array(text.utf8).withUnsafeBufferPointer(spans)
        return spans.compactMap { span in
            span.nameEnd > span.start + 2
                ? PropertyReference(text: text, start: span.start, nameEnd: span.nameEnd, close: span.close) : nil
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
