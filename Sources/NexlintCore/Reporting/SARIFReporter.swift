import NexlintXML

/// SARIF 2.1.0 with what GitHub code scanning reads: the rule catalogue with descriptions and
/// help, one physical location per result relative to the repository root, and fingerprints
/// that survive lines moving (rule, file, channel or element, and occurrence).
public struct SARIFReporter: Reporter {
    public let rules: [RuleDescription]
    public let repository: RepositoryLocation

    /// The catalogue's identifiers, in the order written, and their indexes by comparison key:
    /// a rule's index is found by its key, then the identifier compared once. Comparing the
    /// finding's identifier with each in turn made a call of every pair that differs, about
    /// eight a result; comparing keys in turn still cost ~200 instructions a result. Nil when an
    /// identifier is not ASCII (its key tells nothing): then each is compared.
    private let ruleIDs: [String]
    private let ruleIndexes: DigestTable<Int>?
    private var json = JSONStream()

    public init(rules: [RuleDescription], repository: RepositoryLocation) {
        self.rules = rules
        self.repository = repository
        ruleIDs = rules.map(\.identifier)
        ruleIndexes = Self.indexes(of: ruleIDs)
    }

    private static func indexes(of ruleIDs: [String]) -> DigestTable<Int>? {
        var table = DigestTable<Int>(holding: ruleIDs.count)
        for (index, id) in ruleIDs.enumerated() {
            let key = Fingerprint.comparisonKey(of: id)
            guard key != 0 else { return nil }
            table.set(index, digest: key, at: table.slot(of: key) { _ in false })
        }
        return table
    }

    private func ruleIndex(of ruleID: String) -> Int? {
        let key = Fingerprint.comparisonKey(of: ruleID)
        guard let ruleIndexes, key != 0 else { return ruleIDs.firstIndex(of: ruleID) }
        return ruleIndexes[ruleIndexes.slot(of: key) { ruleIDs[$0] == ruleID }]
    }

    public static let fingerprintKey = "nexlint/v1"

    public mutating func begin(_ output: inout ByteOutput) {
        json.beginObject(&output)
        json.key("$schema", &output)
        json.string("https://json.schemastore.org/sarif-2.1.0.json", &output)
        json.key("version", &output)
        json.string("2.1.0", &output)
        json.key("runs", &output)
        json.beginArray(&output)
        json.element(&output)
        json.beginObject(&output)
        json.key("tool", &output)
        JSONValue.object([("driver", .object([
            ("name", .string("nexlint")),
            ("semanticVersion", .string(Nexlint.version)),
            ("rules", .array(rules.map(Self.ruleDescriptor))),
        ]))]).write(&json, &output)
        json.key("columnKind", &output)
        json.string("unicodeCodePoints", &output)
        json.key("results", &output)
        json.beginArray(&output)
        result = json.template { Self.layOutResult(includingRuleIndex: true, &$0, &$1) }
        resultWithoutRuleIndex = json.template { Self.layOutResult(includingRuleIndex: false, &$0, &$1) }
    }

    public mutating func file(_ path: String, findings: [Finding], _ output: inout ByteOutput) {
        guard !findings.isEmpty else { return }
        // Once per file: its path from the repository root, the URI made of it, and its
        // findings' fingerprints.
        let uri = repository.relativePath(of: path)
        let quotedURI = JSONStream.quoted(Self.percentEncoded(uri))
        var fingerprints = FileFingerprints(path: uri, count: findings.count)
        findings.forEachBorrowed { finding in
            writeResult(finding, quotedURI: quotedURI, fingerprints: &fingerprints, &output)
            output.drainIfLarge()
        }
    }

    /// One finding's result. Called, not inlined, with the finding borrowed (see
    /// ``JSONReporter``'s `write`).
    @inline(never)
    private mutating func writeResult(_ finding: Finding, quotedURI: [UInt8], fingerprints: inout FileFingerprints,
                                      _ output: inout ByteOutput) {
        let index = ruleIndex(of: finding.ruleID)
        var layout = LayoutCursor(index == nil ? resultWithoutRuleIndex : result)
        json.element(&output)
        layout.writeNext(to: &output)
        json.string(finding.ruleID, &output)
        layout.writeNext(to: &output)
        if let index {
            json.int(index, &output)
            layout.writeNext(to: &output)
        }
        json.string(finding.severity.rawValue, &output)
        layout.writeNext(to: &output)
        json.string(finding.wording, &output)
        layout.writeNext(to: &output)
        output.append(quotedURI)
        layout.writeNext(to: &output)
        json.int(finding.location.line, &output)
        layout.writeNext(to: &output)
        json.int(finding.location.column, &output)
        layout.writeNext(to: &output)
        output.append(UInt8(ascii: "\""))
        fingerprints.next(finding).appendHex(to: &output)
        output.append(UInt8(ascii: "\""))
        layout.writeNext(to: &output)
    }

