/// SARIF 2.1.0 with what GitHub code scanning reads: the rule catalogue with descriptions and
/// help, one physical location per result relative to the repository root, and fingerprints
/// that survive lines moving (rule, file, channel or element, and occurrence).
public struct SARIFReporter: Reporter {
    public var rules: [RuleDescription]
    public var repository: RepositoryLocation

    public init(rules: [RuleDescription], repository: RepositoryLocation) {
        self.rules = rules
        self.repository = repository
    }

    public static let fingerprintKey = "nexlint/v1"

    public func write(_ report: LintReport, to output: inout ByteOutput) {
        output.append(rendered(report))
    }

    private func rendered(_ report: LintReport) -> String {
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.identifier, $0) })
        var occurrences: [String: Int] = [:]
        let results: [JSONValue] = report.findings.map { finding in
            let uri = repository.relativePath(of: finding.location.file)
            let identity = [finding.ruleID, uri, finding.subject].joined(separator: "\u{0}")
            occurrences[identity, default: 0] += 1
            var members: [(String, JSONValue)] = [("ruleId", .string(finding.ruleID))]
            if let index = ruleIndex[finding.ruleID] { members.append(("ruleIndex", .int(index))) }
            members += [
                ("level", .string(finding.severity.rawValue)),
                ("message", .object([("text", .string(finding.message))])),
                ("locations", .array([.object([
                    ("physicalLocation", .object([
                        ("artifactLocation", .object([("uri", .string(Self.percentEncoded(uri))), ("uriBaseId", .string("%SRCROOT%"))])),
                        ("region", .object([("startLine", .int(finding.location.line)), ("startColumn", .int(finding.location.column))])),
                    ])),
                ])])),
                ("partialFingerprints", .object([
                    (Self.fingerprintKey, .string(Fingerprint.hex(identity + "\u{0}" + String(occurrences[identity]!)))),
                ])),
            ]
            return .object(members)
        }
        return JSONValue.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("nexlint")),
                    ("semanticVersion", .string(Nexlint.version)),
                    ("rules", .array(rules.map(Self.ruleDescriptor))),
                ]))])),
                ("columnKind", .string("unicodeCodePoints")),
                ("results", .array(results)),
            ])])),
        ]).serialized()
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
    public static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
