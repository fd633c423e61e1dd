import NexlintXML

/// One problem, as every reporter sees it. Immutable, and a reference: a finding passes
/// through sorting, suppression, the baseline and a reporter, and each step holds it by one
/// reference rather than copying its fields.
public final class Finding: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let ruleID: String
    public let severity: Severity
    public let location: SourceLocation
    /// The message as the rule wrote it, in pieces.
    public let wording: FindingMessage
    public var message: String { wording.text }
    /// The channel concerned, where one is.
    public let channel: String?
    /// The name of the element concerned (`document` for the whole file, `comment` for a
    /// suppression): with the channel, what identifies a finding when lines move.
    public let element: String
    /// The safe fix `lint --fix` can apply, if any.
    public let fix: Fix?
    /// The secret a finding about a password is about (EXO007, EXO008), so a baseline can tell
    /// a changed secret from the one it accepted. No reporter shows it.
    public let secret: SecretValue?

    public init(ruleID: String, severity: Severity, location: SourceLocation, message: FindingMessage,
                channel: String? = nil, element: String, fix: Fix? = nil, secret: SecretValue? = nil) {
        self.ruleID = ruleID
        self.severity = severity
        self.location = location
        wording = message
        self.channel = channel
        self.element = element
        self.fix = fix
        self.secret = secret
    }

    /// `lint --fix` can fix it.
    public var isFixable: Bool { fix != nil }

    /// What the finding is about, independent of its line: the channel, or else the element.
    public var subject: String { channel ?? element }

    public static func == (lhs: Finding, rhs: Finding) -> Bool {
        lhs === rhs || (lhs.ruleID == rhs.ruleID && lhs.severity == rhs.severity && lhs.location == rhs.location
            && lhs.channel == rhs.channel && lhs.element == rhs.element && lhs.fix == rhs.fix && lhs.secret == rhs.secret
            && lhs.wording == rhs.wording)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ruleID)
        hasher.combine(location)
        hasher.combine(wording)
        hasher.combine(channel)
        hasher.combine(element)
    }

    public var description: String { "\(location.file):\(location.position): \(ruleID) \(message)" }

    /// Path, line, column, rule, then message and channel, so any two runs sort alike.
    public static func < (lhs: Finding, rhs: Finding) -> Bool {
        if lhs.location.file != rhs.location.file { return lhs.location.file < rhs.location.file }
        if lhs.location.position != rhs.location.position { return lhs.location.position < rhs.location.position }
        if lhs.ruleID != rhs.ruleID { return lhs.ruleID < rhs.ruleID }
        // Compared once, both ways at a time: `!=` and then `<` walked the messages twice.
        switch FindingMessage.order(lhs.wording, rhs.wording) {
        case .ascending: return true
        case .descending: return false
        case .same: return (lhs.channel ?? "") < (rhs.channel ?? "")
        }
    }
}
