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
            let slash = UInt8(ascii: "/")
            while pattern.utf8.last == slash { pattern = pattern.dropLast() }
            let anchored = pattern.utf8.contains(slash)
            while pattern.utf8.first == slash { pattern = pattern[pattern.utf8.index(after: pattern.startIndex)...] }
            return pattern.isEmpty ? nil : (String(pattern), anchored)
        }
    }

    /// Whether a path (absolute, or relative to `workingDirectory`) is excluded.
    public func excludes(_ path: String, workingDirectory: String) -> Bool {
        let relative = PathNames.relative(PathNames.absolute(path, base: workingDirectory), to: base)
        guard relative.utf8.first != UInt8(ascii: "/"), relative != "." else { return false }
        let components = PathNames.components(of: relative).map(String.init)
        return globs.contains { glob in
            if glob.anchored {
                // The path itself or any directory above it.
                return (1...components.count).contains { Glob.matches(glob.pattern, components.prefix($0).joined(separator: "/")) }
            }
            return components.contains { Glob.matches(glob.pattern, $0) }
        }
    }
}

/// Glob matching as a set of text positions advanced token by token (a simulation of the
/// pattern's automaton), so a pattern of stars costs its length times the text's, never the
/// exponential time of backtracking, and nothing recurses.
enum Glob {
    private enum Token {
        case literal(Unicode.Scalar)
        /// `?`: one character other than `/`.
        case anyCharacter
        /// `[…]`: one character other than `/` in (or, negated, not in) the class.
        case characterClass(ranges: [ClosedRange<Unicode.Scalar>], negated: Bool)
        /// `*`: any run of characters other than `/`.
        case star
        /// `**`: any run of characters.
        case anything
        /// `**/`: nothing, or any run of characters ending with `/`.
        case directories
    }

    static func matches(_ pattern: String, _ text: String) -> Bool {
        let text = Array(text.unicodeScalars)
        // reachable[i]: the pattern read so far can end just before text[i].
        var reachable = [Bool](repeating: false, count: text.count + 1)
        reachable[0] = true
        for token in tokens(of: Array(pattern.unicodeScalars)) {
            var next = [Bool](repeating: false, count: text.count + 1)
            switch token {
            case .literal(let scalar):
                for index in text.indices where reachable[index] && text[index] == scalar { next[index + 1] = true }
            case .anyCharacter:
                for index in text.indices where reachable[index] && text[index] != "/" { next[index + 1] = true }
            case .characterClass(let ranges, let negated):
                for index in text.indices where reachable[index] && text[index] != "/"
                    && ranges.contains(where: { $0.contains(text[index]) }) != negated {
                    next[index + 1] = true
                }
            case .star:
                var open = false
                for index in 0...text.count {
                    if reachable[index] { open = true }
                    if open { next[index] = true }
                    if index < text.count, text[index] == "/" { open = false }
                }
            case .anything:
                guard let first = reachable.firstIndex(of: true) else { return false }
                for index in first...text.count { next[index] = true }
            case .directories:
                guard let first = reachable.firstIndex(of: true) else { return false }
                next = reachable
                for index in (first + 1)...max(first + 1, text.count) where index <= text.count && text[index - 1] == "/" {
                    next[index] = true
                }
            }
            guard next.contains(true) else { return false }
            reachable = next
        }
        return reachable[text.count]
    }

    private static func tokens(of pattern: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        while index < pattern.count {
            switch pattern[index] {
            case "*":
                if index + 1 < pattern.count, pattern[index + 1] == "*" {
                    if index + 2 < pattern.count, pattern[index + 2] == "/" {
                        tokens.append(.directories)
                        index += 3
                    } else {
                        tokens.append(.anything)
                        index += 2
                    }
                } else {
                    tokens.append(.star)
                    index += 1
                }
            case "?":
                tokens.append(.anyCharacter)
                index += 1
            case "[":
                // The first character of a class may be `]` itself; without a closing `]` the
                // `[` is a literal.
                guard index + 2 < pattern.count, let close = pattern[(index + 2)...].firstIndex(of: "]") else {
                    tokens.append(.literal("["))
                    index += 1
                    continue
                }
                var members = pattern[(index + 1)..<close]
                let negated = members.first == "!" || members.first == "^"
                if negated { members = members.dropFirst() }
                var ranges: [ClosedRange<Unicode.Scalar>] = []
                var member = members.startIndex
                while member < members.endIndex {
                    if member + 2 < members.endIndex, members[member + 1] == "-" {
                        if members[member] <= members[member + 2] { ranges.append(members[member]...members[member + 2]) }
                        member += 3
                    } else {
                        ranges.append(members[member]...members[member])
                        member += 1
                    }
                }
                tokens.append(.characterClass(ranges: ranges, negated: negated))
                index = close + 1
            default:
                tokens.append(.literal(pattern[index]))
                index += 1
            }
        }
        return tokens
    }
}
