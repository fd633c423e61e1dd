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
    // Read as UTF-8 bytes: the directive, IDs and separators are ASCII, and a file may hold
    // tens of thousands of comments (spec §7), where walking Characters costs far more.
    public init?(comment: XMLComment, file: String) {
        var text = comment.text
        guard let parsed = text.withUTF8(Self.parse) else { return nil }
        self.file = file
        position = comment.position
        ruleIDs = parsed.ruleIDs
        switch parsed.directive {
        case .nextLine: scope = .nextElement(comment.nextElementPosition)
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
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }),
              bytes.count - start >= prefixBytes.count,
              prefixBytes.indices.allSatisfy({ bytes[start + $0] == prefixBytes[$0] }) else { return nil }
        let directiveEnd = bytes[start...].firstIndex { isSpace($0) || $0 == UInt8(ascii: ":") } ?? bytes.endIndex
        let written = bytes[start..<directiveEnd]
        let directive: Directive = written.elementsEqual(nextLineBytes) ? .nextLine
            : written.elementsEqual(fileBytes) ? .file : .unknown(String(decoding: written, as: UTF8.self))
        let listEnd = bytes[directiveEnd...].firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
        let ruleIDs = bytes[directiveEnd..<listEnd].split { isSpace($0) || $0 == UInt8(ascii: ",") }
            .map { String(decoding: $0, as: UTF8.self) }
        return (directive, ruleIDs)
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
