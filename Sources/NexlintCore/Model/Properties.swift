import NexlintXML
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves `${name}` and `${name:default}` as NexJ does at deploy time: a value set from
/// outside (`--define`, configuration) wins, then the unit's root attributes, then the default.
///
/// Work is bounded whatever the file holds (spec §7): a property nests at most
/// ``maximumDepth`` references deep and expands to at most ``maximumLength`` bytes; beyond
/// either it does not resolve (NXJ004 says why). Each property is resolved once per resolver
/// (a unit) and remembered, so values that refer to each other many times cost what their
/// distinct names cost, and root attributes are looked up in a table built on first use.
public struct PropertyResolver: Sendable {
    /// Values set from outside the repository.
    public var external: [String: String]
    /// The unit's root elements, the one whose attributes win first; their attributes (raw,
    /// possibly templated themselves) are read when asked for, not gathered for every unit.
    public var roots: [NexJElement]
    private let memory = Memory()

    /// How deep references may nest (a reference cycle fails at this depth).
    public static let maximumDepth = 16
    /// The most UTF-8 bytes a resolved value may have.
    public static let maximumLength = 1 << 16

    public init(external: [String: String] = [:], roots: [NexJElement] = []) {
        self.external = external
        self.roots = roots
    }

    public struct Resolved: Sendable, Equatable {
        public var text: String
        /// True when some part came from a value set outside the repository.
        public var usesExternalValue: Bool
    }

    /// Why a reference does not resolve.
    public enum Failure: Error, Sendable, Equatable {
        /// No default, and nothing defines the name.
        case undefined
        /// References nest deeper than ``maximumDepth`` (or refer back to themselves).
        case tooDeep
        /// The value expands past ``maximumLength`` bytes.
        case tooLarge
    }

    /// True when the property is defined at all (from outside or as a root attribute); a
    /// property set from outside counts as a root property for the rules.
    public func isDefined(_ name: String) -> Bool {
        external[name] != nil || memory.withState { rootValue(name, &$0) } != nil
    }

    /// The property's resolved value, or nil when it is not defined or does not resolve.
    public func value(of name: String) -> Resolved? {
        memory.withState { try? lookUp(name, remaining: Self.maximumDepth, &$0).get().resolved }
    }

    /// The text with every reference replaced, or nil when a reference has no value and no default.
    @inline(__always)
    public func resolve(_ text: String) -> Resolved? {
        // Most values hold no reference: they resolve to themselves without the resolver's
        // lock and its scan (about 80 instructions less a value, over hundreds of thousands of
        // values in a large repository). That test is made where the value is asked for, the
        // scan only when it may hold one.
        guard PropertyReference.mayOccur(in: text) else { return Resolved(text: text, usesExternalValue: false) }
        return resolveReferences(in: text)
    }

    @inline(never)
    private func resolveReferences(in text: String) -> Resolved? {
        memory.withState { try? resolve(text, remaining: Self.maximumDepth, &$0).get().resolved }
    }

    /// Each reference in the attribute's value that does not resolve, and why (NXJ004): names
    /// without a default that nothing defines, and any whose value nests too deep or grows too
    /// large. `body` runs outside the resolver's lock, so it may use the resolver.
    public func forEachUnresolvableReference(in attribute: NexJAttribute, _ body: (_ name: String, _ failure: Failure) -> Void) {
        // Read in place: the value itself is never needed as a `String`.
        attribute.withValueBytes { forEachUnresolvableReference(inUTF8: $0, body) }
    }

    /// The same, for a text.
    public func forEachUnresolvableReference(in text: String, _ body: (_ name: String, _ failure: Failure) -> Void) {
        ASCII.withBytes(of: text) { forEachUnresolvableReference(inUTF8: $0, body) }
    }

    private func forEachUnresolvableReference(inUTF8 bytes: UnsafeBufferPointer<UInt8>,
                                              _ body: (_ name: String, _ failure: Failure) -> Void) {
        PropertyReference.spans(bytes) { _, nameEnd, close, name in
            let outcome = memory.withState { lookUp(name, remaining: Self.maximumDepth, &$0) }
            guard case .failure(let failure) = outcome, failure != .undefined || nameEnd == close else { return }
            body(name, failure)
        }
    }

    /// A resolved value and how deep its references went (0: none).
    private struct Expansion {
        var resolved: Resolved
        var height: Int
    }

    /// What a resolver remembers: each name's outcome, and its roots' attributes by name.
    private struct State {
        enum Outcome {
            case resolved(Expansion)
            case failed(Failure)
            /// It did not resolve within this many levels; it may with more.
            case tooDeepWithin(Int)
        }
        var outcomes: [String: Outcome] = [:]
        var rootAttributes: [String: String]?
    }

    /// The memory is shared by copies of a resolver; a lock keeps it whole if they are used on
    /// several threads (a unit is checked on one).
    private final class Memory: Sendable {
        private let state = Mutex(State())

        func withState<T>(_ body: (inout State) -> T) -> T {
            state.withLock { state in body(&state) }
        }
    }

    /// Roots with more attributes than this are looked up in a table; fewer are scanned, which
    /// costs less than building the table.
    private static let scannedAttributes = 32

    private func rootValue(_ name: String, _ state: inout State) -> String? {
        if state.rootAttributes == nil {
            guard roots.reduce(0, { $0 + $1.attributeCount }) > Self.scannedAttributes else {
                for root in roots {
                    if let value = root[name] { return value }
                }
                return nil
            }
            var table: [String: String] = [:]
            for root in roots {
                for attribute in root.attributes where table[attribute.name] == nil { table[attribute.name] = attribute.value }
            }
            state.rootAttributes = table
        }
        return state.rootAttributes![name]
    }

    /// A property's value with at most `remaining` levels of references below it.
    private func lookUp(_ name: String, remaining: Int, _ state: inout State) -> Result<Expansion, Failure> {
        if !external.isEmpty, let value = external[name] { return .success(Expansion(resolved: Resolved(text: value, usesExternalValue: true), height: 0)) }
        switch state.outcomes.isEmpty ? nil : state.outcomes[name] {
        case .resolved(let expansion)?:
            return expansion.height <= remaining ? .success(expansion) : .failure(.tooDeep)
        case .failed(let failure)?:
            return .failure(failure)
        case .tooDeepWithin(let levels)? where remaining <= levels:
            return .failure(.tooDeep)
        case .tooDeepWithin?, nil:
            break
        }
        // An undefined name is not remembered: finding it again costs no more than recalling
        // it, and a file may hold tens of thousands of distinct undefined names.
        guard let raw = rootValue(name, &state) else { return .failure(.undefined) }
        guard remaining > 0 || PropertyReference.all(in: raw).isEmpty else {
            state.outcomes[name] = .tooDeepWithin(remaining)
            return .failure(.tooDeep)
        }
        let result = resolve(raw, remaining: remaining - 1, &state)
        switch result {
        case .success(let expansion):
            state.outcomes[name] = .resolved(expansion)
        case .failure(.tooDeep):
            state.outcomes[name] = .tooDeepWithin(remaining)
        case .failure(let failure):
            state.outcomes[name] = .failed(failure)
        }
        return result
    }

    private func resolve(_ text: String, remaining: Int, _ state: inout State) -> Result<Expansion, Failure> {
        let references = PropertyReference.all(in: text)
        guard !references.isEmpty else { return .success(Expansion(resolved: Resolved(text: text, usesExternalValue: false), height: 0)) }
        var result = ""
        var usesExternal = false
        var height = 0
        var cursor = text.startIndex
        for reference in references {
            result += text[cursor..<reference.range.lowerBound]
            switch lookUp(reference.name, remaining: remaining, &state) {
            case .success(let found):
                result += found.resolved.text
                usesExternal = usesExternal || found.resolved.usesExternalValue
                height = max(height, found.height + 1)
            case .failure(.undefined):
                guard let defaultValue = reference.defaultValue else { return .failure(.undefined) }
                result += defaultValue
            case .failure(let failure):
                return .failure(failure)
            }
            guard result.utf8.count <= Self.maximumLength else { return .failure(.tooLarge) }
            cursor = reference.range.upperBound
        }
        result += text[cursor...]
        guard result.utf8.count <= Self.maximumLength else { return .failure(.tooLarge) }
        return .success(Expansion(resolved: Resolved(text: result, usesExternalValue: usesExternal), height: height))
    }
}

