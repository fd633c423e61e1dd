/// A secret held for a digest only: it prints as a mask wherever it is interpolated.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    private let text: String

    public init(_ text: String) {
        self.text = text
    }

    public var description: String { "••••" }
    public var debugDescription: String { "••••" }

    /// SHA-256 of the salt and the value, in hex: what a baseline stores.
    public func digest(salt: String) -> String {
        SHA256.hexDigest(Array(salt.utf8) + [0] + Array(text.utf8))
    }
}
