import NexlintXML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `<!-- nexlint-disable-next-line ID, ID: reason -->` or `<!-- nexlint-disable-file ID -->`
/// comment, or a comment that starts like one but is not well-formed.
public struct Suppression: Sendable {
    public enum Scope: Sendable, Equatable {
        /// The next element's start tag, or nil when no element follows the comment.
        case nextElement(SourcePosition?)
        case file
    }

    /// What every nexlint comment starts with; other comments are not read.
    public static let directivePrefix = "nexlint-"
    public static let nextLineDirective = "nexlint-disable-next-line"
    public static let fileDirective = "nexlint-disable-file"

    public var file: String
    public var position: SourcePosition
    public var scope: Scope?
    public var ruleIDs: [String]
    /// The directive as written, when it is not one of the two.
    public var unknownDirective: String?

    /// The suppression a comment states, or nil when the comment is not addressed to nexlint.
    // Read as UTF-8 bytes: the directive, IDs and separators are ASCII, and a file may hold
    // tens of thousands of comments (spec §7), where walking Characters costs far more.
    package init?(comment: XMLComment, file: String) {
        var text = comment.text
        guard let parsed = text.withUTF8(Self.parse) else { return nil }
        self.file = file
        position = SourcePosition(comment.position)
        ruleIDs = parsed.ruleIDs
        switch parsed.directive {
        case .nextLine: scope = .nextElement(comment.nextElementPosition.map(SourcePosition.init))
        case .file: scope = .file
        case .unknown(let written): unknownDirective = written
        }
    }

    private enum Directive {
        case nextLine, file, unknown(String)
    }

    private static let prefixBytes = Array(directivePrefix.utf8)
    private static let nextLineBytes = Array(nextLineDirective.utf8)
    private static let fileBytes = Array(fileDirective.utf8)

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (directive: Directive, ruleIDs: [String])? {
        let isSpace = ASCII.isWhitespace
        func equals(_ range: Range<Int>, _ expected: [UInt8]) -> Bool {
            range.count == expected.count && expected.withUnsafeBufferPointer { expected in
                memcmp(bytes.baseAddress! + range.lowerBound, expected.baseAddress!, range.count) == 0
            }
        }
        var start = 0
        while start < bytes.count, isSpace(bytes[start]) { start += 1 }
        guard equals(start..<min(bytes.count, start + prefixBytes.count), prefixBytes) else { return nil }
        var directiveEnd = start
        while directiveEnd < bytes.count, !isSpace(bytes[directiveEnd]), bytes[directiveEnd] != UInt8(ascii: ":") { directiveEnd += 1 }
        let written = start..<directiveEnd
        let directive: Directive = equals(written, nextLineBytes) ? .nextLine
            : equals(written, fileBytes) ? .file : .unknown(String(decoding: bytes[written], as: UTF8.self))
        // The IDs: separated by white space and commas, up to the first colon.
        var ruleIDs: [String] = []
        var cursor = directiveEnd
        while cursor < bytes.count, bytes[cursor] != UInt8(ascii: ":") {
            guard !isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ",") else {
                cursor += 1
                continue
            }
            let idStart = cursor
            while cursor < bytes.count, !isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ","),
                  bytes[cursor] != UInt8(ascii: ":") { cursor += 1 }
            ruleIDs.append(uppercasedID(UnsafeBufferPointer(rebasing: bytes[idStart..<cursor])))
        }
        return (directive, ruleIDs)
    }

    /// Rule IDs are read in any case, as on the command line. An ASCII one (every real one)
    /// is uppercased byte by byte, which is what `uppercased()` gives it without its Unicode
    /// tables (a file may hold tens of thousands of suppressions); any other as `uppercased()` does.
    private static func uppercasedID(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        bytes.allSatisfy { $0 < 0x80 } ? ASCII.uppercased(bytes) : String(decoding: bytes, as: UTF8.self).uppercased()
    }
}

/// What one suppression did in a run: which of its rule IDs matched no finding.
public struct SuppressionOutcome: Sendable {
    public var suppression: Suppression
    /// Rule IDs it names that are in the catalogue, enabled in this run, and matched nothing.
    public var unusedRuleIDs: [String]
    /// Rule IDs it names that are not in the catalogue.
    public var unknownRuleIDs: [String]
    /// For an unknown rule ID, the catalogue's nearest, if one is near.
    public var suggestions: [String: String]

    public init(suppression: Suppression, unusedRuleIDs: [String], unknownRuleIDs: [String], knownRules: Set<String> = []) {
        self.suppression = suppression
        self.unusedRuleIDs = unusedRuleIDs
        self.unknownRuleIDs = unknownRuleIDs
        // The catalogue is sorted only for a suppression naming an unknown rule: most name none,
        // and a file may hold tens of thousands of suppressions.
        guard !unknownRuleIDs.isEmpty else {
            suggestions = [:]
            return
        }
        let candidates = knownRules.sorted()
        suggestions = Dictionary(uniqueKeysWithValues: Set(unknownRuleIDs).compactMap { id in
            Spelling.nearest(to: id, in: candidates).map { (id, $0) }
        })
    }

    public var suppressedNothing: Bool {
        suppression.unknownDirective != nil || suppression.ruleIDs.isEmpty
            || !unusedRuleIDs.isEmpty || !unknownRuleIDs.isEmpty
            || suppression.scope == .nextElement(nil)
    }
}

public extension StringProtocol {
    func trimmingWhitespace() -> SubSequence {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<Swift.max(start, end)]
    }
}
