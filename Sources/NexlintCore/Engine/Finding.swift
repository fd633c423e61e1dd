import NexlintXML

public enum Severity: String, Sendable, CaseIterable, Comparable {
    case note, warning, error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// Its place in `allCases`.
    var index: Int { rank }
}

/// Where a finding is: the file as reported and the 1-based line and column.
public struct SourceLocation: Sendable, Hashable, Comparable {
    public var file: String
    public var position: SourcePosition

    public init(file: String, position: SourcePosition) {
        self.file = file
        self.position = position
    }

    public var line: Int { position.line }
    public var column: Int { position.column }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.position) < (rhs.file, rhs.position)
    }
}

/// One problem, as every reporter sees it.
public struct Finding: Sendable, Hashable, Comparable {
    public var ruleID: String
    public var severity: Severity
    public var location: SourceLocation
    /// The message as the rule wrote it, in pieces.
    public var wording: FindingMessage
    public var message: String { wording.text }
    /// The channel concerned, where one is.
    public var channel: String?
    /// The name of the element concerned (`document` for the whole file, `comment` for a
    /// suppression): with the channel, what identifies a finding when lines move.
    public var element: String
    /// The safe fix `lint --fix` can apply, if any.
    public var fix: Fix? { attachments?.fix }
    /// The secret a finding about a password is about (EXO007, EXO008), so a baseline can tell
    /// a changed secret from the one it accepted. No reporter shows it.
    public var secret: SecretValue? { attachments?.secret }

    /// What few findings carry, behind one reference: a finding is copied several times on its
    /// way to a report, and every field copied is a reference count touched.
    private final class Attachments: Sendable, Hashable {
        let fix: Fix?
        let secret: SecretValue?

        init(fix: Fix?, secret: SecretValue?) {
            self.fix = fix
            self.secret = secret
        }

        static func == (lhs: Attachments, rhs: Attachments) -> Bool { lhs.fix == rhs.fix && lhs.secret == rhs.secret }

        func hash(into hasher: inout Hasher) {
            hasher.combine(fix)
            hasher.combine(secret)
        }
    }

    private let attachments: Attachments?

    public init(ruleID: String, severity: Severity, location: SourceLocation, message: FindingMessage,
                channel: String? = nil, element: String, fix: Fix? = nil, secret: SecretValue? = nil) {
        self.ruleID = ruleID
        self.severity = severity
        self.location = location
        wording = message
        self.channel = channel
        self.element = element
        attachments = fix == nil && secret == nil ? nil : Attachments(fix: fix, secret: secret)
    }

    /// `lint --fix` can fix it.
    public var isFixable: Bool { fix != nil }

    /// What the finding is about, independent of its line: the channel, or else the element.
    public var subject: String { channel ?? element }

    /// Path, line, column, rule, then message and channel, so any two runs sort alike.
    public static func < (lhs: Finding, rhs: Finding) -> Bool {
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        if lhs.ruleID != rhs.ruleID { return lhs.ruleID < rhs.ruleID }
        if lhs.wording != rhs.wording { return lhs.wording < rhs.wording }
        return (lhs.channel ?? "") < (rhs.channel ?? "")
    }
}

/// The lowest severity that fails a run (`--fail-on`, config `fail-on:`).
public enum FailThreshold: String, Sendable, CaseIterable {
    case error, warning, note, never

    public func isExceeded(by findings: [Finding]) -> Bool {
        guard let threshold = Severity(rawValue: rawValue) else { return false }
        return findings.contains { $0.severity >= threshold }
    }
}

/// A safe fix: attribute values to set on one element's start tag (spec §6: the EXO001
/// `authComponent`, EXO002 `secure`, EXO003 scheme and path).
public struct Fix: Sendable, Hashable {
    public var file: String
    public var element: String
    /// The start tag's bytes in the file as it was read.
    public var tagBytes: Range<Int>
    /// Attribute names and the values to give them, in order.
    public var values: [AttributeValueChange]

    public init(file: String, element: String, tagBytes: Range<Int>, values: [AttributeValueChange]) {
        self.file = file
        self.element = element
        self.tagBytes = tagBytes
        self.values = values
    }
}

public struct AttributeValueChange: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A secret held for a digest only: it prints as a mask wherever it is interpolated.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    private let text: String

    public init(_ text: String) {
        self.text = text
    }

    public var description: String { "••••" }
    public var debugDescription: String { "••••" }

    /// SHA-256 of the salt and the value, in hex: what a baseline stores.
    public func digest(salt: String) -> String {
        SHA256.hexDigest(Array(salt.utf8) + [0] + Array(text.utf8))
    }
}
