import NexlintXML

/// A secret held for a digest only: it prints as a mask wherever it is interpolated.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The value, or the attribute that holds it as written. A literal password attribute's
    /// value is read from its document only if a baseline asks for the digest: a legacy
    /// repository has tens of thousands of reversible passwords, and copying each out made
    /// its finding a string to allocate and free.
    private enum Source: Sendable {
        case text(String)
        case attribute(NexJAttribute)
    }

    private let source: Source

    public init(_ text: String) {
        source = .text(text)
    }

    /// The value of an attribute that refers to no property: its value as written.
    public init(valueOf attribute: NexJAttribute) {
        source = .attribute(attribute)
    }

    public var description: String { "••••" }
    public var debugDescription: String { "••••" }

    private func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        switch source {
        case .text(let text): ASCII.withBytes(of: text, body)
        case .attribute(let attribute): attribute.withValueBytes(body)
        }
    }

    /// Equal as strings are (by canonical equivalence), whichever way each is held.
    private var text: String {
        switch source {
        case .text(let text): text
        case .attribute(let attribute): attribute.value
        }
    }

    public static func == (lhs: SecretValue, rhs: SecretValue) -> Bool {
        lhs.text == rhs.text
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
    }

    /// SHA-256 of the salt and the value, in hex: what a baseline stores.
    public func digest(salt: String) -> String {
        withBytes { SHA256.hexDigest(Array(salt.utf8) + [0] + Array($0)) }
    }
}
