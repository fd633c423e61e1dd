import NexlintXML

/// How a rule's findings can be fixed.
public enum FixKind: String, Sendable {
    case none
    /// `lint --fix` applies it.
    case safe
    /// `nexlint migrate` rewrites it.
    case migrate
}

/// A file of a rule example, named so its extension gives its kind. In a failing example,
/// `↓` marks where each finding of the rule must be (as in SwiftLint's examples): just before
/// the character the finding points at, once per finding there. The marks are not part of
/// the file.
public struct ExampleFile: Sendable {
    public static let marker: Unicode.Scalar = "↓"

    public var name: String
    /// The text as written, marks included.
    public var markedContents: String

    public init(_ name: String, _ markedContents: String) {
        self.name = name
        self.markedContents = markedContents
    }

    /// The file's text: the marks removed.
    public var contents: String {
        // On the bytes: the mark's UTF-8 (E2 86 93) is never part of another scalar's, and
        // filtering scalar by scalar cost a SARIF report (every rule's examples, at its start)
        // several milliseconds.
        let mark = Array(String(Self.marker).utf8)
        return ASCII.withBytes(of: markedContents) { bytes in
            var kept: [UInt8] = []
            kept.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                if bytes[index] == mark[0], bytes[index...].starts(with: mark) {
                    index += mark.count
                } else {
                    kept.append(bytes[index])
                    index += 1
                }
            }
            return String(decoding: kept, as: UTF8.self)
        }
    }

    /// Where the marks are, as line and column of the file's text (columns count Unicode
    /// scalars, as findings' do), one entry per mark.
    public var markedPositions: [SourcePosition] {
        var positions: [SourcePosition] = []
        var (line, column) = (1, 1)
        for scalar in markedContents.unicodeScalars {
            if scalar == Self.marker {
                positions.append(SourcePosition(line: line, column: column))
            } else if scalar == "\n" {
                (line, column) = (line + 1, 1)
            } else {
                column += 1
            }
        }
        return positions
    }
}

/// A small repository a rule's documentation shows and the test suite runs.
public struct RuleExample: Sendable {
    public var files: [ExampleFile]
    /// Values as `--define` would give them.
    public var definitions: [String: String]
    /// For a failing example of a fixable rule: the files its fixes change, as `lint --fix`
    /// leaves them (the tests check that one pass gives exactly this, that it parses, and
    /// that the rule has nothing left to report).
    public var fixed: [ExampleFile]

    public init(_ files: [ExampleFile], definitions: [String: String] = [:], fixed: [ExampleFile] = []) {
        self.files = files
        self.definitions = definitions
        self.fixed = fixed
    }

    /// A single `.environment` file, and what its fixes make of it.
    public init(environment contents: String, definitions: [String: String] = [:], fixed: String? = nil) {
        self.init([ExampleFile("example.environment", contents)], definitions: definitions,
                  fixed: fixed.map { [ExampleFile("example.environment", $0)] } ?? [])
    }
}

/// The attributes a rule reads beyond what the model reads for it (channel names, `url`,
/// `authentication`, `authComponent`, `enabled`, `<Connection name>`, sync targets, the
/// root's attributes, password attributes and values with `${`). Parsing keeps only what the
/// model and the rules read; a rule that reads more says so here, in its own file.
public struct AttributesRead: Sendable {
    /// Elements whose every attribute the rule may read.
    public var elements: [String]
    /// Attributes the rule reads on any element.
    public var attributes: [String]

    public init(elements: [String] = [], attributes: [String] = []) {
        self.elements = elements
        self.attributes = attributes
    }

    /// Every attribute of an HTTP connection: what the Exchange Online channel rules read.
    public static let httpConnections = AttributesRead(elements: ["HTTPConnection"])
}

/// A rule's identity and documentation, in the spirit of SwiftLint's `RuleDescription`.
public struct RuleDescription: Sendable {
    public var identifier: String
    public var severity: Severity
    public var fix: FixKind
    /// What the rule reads that the model does not read for it.
    public var reads: AttributesRead
    public var title: String
    /// What the rule finds.
    public var summary: String
    /// Why it matters.
    public var rationale: String
    /// How to fix what it finds.
    public var remedy: String
    /// Each gives findings of this rule exactly where its `↓` marks are.
    public var triggeringExamples: [RuleExample]
    /// None may give a finding of this rule.
    public var nonTriggeringExamples: [RuleExample]