    /// A result's layout around its values, as the stream lays it out, with and without a
    /// `ruleIndex` (made at ``begin(_:)``).
    private var result = ByteParts()
    private var resultWithoutRuleIndex = ByteParts()

    /// A result: `ruleId`, `ruleIndex` (if any), `level`, the message, the URI, the line and
    /// column, and the fingerprint, each a hole.
    private static func layOutResult(includingRuleIndex: Bool, _ json: inout JSONStream, _ output: inout ByteOutput) {
        json.beginObject(&output)
        json.hole(named: "ruleId", &output)
        if includingRuleIndex {
            json.hole(named: "ruleIndex", &output)
        }
        json.hole(named: "level", &output)
        json.key("message", &output)
        json.beginObject(&output)
        json.hole(named: "text", &output)
        json.endObject(&output)
        json.key("locations", &output)
        json.beginArray(&output)
        json.element(&output)
        json.beginObject(&output)
        json.key("physicalLocation", &output)
        json.beginObject(&output)
        json.key("artifactLocation", &output)
        json.beginObject(&output)
        json.hole(named: "uri", &output)
        json.key("uriBaseId", &output)
        json.string("%SRCROOT%", &output)
        json.endObject(&output)
        json.key("region", &output)
        json.beginObject(&output)
        json.hole(named: "startLine", &output)
        json.hole(named: "startColumn", &output)
        json.endObject(&output)
        json.endObject(&output)
        json.endObject(&output)
        json.endArray(&output)
        json.key("partialFingerprints", &output)
        json.beginObject(&output)
        json.key(data: fingerprintKey, &output)
        ByteParts.hole(&output)
        json.endObject(&output)
        json.endObject(&output)
    }

    public mutating func end(_: ReportTotals, _ output: inout ByteOutput) {
        json.endArray(&output)
        json.endObject(&output)
        json.endArray(&output)
        json.endObject(&output)
        json.finish(&output)
    }


    private static func ruleDescriptor(_ rule: RuleDescription) -> JSONValue {
        .object([
            ("id", .string(rule.identifier)),
            ("shortDescription", .object([("text", .string(rule.title))])),
            ("fullDescription", .object([("text", .string(rule.summary))])),
            ("help", .object([
                ("text", .string(RuleDocumentation.page(for: rule))),
                ("markdown", .string(RuleDocumentation.markdown(for: rule))),
            ])),
            ("defaultConfiguration", .object([("level", .string(rule.severity.rawValue))])),
        ])
    }

    /// RFC 3986: unreserved characters and `/` stay, everything else is percent-encoded.
    static func percentEncoded(_ path: String) -> String {
        var encoded: [UInt8] = []
        for byte in FileNameBytes.system(path).dropLast().map({ UInt8(bitPattern: $0) }) {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                encoded.append(byte)
            default:
                encoded += [UInt8(ascii: "%"), Self.upperHexDigits[Int(byte >> 4)], Self.upperHexDigits[Int(byte & 0xF)]]
            }
        }
        // Bytes, not scalars appended one by one to a string (13,000 instructions a path).
        return String(decoding: encoded, as: UTF8.self)
    }

    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)
}

/// The fingerprints of one file's findings, in their order: rule, path from the repository
/// root, subject (channel or element) and the occurrence of that rule and subject so far, so
/// that they survive lines moving (SARIF's partial fingerprints, GitLab's fingerprints).
struct FileFingerprints {
    /// A rule and subject, as the first finding of the file that has them, with how many of
    /// the file's findings so far have them. The finding is borrowed, not retained (the file's
    /// findings outlive its fingerprints, made while it is reported): keys holding the rule and
    /// subject, copied out of each finding a worker made, cost atomic operations on cache lines
    /// that worker's core holds, several a finding.
    private struct Occurrences {
        var first: Unmanaged<Finding>
        var count: Int
    }

    let path: String
    /// By the digest of rule, path and subject, which the fingerprint needs anyway.
    private var occurrences: DigestTable<Occurrences>
    /// The digest so far of each rule with the path, made once per file and rule (a file's
    /// findings come from a few rules; the path is the longest part).
    private var ruleAndPath: [(rule: String, digest: Fingerprint)] = []

    /// `count`: how many findings the file has, so the table never needs more room.
    init(path: String, count: Int) {
        self.path = path
        occurrences = DigestTable(holding: count)
    }

