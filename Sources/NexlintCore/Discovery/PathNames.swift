import NexlintXML

/// Name arithmetic on the slash-separated paths nexlint reports.
public enum PathNames {
    /// The directory part ("." for a bare file name).
    // Paths are split on their UTF-8 bytes: `/` and `.` are ASCII and never part of another
    // character, and searching by Character costs far more for paths walked by the thousand.
    public static func directory(of path: String) -> String {
        // Cut from the bytes: through string indexes and a substring this cost about 570
        // instructions, and a run asks it of each path several times.
        ASCII.withBytes(of: path) { bytes in
            guard let slash = bytes.lastIndex(of: slash) else { return "." }
            return slash == 0 ? "/" : String(decoding: UnsafeBufferPointer(rebasing: bytes[..<slash]), as: UTF8.self)
        }
    }

    /// The directory of each path, once for each run of paths in one directory: a run's paths
    /// come directory by directory, and looking each one's directory up again (hashing it) was
    /// most of the work of those who ask.
    public static func directories(of paths: [String]) -> [String] {
        var directories: [String] = []
        for path in paths {
            let directory = directory(of: path)
            if directory != directories.last { directories.append(directory) }
        }
        return directories
    }

    public static func fileName(of path: String) -> String {
        lastIndex(in: path, where: { $0 == slash }).map { String(path[path.utf8.index(after: $0)...]) } ?? path
    }

    /// The extension after the file name's last dot, without the dot; nil when it has none.
    public static func fileExtension(of path: String) -> Substring? {
        ASCII.withBytes(of: path, extensionStart).map { path[path.utf8.index(path.utf8.startIndex, offsetBy: $0)...] }
    }

    /// Where the extension of a path's bytes starts (after the dot), if it has one.
    static func extensionStart(_ path: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let dot = path.lastIndex(where: { $0 == UInt8(ascii: ".") || $0 == slash }),
              path[dot] == UInt8(ascii: ".") else { return nil }
        return dot + 1
    }