    public init(identifier: String, severity: Severity, fix: FixKind = .none, reads: AttributesRead = AttributesRead(),
                title: String, summary: String, rationale: String, remedy: String,
                triggeringExamples: [RuleExample], nonTriggeringExamples: [RuleExample]) {
        self.identifier = identifier
        self.severity = severity
        self.fix = fix
        self.reads = reads
        self.title = title
        self.summary = summary
        self.rationale = rationale
        self.remedy = remedy
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
    }
}

/// Collects one rule's findings; the engine gives it the rule's identity and severity.
public struct FindingSink: Sendable {
    public private(set) var ruleID: String
    public private(set) var severity: Severity
    /// The engine lends its findings so far and takes them back: one array for all rules.
    public internal(set) var findings: [Finding] = []

    public init(ruleID: String, severity: Severity) {
        self.ruleID = ruleID
        self.severity = severity
    }

    /// The next rule's identity: its findings follow the previous rules' in the same array.
    mutating func retarget(ruleID: String, severity: Severity) {
        self.ruleID = ruleID
        self.severity = severity
    }

    /// Reports on an element's start tag.
    /// `secret`: the password value a finding is about, for the baseline's digest (never shown).
    public mutating func report(_ message: consuming FindingMessage, file: String, element: NexJElement,
                                channel: consuming String? = nil, fix: consuming Fix? = nil, secret: consuming SecretValue? = nil) {
        append(message, file: file, at: element.position, element: element.name, channel: channel, fix: fix, secret: secret)
    }

    /// Reports at a position that is not an element's: a parse error, a file's start, a comment.
    public mutating func report(_ message: consuming FindingMessage, file: String, at position: SourcePosition, subject: String) {
        append(message, file: file, at: position, element: subject, channel: nil, fix: nil, secret: nil)
    }

    /// Reports on a channel's start tag; the message is prefixed with the channel's name.
    public mutating func report(_ message: consuming FindingMessage, on channel: Channel, fix: consuming Fix? = nil,
                                secret: consuming SecretValue? = nil) {
        // The element's name fetched once, for the message and the finding (each fetch is a
        // look-up and a retain).
        let element = channel.element
        let elementName = element.name
        append(message.naming(channel: channel.name, element: elementName), file: channel.file, at: element.position,
               element: elementName, channel: channel.name, fix: fix, secret: secret)
    }

    /// Its values are handed over, not copied: a finding takes the texts its report made for
    /// it (copying each cost a retain, and releasing the original a release).
    private mutating func append(_ message: consuming FindingMessage, file: consuming String, at position: SourcePosition,
                                 element: consuming String, channel: consuming String?, fix: consuming Fix?,
                                 secret: consuming SecretValue?) {
        let finding = Finding(ruleID: ruleID, severity: severity,
                              location: SourceLocation(file: consume file, position: position),
                              message: consume message, channel: consume channel, element: consume element,
                              fix: consume fix, secret: consume secret)
        // Room for a unit's usual findings at the first: growing from one (1, 2, 4, 8, 16) cost
        // about 100 instructions a finding, and a unit with none allocates nothing.
        if findings.capacity == 0 { findings.reserveCapacity(16) }
        findings.append(consume finding)
    }
}

/// A rule of the catalogue. Each implements the scopes it needs; the others do nothing.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    /// Every file, including those that could not be checked (the only scope that sees them).
    func check(file: NexJFile, into sink: inout FindingSink)
    /// Every deployment unit.
    func check(unit: DeploymentUnit, into sink: inout FindingSink)
    /// Every sync target once, with what it needs of the units it applies to.
    func check(syncTarget: SyncTarget, scope: SyncTargetScope, into sink: inout FindingSink)
    /// Every file's suppression comments, once the other findings are known.
    func check(suppressions: [SuppressionOutcome], into sink: inout FindingSink)
}

public extension Rule {
    func check(file: NexJFile, into sink: inout FindingSink) {}
    func check(unit: DeploymentUnit, into sink: inout FindingSink) {}
    func check(syncTarget: SyncTarget, scope: SyncTargetScope, into sink: inout FindingSink) {}
    func check(suppressions: [SuppressionOutcome], into sink: inout FindingSink) {}

    var description: RuleDescription { Self.description }
}
