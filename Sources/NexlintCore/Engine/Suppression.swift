import NexlintXML

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
    public init?(comment: XMLComment, file: String) {
        let text = comment.text.trimmingWhitespace()
        guard text.hasPrefix(Self.directivePrefix) else { return nil }
        self.file = file
        position = comment.position
        let directiveEnd = text.firstIndex { $0.isWhitespace || $0 == ":" } ?? text.endIndex
        let directive = String(text[..<directiveEnd])
        let idList = text[directiveEnd...].prefix { $0 != ":" }
        ruleIDs = idList.split { $0 == "," || $0.isWhitespace }.map(String.init)
        switch directive {
        case Self.nextLineDirective: scope = .nextElement(comment.nextElementPosition)
        case Self.fileDirective: scope = .file
        default: unknownDirective = directive
        }
    }

    public func covers(_ finding: Finding) -> Bool {
        guard finding.location.file == file, ruleIDs.contains(finding.ruleID) else { return false }
        switch scope {
        case .file: return true
        case .nextElement(let target): return target == finding.location.position
        case nil: return false
        }
    }
}

/// What one suppression did in a run: which of its rule IDs matched no finding.
public struct SuppressionOutcome: Sendable {
    public var suppression: Suppression
    /// Rule IDs it names that are in the catalogue, enabled in this run, and matched nothing.
    public var unusedRuleIDs: [String]
    /// Rule IDs it names that are not in the catalogue.
    public var unknownRuleIDs: [String]

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