    /// The file name without its extension, as `<ValidConnections>` names files.
    public static func baseName(of path: String) -> String {
        let name = fileName(of: path)
        guard let dot = lastIndex(in: name, where: { $0 == UInt8(ascii: ".") }), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// `a/./b//c` → `a/b/c`; a leading `./` goes; `..` is kept (it is not ours to resolve).
    public static func normalized(_ path: String) -> String {
        let parts = components(of: path).filter { $0 != "." }
        let joined = parts.joined(separator: "/")
        if isAbsolute(path) { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    public static func join(_ directory: String, _ name: String) -> String {
        directory == "." ? name : directory.utf8.last == slash ? directory + name : directory + "/" + name
    }

    /// The absolute form of a path, `.` and `..` resolved lexically.
    public static func absolute(_ path: String, base: String) -> String {
        // Most paths need no normalising: a plain relative path under a plain absolute base.
        if isPlain(path, absolute: false), isPlain(base, absolute: true) {
            return base.utf8.count == 1 ? base + path : base + "/" + path
        }
        var parts: [Substring] = []
        for part in components(of: isAbsolute(path) ? path : base + "/" + path) {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// An absolute path relative to an absolute base; a path outside the base stays absolute.
    public static func relative(_ path: String, to base: String) -> String {
        if path.utf8.elementsEqual(base.utf8) { return "." }
        let prefix = base == "/" ? "/" : base + "/"
        guard path.utf8.starts(with: prefix.utf8) else { return path }
        return String(path[path.utf8.index(path.utf8.startIndex, offsetBy: prefix.utf8.count)...])
    }

    /// The names between slashes, empty ones left out. Split on the byte `/`, not on
    /// Characters: a name may start with a combining mark, which joins a preceding `/` into
    /// one Character.
    public static func components(of path: String) -> [Substring] {
        path.utf8.split(separator: slash).map { Substring($0) }
    }

    private static let slash = UInt8(ascii: "/")

    /// Whether the path is what ``absolute(_:base:)`` would make of it: no empty, `.` or `..`
    /// component, no trailing slash, and a leading slash exactly when `absolute` (`/` itself is
    /// plain).
    private static func isPlain(_ path: String, absolute: Bool) -> Bool {
        ASCII.withBytes(of: path) { bytes in
            guard let first = bytes.first, (first == slash) == absolute else { return false }
            if absolute && bytes.count == 1 { return true }
            var componentStart = absolute ? 1 : 0
            for index in componentStart...bytes.count where index == bytes.count || bytes[index] == slash {
                let length = index - componentStart
                if length == 0 { return false }
                if length <= 2, bytes[componentStart] == UInt8(ascii: "."), length == 1 || bytes[componentStart + 1] == UInt8(ascii: ".") {
                    return false
                }
                componentStart = index + 1
            }
            return true
        }
    }

    /// The last byte that matches, searched on the bytes in place: stepping back through a
    /// `String.UTF8View` costs several times more, for every path of every file.
    @inline(__always)
    private static func lastIndex(in path: String, where matches: (UInt8) -> Bool) -> String.Index? {
        let offset = ASCII.withBytes(of: path) { bytes in bytes.lastIndex(where: matches) }
        return offset.map { path.utf8.index(path.utf8.startIndex, offsetBy: $0) }
    }

    private static func isAbsolute(_ path: String) -> Bool { path.utf8.first == slash }
}

/// File names are bytes; Swift strings are Unicode. So that a name that is not UTF-8
/// (`caf\xE9.environment`, written under Latin-1) is read, reported and rewritten like any
/// other, each byte that is not part of a UTF-8 character is carried in a path string as one
/// private-use scalar, U+10FE00 + the byte, and turned back into that byte at every system call.
/// A name that really holds one of those 128 scalars has the bytes of that scalar carried the
/// same way, so every name makes the round trip exactly.
public enum FileNameBytes {
    private static let base: UInt32 = 0x10FE00
    private static let carried: ClosedRange<UInt32> = 0x10FE80...0x10FEFF

    /// The path string for bytes read from the system (a directory entry, `realpath`, `argv`).
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        // An ASCII name (most) is its bytes: nothing to validate, repair or carry. Checked in
        // place first: validating a directory entry's name cost about 1,300 instructions.
        if let ascii = bytes.withContiguousStorageIfAvailable({ $0.allSatisfy { $0 < 0x80 } ? String(decoding: $0, as: UTF8.self) : nil }),
           let ascii {
            return ascii
        }
        if let simple = String(validating: bytes, as: UTF8.self), !carriesBytes(simple) { return simple }
        let bytes = Array(bytes)
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes, at: index)
            let scalar = length == 0 ? nil : String(decoding: bytes[index..<(index + length)], as: UTF8.self).unicodeScalars.first
            if let scalar, !carried.contains(scalar.value) {
                scalars.append(scalar)
            } else {
                for byte in bytes[index..<(index + max(length, 1))] { scalars.append(Unicode.Scalar(base + UInt32(byte))!) }
            }
            index += max(length, 1)
        }
        return String(scalars)
    }

    /// The length of the well-formed UTF-8 sequence starting at `index`, or 0 when there is none.
    private static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let (length, second): (Int, ClosedRange<UInt8>) = switch lead {
        case 0x00...0x7F: (1, 0x80...0xBF)
        case 0xC2...0xDF: (2, 0x80...0xBF)
        case 0xE0: (3, 0xA0...0xBF)
        case 0xED: (3, 0x80...0x9F)
        case 0xE1...0xEF: (3, 0x80...0xBF)
        case 0xF0: (4, 0x90...0xBF)
        case 0xF1...0xF3: (4, 0x80...0xBF)
        case 0xF4: (4, 0x80...0x8F)
        default: (0, 0x80...0xBF)
        }
        guard length > 1 else { return length }
        guard index + length <= bytes.count, second.contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
        return length
    }

    /// Whether the text may hold a carried byte (their scalars' UTF-8 starts 0xF4), looked for
    /// in place: every path discovered is decoded, and most are shown.
    private static func carriesBytes(_ text: String) -> Bool {
        ASCII.withBytes(of: text) { $0.contains(0xF4) }
    }

    /// The bytes a path string stands for, NUL-terminated, for a system call.
    public static func system(_ path: String) -> [CChar] {
        guard carriesBytes(path) else { return Array(path.utf8CString) }
        var bytes: [CChar] = []
        for scalar in path.unicodeScalars {
            if carried.contains(scalar.value) {
                bytes.append(CChar(bitPattern: UInt8(scalar.value - base)))
            } else {
                bytes += String(scalar).utf8.map { CChar(bitPattern: $0) }
            }
        }
        bytes.append(0)
        return bytes
    }

    /// The path with each carried byte written `\xNN`, for output that must be valid text
    /// (JSON, XML, SARIF's and GitHub's fields, messages).
    public static func shown(_ path: String) -> String {
        guard carriesBytes(path) else { return path }
        var text = ""
        for scalar in path.unicodeScalars {
            if carried.contains(scalar.value) {
                let byte = UInt8(scalar.value - base)
                text += "\\x" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}
