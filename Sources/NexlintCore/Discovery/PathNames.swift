/// Name arithmetic on the slash-separated paths nexlint reports.
public enum PathNames {
    /// The directory part ("." for a bare file name).
    // Paths are split on their UTF-8 bytes: `/` and `.` are ASCII and never part of another
    // character, and searching by Character costs far more for paths walked by the thousand.
    public static func directory(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func fileName(of path: String) -> String {
        path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(path[path.utf8.index(after: $0)...]) } ?? path
    }

    /// The extension after the file name's last dot, without the dot; nil when it has none.
    public static func fileExtension(of path: String) -> Substring? {
        guard let dot = path.utf8.lastIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") }),
              path.utf8[dot] == UInt8(ascii: ".") else { return nil }
        return path[path.utf8.index(after: dot)...]
    }

    /// The file name without its extension, as `<ValidConnections>` names files.
    public static func baseName(of path: String) -> String {
        let name = fileName(of: path)
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// `a/./b//c` → `a/b/c`; a leading `./` goes; `..` is kept (it is not ours to resolve).
    public static func normalized(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        let parts = path.split(separator: "/").filter { $0 != "." }
        let joined = parts.joined(separator: "/")
        if isAbsolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    public static func join(_ directory: String, _ name: String) -> String {
        directory == "." ? name : directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The absolute form of a path, `.` and `..` resolved lexically.
    public static func absolute(_ path: String, base: String) -> String {
        var parts: [Substring] = []
        let full = path.hasPrefix("/") ? path : base + "/" + path
        for part in full.split(separator: "/") {
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
        if path == base { return "." }
        let prefix = base == "/" ? "/" : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
