#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--select` and `--ignore`: entries are rule IDs or prefixes of them (`EXO` selects every
/// Exchange Online rule), as in ruff. Ignoring wins over selecting.
public struct RuleSelection: Sendable {
    public var select: [String]?
    public var ignore: [String]

    public init(select: [String]? = nil, ignore: [String] = []) {
        self.select = select
        self.ignore = ignore
    }

    public func includes(_ identifier: String) -> Bool {
        let selected = select.map { $0.contains { identifier.hasPrefix($0) } } ?? true
        return selected && !ignore.contains { identifier.hasPrefix($0) }
    }

    /// Entries that match no rule of the catalogue.
    public func unknownEntries(in identifiers: [String]) -> [String] {
        ((select ?? []) + ignore).filter { entry in entry.isEmpty || !identifiers.contains { $0.hasPrefix(entry) } }
    }
}

/// The closest candidate by edit distance, for "did you mean" messages.
public enum Spelling {
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        // A candidate that starts with the word (`warn` → `warning`) is as near as a typo.
        let scored = candidates.map { candidate in
            (candidate, candidate.uppercased().hasPrefix(word.uppercased()) && !word.isEmpty
                ? 1 : distance(word.uppercased(), candidate.uppercased()))
        }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }), best.1 <= max(2, word.count / 2) else { return nil }
        return best.0
    }

    static func distance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

public enum ProcessorCount {
    public static var online: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
