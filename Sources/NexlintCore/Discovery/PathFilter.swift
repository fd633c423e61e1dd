/// Paths excluded by configuration, as globs relative to a base directory (the configuration
/// file's), in the manner of `.gitignore`:
/// - a pattern without `/` matches a file or directory name at any depth (`*.bak`, `archive`);
/// - a pattern with `/` matches the path from the base (`legacy/*.environment`, `envs/**/old`);
/// - `*` and `?` stay within a name, `**` spans directories, `[a-z]` is a class;
/// - excluding a directory excludes everything in it.
public struct PathFilter: Sendable {
    /// The patterns as written.
    public var patterns: [String]
    /// Absolute directory the patterns are relative to.
    public var base: String
    private var globs: [(pattern: String, anchored: Bool)]

    public init(patterns: [String], base: String) {
        self.patterns = patterns
        self.base = PathNames.normalized(base)
        // A leading `/` anchors a pattern to the base, as does a `/` inside it; a trailing `/` is
        // redundant (every match excludes what is below it).
        globs = patterns.compactMap { written in
            var pattern = Substring(written)
            while pattern.hasSuffix("/") { pattern = pattern.dropLast() }
            let anchored = pattern.contains("/")
            while pattern.hasPrefix("/") { pattern = pattern.dropFirst() }
            return pattern.isEmpty ? nil : (String(pattern), anchored)
        }
    }

    /// Whether a path (absolute, or relative to `workingDirectory`) is excluded.
    public func excludes(_ path: String, workingDirectory: String) -> Bool {
        let relative = PathNames.relative(PathNames.absolute(path, base: workingDirectory), to: base)
        guard !relative.hasPrefix("/"), relative != "." else { return false }
        let components = relative.split(separator: "/").map(String.init)
        return globs.contains { glob in
            if glob.anchored {
                // The path itself or any directory above it.
                return (1...components.count).contains { Glob.matches(glob.pattern, components.prefix($0).joined(separator: "/")) }
            }
            return components.contains { Glob.matches(glob.pattern, $0) }
        }
    }
}

enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        matches(Array(pattern.unicodeScalars)[...], Array(text.unicodeScalars)[...])
    }

    private static func matches(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        switch first {
        case "*":
            if pattern.dropFirst().first == "*" {
                // `**/` also matches no directory at all.
                var rest = pattern.dropFirst(2)
                if rest.first == "/" {
                    rest = rest.dropFirst()
                    if matches(rest, text) { return true }
                }
                return (text.startIndex...text.endIndex).contains { matches(rest, text[$0...]) }
            }
            let rest = pattern.dropFirst()
            var index = text.startIndex
            while true {
                if matches(rest, text[index...]) { return true }
                guard index < text.endIndex, text[index] != "/" else { return false }
                index += 1
            }
        case "?":
            guard let character = text.first, character != "/" else { return false }
            return matches(pattern.dropFirst(), text.dropFirst())
        case "[":
            guard let close = pattern.dropFirst(2).firstIndex(of: "]"), let character = text.first, character != "/" else {
                return text.first == "[" && matches(pattern.dropFirst(), text.dropFirst())
            }
            var set = pattern[(pattern.startIndex + 1)..<close]
            let negated = set.first == "!" || set.first == "^"
            if negated { set = set.dropFirst() }
            var inClass = false
            var index = set.startIndex
            while index < set.endIndex {
                if index + 2 < set.endIndex, set[index + 1] == "-" {
                    if set[index] <= character && character <= set[index + 2] { inClass = true }
                    index += 3
                } else {
                    if set[index] == character { inClass = true }
                    index += 1
                }
            }
            return inClass != negated && matches(pattern[(close + 1)...], text.dropFirst())
        default:
            return text.first == first && matches(pattern.dropFirst(), text.dropFirst())
        }
    }
}
