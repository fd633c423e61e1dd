import NexlintXML

/// SARIF 2.1.0 with what GitHub code scanning reads: the rule catalogue with descriptions and
/// help, one physical location per result relative to the repository root, and fingerprints
/// that survive lines moving (rule, file, channel or element, and occurrence).
public struct SARIFReporter: Reporter {
    public let rules: [RuleDescription]
    public let repository: RepositoryLocation

    /// Each rule's position in the catalogue written, by identifier.
    private let ruleIndex: [String: Int]
    private var json = JSONStream()

    public init(rules: [RuleDescription], repository: RepositoryLocation) {
        self.rules = rules
        self.repository = repository
        ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.identifier, $0) })
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
    }

    public mutating func file(_ path: String, findings: [Finding], _ output: inout ByteOutput) {
        guard !findings.isEmpty else { return }
        // Once per file: its path from the repository root, the URI made of it, and the count
        // of each rule and subject so far (the identity's occurrence, for the fingerprint).
        let uri = repository.relativePath(of: path)
        let quotedURI = JSONStream.quoted(Self.percentEncoded(uri))
        var occurrences: [Occurrence: Int] = [:]
        for finding in findings {
            let occurrence = Occurrence(rule: finding.ruleID, subject: finding.subject)
            occurrences[occurrence, default: 0] += 1
            json.element(&output)
            json.beginObject(&output)
            json.key("ruleId", &output)
            json.string(finding.ruleID, &output)
            if let index = ruleIndex[finding.ruleID] {
                json.key("ruleIndex", &output)
                json.int(index, &output)
            }
            json.key("level", &output)
            json.string(finding.severity.rawValue, &output)
            json.key("message", &output)
            json.beginObject(&output)
            json.key("text", &output)
            json.string(finding.wording, &output)
            json.endObject(&output)
            json.key("locations", &output)
            json.beginArray(&output)
            json.element(&output)
            json.beginObject(&output)
            json.key("physicalLocation", &output)
            json.beginObject(&output)
            json.key("artifactLocation", &output)
            json.beginObject(&output)
            json.key("uri", &output)
            output.append(quotedURI)
            json.key("uriBaseId", &output)
            json.string("%SRCROOT%", &output)
            json.endObject(&output)
            json.key("region", &output)
            json.beginObject(&output)
            json.key("startLine", &output)
            json.int(finding.location.line, &output)
            json.key("startColumn", &output)
            json.int(finding.location.column, &output)
            json.endObject(&output)
            json.endObject(&output)
            json.endObject(&output)
            json.endArray(&output)
            json.key("partialFingerprints", &output)
            json.beginObject(&output)
            json.key(data: Self.fingerprintKey, &output)
            json.string(Fingerprint.hex([finding.ruleID, uri, finding.subject, String(occurrences[occurrence]!)]), &output)
            json.endObject(&output)
            json.endObject(&output)
            output.drainIfLarge()
        }
    }

    public mutating func end(_: ReportTotals, _ output: inout ByteOutput) {
        json.endArray(&output)
        json.endObject(&output)
        json.endArray(&output)
        json.endObject(&output)
        json.finish(&output)
    }

    private struct Occurrence: Hashable {
        var rule: String
        var subject: String
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
        var result = ""
        for byte in FileNameBytes.system(path).dropLast().map({ UInt8(bitPattern: $0) }) {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}

/// A stable 64-bit FNV-1a digest: fingerprints must not change between runs or machines.
public enum Fingerprint {
    /// The digest of the parts joined by NUL, in 16 lowercase hex digits (the parts are hashed
    /// in turn, never joined).
    public static func hex(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (index, part) in parts.enumerated() {
            if index > 0 { hash = (hash ^ 0) &* 0x0000_0100_0000_01B3 }
            ASCII.withBytes(of: part) { bytes in
                for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            }
        }
        return String(unsafeUninitializedCapacity: 16) { digits in
            for index in 0..<16 { digits[index] = ByteOutput.hexDigits[Int(hash >> UInt64(60 - 4 * index) & 0xF)] }
            return 16
        }
    }
}
