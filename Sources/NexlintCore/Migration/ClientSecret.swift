#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The client secret `migrate` writes into passwords (spec §6, "How the client secret is
/// read"). An environment variable and a file are read alike: one trailing line break (LF or
/// CRLF) and a leading UTF-8 byte order mark are what editors and `echo` add, so they go;
/// anything else that would be written into the environment wrongly is refused.
public enum ClientSecret {
    public struct Refusal: Error, Sendable, Equatable {
        public var message: String
    }

    /// Files (and pipes) larger than this hold no client secret.
    static let maximumSize = 64 << 10

    /// The secret from bytes as stored, or why it cannot be used. `source` names where the
    /// bytes came from, for the message; the message never quotes the bytes.
    public static func parse(_ stored: [UInt8], source: String) -> Result<String, Refusal> {
        var bytes = stored[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.last == 0x0A {
            bytes = bytes.dropLast()
            if bytes.last == 0x0D { bytes = bytes.dropLast() }
        }
        func refused(_ why: String) -> Result<String, Refusal> { .failure(Refusal(message: "the client secret in \(source) \(why)")) }
        guard !bytes.isEmpty else { return refused("is empty") }
        if bytes.contains(0x0A) || bytes.contains(0x0D) { return refused("has more than one line") }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return refused("contains a NUL or another control character") }
        guard let text = String(validating: bytes, as: UTF8.self) else { return refused("is not valid UTF-8") }
        if text.contains("${") {
            return refused("contains `${`, which NexJ would substitute as a property when it loads the environment")
        }
        // NexJ splits the decoded password at its first colon: a colon in the secret would
        // move part of it into the account password.
        if text.contains(":") { return refused("contains a colon, which NexJ's password format cannot hold") }
        return .success(text)
    }

    /// Reads a file, or a pipe or `/dev/stdin`: any readable thing but a directory.
    public static func read(file path: String) -> Result<String, Refusal> {
        let descriptor = open(FileNameBytes.system(path), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(Refusal(message: "cannot read the client secret: \(path): \(String(cString: strerror(errno)))")) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Refusal(message: "cannot read the client secret: \(path): \(String(cString: strerror(errno)))"))
            }
            if count == 0 { break }
            bytes += buffer[..<count]
            guard bytes.count <= maximumSize else { return .failure(Refusal(message: "the client secret in \(path) is larger than 64 KiB")) }
        }
        return parse(bytes, source: path)
    }

    /// The variable's value, nil when it is not set.
    public static func read(variable name: String) -> Result<String, Refusal>? {
        guard let value = getenv(name) else { return nil }
        // The raw bytes: a String would repair invalid UTF-8 instead of letting it be refused.
        return parse(Array(UnsafeRawBufferPointer(start: value, count: strlen(value))), source: "$\(name)")
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif
