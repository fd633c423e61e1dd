import NexlintXML

/// A NexJ password attribute value, by its scheme prefix. Only the first prefix is removed:
/// `text:S:P` decodes to `S:P`. A value without a known prefix is taken literally.
public enum PasswordValue: Sendable, Equatable {
    /// Encrypted with the deployment's master password: opaque without it.
    case encrypted
    /// A reversible scheme with the text it decodes to, or nil when it does not decode.
    case reversible(scheme: Scheme, decoded: String?)

    public enum Scheme: String, Sendable, CaseIterable {
        case text, base64, hex
        /// No known prefix: the value is the password itself.
        case none
    }

    /// The scheme prefix of values encrypted with the master password.
    public static let encryptedPrefix: StaticString = "master:"

    /// Prefixes are compared as bytes, as NexJ compares them.
    public init(_ raw: String) {
        guard let scheme = Self.reversibleScheme(of: raw) else {
            self = .encrypted
            return
        }
        let body = raw[raw.utf8.index(raw.utf8.startIndex, offsetBy: scheme == .none ? 0 : scheme.rawValue.utf8.count + 1)...]
        switch scheme {
        case .text: self = .reversible(scheme: .text, decoded: String(body))
        case .base64: self = .reversible(scheme: .base64, decoded: Self.decodeBase64(body))
        case .hex: self = .reversible(scheme: .hex, decoded: Self.decodeHex(body))
        case .none: self = .reversible(scheme: .none, decoded: raw)
        }
    }

    /// The scheme of a value that is not encrypted (nil: `master:`), without decoding it.
    public static func reversibleScheme(of raw: String) -> Scheme? {
        ASCII.withBytes(of: raw, reversibleScheme(ofUTF8:))
    }

    /// The same on the value's bytes in place.
    public static func reversibleScheme(ofUTF8 raw: UnsafeBufferPointer<UInt8>) -> Scheme? {
        if ASCII.hasPrefix(raw, encryptedPrefix) { return nil }
        if ASCII.hasPrefix(raw, "text:") { return .text }
        if ASCII.hasPrefix(raw, "base64:") { return .base64 }
        if ASCII.hasPrefix(raw, "hex:") { return .hex }
        return Scheme.none
    }

    /// The decoded text split at its first colon, as NexJ splits client secret and password.
    public static func splitCredentials(_ decoded: String) -> (secret: Substring, password: Substring)? {
        guard let colon = decoded.firstIndex(of: ":") else { return nil }
        return (decoded[..<colon], decoded[decoded.index(after: colon)...])
    }

    /// Standard alphabet; padding optional, so long as the length is possible.
    static func decodeBase64(_ text: Substring) -> String? {
        base64Bytes(text.utf8).flatMap { String(validating: $0, as: UTF8.self) }
    }

    static func decodeHex(_ text: Substring) -> String? {
        hexBytes(text.utf8).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// Standard alphabet; padding optional, so long as the length is possible.
    static func base64Bytes(_ text: some Collection<UInt8>) -> [UInt8]? {
        var body = Array(text)
        while body.last == UInt8(ascii: "=") { body.removeLast() }
        let padding = text.count - body.count
        guard body.count % 4 != 1, padding <= 2, padding == 0 || (body.count + padding) % 4 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(body.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in body {
            let value: UInt8
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = character - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            default: return nil
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return bytes
    }

    /// Pairs of hex digits, either case.
    static func hexBytes(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        func digit(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var high: UInt8?
        for byte in text {
            guard let value = digit(byte) else { return nil }
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return bytes
    }
}
