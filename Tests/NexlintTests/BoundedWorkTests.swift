import Foundation
import NexlintCore
import NexlintXML
import Testing

/// Spec §7 *v2*: small hostile inputs that used to hang, crash or take quadratic time, each run
/// through the binary under its own generous timeout, with the exit code and one-line error
/// they must give. How long they take is measured by Benchmarks/benchmark.py, not here.
@Suite(.serialized) struct BoundedWorkTests {
    private static func repository(_ files: [String: String]) throws -> URL {
        let root = try temporaryDirectory()
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        for (path, text) in files { try write(text, to: root.appendingPathComponent(path)) }
        return root
    }

    private static func oneLine(_ text: String) -> Bool {
        text.hasSuffix("\n") && text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).count == 1
    }

    @Test func propertyFanOutStopsAtItsBound() throws {
        // 16 properties each naming the next four times: 4^16 bytes if expanded.
        let properties = (0..<16).map { #"p\#($0)="${p\#($0 + 1)}${p\#($0 + 1)}${p\#($0 + 1)}${p\#($0 + 1)}""# }.joined(separator: " ")
        let root = try Self.repository(["fan.environment": """
            <Environment type="Generic" \(properties) p16="x">
              <ChannelConnections><HTTPConnection channel="Partner" url="${p0}"/></ChannelConnections>
            </Environment>
            """])
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try Run(["lint", "--format", "json", "."], in: root, timeout: 30)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.errors.isEmpty)
        #expect(run.findings.contains { $0["rule"] as? String == "NXJ004" && ($0["message"] as? String)?.contains("expands past 64 KiB") == true })
    }

    @Test func deeplyNestedConfigurationIsOneLineError() throws {
        let nested = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        let root = try Self.repository([".nexlint.yml": "exclude: \(nested)\n", "a.environment": "<Environment/>\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try Run(["lint", "."], in: root, timeout: 30)
        #expect(run.status == 2)
        #expect(run.errors == "nexlint: .nexlint.yml:1: invalid YAML: lists and mappings nest more than 32 deep\n")
        // The same brackets as one quoted glob: a pattern, matched without recursion.
        try write("exclude:\n  - \"\(nested)\"\n", to: root.appendingPathComponent(".nexlint.yml"))
        let glob = try Run(["lint", "."], in: root, timeout: 30)
        #expect(glob.status == 0 && glob.errors.isEmpty, "\(glob.errors)")
    }

    @Test func baselineCountsSaturateOrAreRefused() throws {
        let root = try Self.repository(["a.environment": #"<Environment type="Generic" password="text:x"/>"#])
        defer { try? FileManager.default.removeItem(at: root) }
        let entry = #"{"file": "a.environment", "rule": "EXO008", "subject": "Environment", "count": COUNT}"#
        func baseline(_ counts: [String]) -> String {
            #"{"version": 1, "entries": ["# + counts.map { entry.replacingOccurrences(of: "COUNT", with: $0) }.joined(separator: ", ") + "]}"
        }
        try write(baseline(["9223372036854775807", "9223372036854775807"]), to: root.appendingPathComponent("max.json"))
        let saturated = try Run(["lint", "--select", "EXO008", "--baseline", "max.json", "."], in: root, timeout: 30)
        #expect(saturated.status == 0 && saturated.errors.isEmpty && saturated.output.hasPrefix("No findings in 1 file (")
                && saturated.output.hasSuffix(" hidden by the baseline).\n"))
        try write(baseline(["99999999999999999999999"]), to: root.appendingPathComponent("huge.json"))
        let refused = try Run(["lint", "--baseline", "huge.json", "."], in: root, timeout: 30)
        #expect(refused.status == 2 && Self.oneLine(refused.errors) && refused.errors.hasPrefix("nexlint: huge.json: "))
    }

    @Test func starHeavyGlobsMatchInLinearTime() throws {
        let name = String(repeating: "a", count: 40) + ".environment"
        let root = try Self.repository([
            ".nexlint.yml": "exclude:\n  - \"*a*a*a*a*a*a*a*a*a*a*a*a*b\"\n  - \"**/**/**/**/**/**/**/**/x\"\n",
            name: "<Environment/>\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try Run(["lint", "."], in: root, timeout: 30)
        #expect(run.status == 0 && run.errors.isEmpty && run.output == "No findings in 1 file.\n", "\(run.status) \(run.errors)")
    }

    @Test func fortyThousandReferencesAndCommentsFinish() throws {
        let references = "<Environment type=\"Generic\">\n<ChannelConnections>\n"
            + (0..<40_000).map { "<MailConnection channel=\"Mail\($0)\" host=\"${undefined\($0)}\"/>\n" }.joined()
            + "</ChannelConnections>\n</Environment>\n"
        let comments = "<Environment type=\"Generic\">\n" + (0..<40_000).map { "<!-- nexlint-disable-next-line NXJ003: reason \($0) -->\n" }.joined()
            + "<ChannelConnections/>\n</Environment>\n"
        let root = try Self.repository(["references.environment": references, "comments.environment": comments])
        defer { try? FileManager.default.removeItem(at: root) }
        let referenced = try Run(["lint", "--format", "json", "--select", "NXJ004", "references.environment"], in: root, timeout: 60)
        #expect(referenced.status == 0 && referenced.errors.isEmpty)
        #expect(referenced.findings.count == 40_000 && referenced.findings.allSatisfy { $0["rule"] as? String == "NXJ004" })
        let commented = try Run(["lint", "--format", "json", "--select", "NXJ003,NXJ006", "comments.environment"], in: root, timeout: 60)
        #expect(commented.status == 0 && commented.errors.isEmpty)
        // All of them suppress NXJ003 on the same element, where there is none: each is unused.
        #expect(commented.findings.count == 40_000 && commented.findings.allSatisfy { $0["rule"] as? String == "NXJ006" })
    }

    @Test func startTagsWithTooManyAttributesAreRefusedBeforeParsing() throws {
        // libxml2 checks one tag's attributes for duplicates pairwise: 40,000 took it 13 s.
        func environment(attributes: Int) -> String {
            "<?xml version=\"1.0\"?>\n<!-- a=\"1\" b=2 > -->\n<Environment type=\"Generic\"\n"
                + (0..<attributes).map { " a\($0)=\"${undefined\($0)}\"\n" }.joined() + "/>\n"
        }
        let root = try Self.repository(["many.environment": environment(attributes: 40_000),
                                        "bound.environment": environment(attributes: AttributeLimit.perStartTag - 1)])
        defer { try? FileManager.default.removeItem(at: root) }
        let refused = try Run(["lint", "--select", "NXJ001", "many.environment"], in: root, timeout: 60)
        #expect(refused.status == 1 && refused.errors.isEmpty)
        #expect(refused.output.hasPrefix("""
            many.environment:3:1: error: not well-formed XML: a start tag has more than 512 attributes, more than \
            nexlint parses (libxml2's duplicate-attribute check grows with the square of their number) [NXJ001]

            """), "\(refused.output)")
        // With `type`, exactly at the bound: parsed, and every reference checked.
        let accepted = try Run(["lint", "--format", "json", "--select", "NXJ001,NXJ004", "bound.environment"], in: root, timeout: 60)
        #expect(accepted.status == 0 && accepted.errors.isEmpty)
        #expect(accepted.findings.count == AttributeLimit.perStartTag - 1 && accepted.findings.allSatisfy { $0["rule"] as? String == "NXJ004" })
    }

    @Test func emptyPathsAndNegativeJobsAreUsageErrors() throws {
        let root = try Self.repository(["a.environment": "<Environment/>\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let empty = try Run(["lint", ""], in: root, timeout: 30)
        #expect(empty.status == 2)
        #expect(empty.errors == "nexlint: an empty path names no file or directory (give . for the working directory)\n")
        let jobs = try Run(["lint", "--jobs", "-1", "."], in: root, timeout: 30)
        #expect(jobs.status == 2)
        #expect(jobs.errors == "nexlint: --jobs must be at least 1, not -1\n")
    }

    /// A name may begin with a combining mark, which Swift joins to the `/` before it in one
    /// Character: paths are split on bytes (found by fuzzing the glob matcher).
    @Test func namesBeginningWithACombiningMarkAreMatched() {
        let filter = PathFilter(patterns: ["*"], base: "/base")
        #expect(filter.excludes("/base/\u{35F}a", workingDirectory: "/"))
        #expect(PathNames.relative("/base/\u{35F}a", to: "/base") == "\u{35F}a")
        #expect(PathFilter(patterns: ["**/x"], base: "/base").excludes("/base/a/x", workingDirectory: "/"))
        #expect(!PathFilter(patterns: ["a/**/x"], base: "/base").excludes("/base/a/bx", workingDirectory: "/"))
    }
}
