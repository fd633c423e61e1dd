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
        guard mayContainReference(text) else { return [] }
        var references: [PropertyReference] = []
        let utf8 = text.utf8
        var index = utf8.startIndex
        // Byte by byte on the UTF-8 view: `$`, `{`, `:` and `}` are ASCII, so every index met
        // is a character boundary.
        while index < utf8.endIndex {
            guard utf8[index] == UInt8(ascii: "$"), let brace = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex),
                  brace < utf8.endIndex, utf8[brace] == UInt8(ascii: "{") else {
                utf8.formIndex(after: &index)
                continue
            }
            let bodyStart = utf8.index(after: brace)
            guard let close = utf8[bodyStart...].firstIndex(of: UInt8(ascii: "}")) else { break }
            let colon = utf8[bodyStart..<close].firstIndex(of: UInt8(ascii: ":"))
            let name = String(text[bodyStart..<(colon ?? close)])
            if !name.isEmpty {
                references.append(PropertyReference(name: name, defaultValue: colon.map { String(text[utf8.index(after: $0)..<close]) },
                                                    range: index..<utf8.index(after: close)))
            }
            index = utf8.index(after: close)
        }
        return references
    }

    /// A byte scan for `${`: most values have no reference, and this runs on every attribute.
    static func mayContainReference(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { (bytes: UnsafeBufferPointer<UInt8>) -> Bool in
            guard let base = bytes.baseAddress, bytes.count > 1 else { return false }
            var offset = 0
            while offset < bytes.count - 1,
                  let found = memchr(base + offset, Int32(UInt8(ascii: "$")), bytes.count - 1 - offset) {
                let index = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if bytes[index + 1] == UInt8(ascii: "{") { return true }
                offset = index + 1
            }
            return false
        }
    }
}