/// One `${name}` or `${name:default}` in an attribute value. It keeps the value and where
/// the parts are; the default becomes a `String` when asked for (the name is made once, from
/// the bytes found: every reference is looked up by it).
public struct PropertyReference: Sendable, Equatable {
    private let text: String
    /// UTF-8 offsets: the `$`, the end of the name, and the closing `}`.
    private let start: Int, nameEnd: Int, close: Int
    public let name: String

    /// `${`, the bytes that open a reference.
    public static let opening: [UInt8] = Array("${".utf8)

    public var hasDefault: Bool { nameEnd < close }
    public var defaultValue: String? { hasDefault ? String(text[index(nameEnd + 1)..<index(close)]) : nil }
    public var range: Range<String.Index> { index(start)..<index(close + 1) }

    private func index(_ offset: Int) -> String.Index { text.utf8.index(text.utf8.startIndex, offsetBy: offset) }

    /// Whether the text holds a `$`, without which it holds no reference: one memchr.
    static func mayOccur(in text: String) -> Bool {
        ASCII.withBytes(of: text) { mayOccur(inUTF8: $0) }
    }

    /// The same on a value's bytes: a value for which it is false resolves to itself.
    @inline(__always)
    public static func mayOccur(inUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count > 1 && memchr(bytes.baseAddress!, Int32(UInt8(ascii: "$")), bytes.count) != nil
    }

    public static func all(in text: String) -> [PropertyReference] {
        var references: [PropertyReference] = []
        forEach(in: text) { references.append($0) }
        return references
    }

    /// Each reference in turn, found without gathering them: this runs on every value a rule resolves.
    public static func forEach(in text: String, _ body: (PropertyReference) -> Void) {
        // Read in place (no copy of the text).
        func visit(_ bytes: UnsafeBufferPointer<UInt8>) {
            spans(bytes) { start, nameEnd, close, name in
                body(PropertyReference(text: text, start: start, nameEnd: nameEnd, close: close, name: name))
            }
        }
        ASCII.withBytes(of: text, visit)
    }

    /// Where the references are, and their names (`${}` has none and is not a reference): found
    /// with memchr, as `$`, `{`, `:` and `}` are ASCII, so every offset found is a character
    /// boundary. Most values have none.
    static func spans(_ bytes: UnsafeBufferPointer<UInt8>,
                      _ body: (_ start: Int, _ nameEnd: Int, _ close: Int, _ name: String) -> Void) {
        guard let base = bytes.baseAddress else { return }
        func offset(of byte: Unicode.Scalar, from start: Int, to end: Int) -> Int? {
            guard start < end, let found = memchr(base + start, Int32(UInt8(ascii: byte)), end - start) else { return nil }
            return UnsafeRawPointer(found) - UnsafeRawPointer(base)
        }
        var cursor = 0
        while let dollar = offset(of: "$", from: cursor, to: bytes.count - 1) {
            guard bytes[dollar + 1] == UInt8(ascii: "{") else {
                cursor = dollar + 1
                continue
            }
            guard let close = offset(of: "}", from: dollar + 2, to: bytes.count) else { break }
            let nameEnd = offset(of: ":", from: dollar + 2, to: close) ?? close
            if nameEnd > dollar + 2 {
                body(dollar, nameEnd, close, String(decoding: UnsafeBufferPointer(rebasing: bytes[dollar + 2..<nameEnd]), as: UTF8.self))
            }
            cursor = close + 1
        }
    }
}