    /// The fingerprint of `finding`, the next of its file's findings: they must outlive these
    /// fingerprints.
    mutating func next(_ finding: Finding) -> Fingerprint {
        var fingerprint: Fingerprint
        // By index: `first(where:)` copied each entry out, its rule retained and released.
        if let known = ruleAndPath.indices.first(where: { ruleAndPath[$0].rule == finding.ruleID }) {
            fingerprint = ruleAndPath[known].digest
        } else {
            fingerprint = Fingerprint()
            fingerprint.add(finding.ruleID)
            fingerprint.add(path)
            if ruleAndPath.isEmpty { ruleAndPath.reserveCapacity(4) }
            ruleAndPath.append((finding.ruleID, fingerprint))
        }
        // The subject, added where it lies: `finding.subject` returns a copy (SARIF, 3,000
        // legacy files: 82,000 retains and 4.2M instructions more).
        if let channel = finding.channel { fingerprint.add(channel) } else { fingerprint.add(finding.element) }
        fingerprint.add(occurrence(of: finding, digest: fingerprint.value))
        return fingerprint
    }

    /// How many of the file's findings so far, this one included, have its rule and subject.
    private mutating func occurrence(of finding: Finding, digest: UInt64) -> Int {
        let slot = occurrences.slot(of: digest) { known in
            known.first._withUnsafeGuaranteedRef { $0.ruleID == finding.ruleID && $0.subject == finding.subject }
        }
        let seen = occurrences[slot] ?? Occurrences(first: .passUnretained(finding), count: 0)
        occurrences.set(Occurrences(first: seen.first, count: seen.count + 1), digest: digest, at: slot)
        return seen.count + 1
    }
}

/// Values by 64-bit digest, which is a hash already: open addressing from the slot the digest's
/// low bits name (a `Dictionary` hashed it again with SipHash, about 300 instructions a look-up),
/// each probe comparing digests before asking whether the value is the one sought. Room for
/// twice the entries it is made for, so probes stay short and a free slot is always found.
private struct DigestTable<Value> {
    private var slots: [(digest: UInt64, value: Value?)]
    private let mask: Int

    init(holding count: Int) {
        var size = 8
        while size < 2 * count { size *= 2 }
        slots = Array(repeating: (0, nil), count: size)
        mask = size - 1
    }

    /// The slot of the value under `digest` that `matches` accepts, or else the free slot
    /// where such a value belongs.
    func slot(of digest: UInt64, where matches: (Value) -> Bool) -> Int {
        // Through a pointer: indexing the array in the loop checks its bounds at each probe.
        slots.withUnsafeBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: digest) & mask
            while let value = slots[slot].value {
                if slots[slot].digest == digest && matches(value) { return slot }
                slot = (slot + 1) & mask
            }
            return slot
        }
    }

    subscript(slot: Int) -> Value? { slots[slot].value }

    /// `value` under `digest` in `slot`, as ``slot(of:where:)`` gave it.
    mutating func set(_ value: Value, digest: UInt64, at slot: Int) {
        slots[slot] = (digest, value)
    }
}

/// A stable 64-bit FNV-1a digest: fingerprints must not change between runs or machines.
/// Parts are hashed in turn, separated as if joined by NUL, never joined.
public struct Fingerprint {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    private var isEmpty = true

    public init() {}

    /// A number to tell texts apart by before comparing them (comparing two strings that
    /// differ costs a call, and long ones about a hundred instructions): the digest of an
    /// ASCII text, so that different keys mean different texts; 0 for no text or one with
    /// other characters, which tells nothing (two spellings of one character are equal
    /// strings, and `K` is equal to the Kelvin sign).
    public static func comparisonKey(of text: String?) -> UInt64 {
        guard let text else { return 0 }
        var digest = Fingerprint()
        let isASCII = ASCII.withBytes(of: text) { bytes in
            for byte in bytes {
                guard byte < 0x80 else { return false }
                digest.mix(byte)
            }
            return true
        }
        return isASCII ? digest.value : 0
    }

    /// Whether texts with these ``comparisonKey(of:)``s may be equal (then compare the texts).
    public static func keysMayMatch(_ left: UInt64, _ right: UInt64) -> Bool {
        left == 0 || right == 0 || left == right
    }

    public mutating func add(_ part: String) {
        separate()
        ASCII.withBytes(of: part) { bytes in
            for byte in bytes { mix(byte) }
        }
    }

    /// A number, as its decimal digits (``ByteOutput/append(number:)``'s), mixed in order.
    public mutating func add(_ number: Int) {
        separate()
        ByteOutput.withDecimal(number) { for byte in $0 { mix(byte) } }
    }

    /// The digest in 16 lowercase hex digits.
    public func appendHex(to output: inout ByteOutput) {
        // Made on the stack and appended at once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { digits in
            for index in 0..<16 {
                digits[index] = ByteOutput.hexDigit(Int(value >> UInt64(60 - 4 * index) & 0xF))
            }
            output.append(UnsafeBufferPointer(digits))
        }
    }

    private mutating func separate() {
        if !isEmpty { mix(0) }
        isEmpty = false
    }

    @inline(__always)
    private mutating func mix(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
}
