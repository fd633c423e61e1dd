import Dispatch
import Foundation
@testable import NexlintCore
import NexlintRules
import NexlintXML
import Synchronization
import Testing

/// A lint run's first files are read and parsed on another core while the run is still being
/// planned (``ReadAhead``); the run checks what was read ahead. Each test makes the order of
/// events certain by waiting on the reads themselves, never on time.
@Suite struct ReadAheadTests {
    private static let malformed = Array("<Environment>".utf8)

    private static func parse(_ path: String, _ bytes: [UInt8], _ context: ParserContext) -> NexJFile {
        NexJFileLoader.load(path: path, bytes: bytes, options: ParseOptions(), context: context)
    }

    /// Signals when released: held by a read-ahead's `read`, it goes when the read-ahead does,
    /// which its thread holds until it ends. Waiting for it is waiting for reading to be over.
    private final class Released: Sendable {
        let signal: DispatchSemaphore
        init(_ signal: DispatchSemaphore) { self.signal = signal }
        deinit { signal.signal() }
    }

    /// The paths `prepare` has a read-ahead read, left to read what it will and end.
    private static func readsOnceOver(maximumFiles: Int = 256, maximumBytes: Int = 8 << 20,
                                      _ prepare: (ReadAhead) -> Void) -> [String] {
        let reads = Mutex<[String]>([])
        let over = DispatchSemaphore(value: 0)
        do {
            let released = Released(over)
            let readAhead = ReadAhead(maximumFiles: maximumFiles, maximumBytes: maximumBytes, read: { path in
                withExtendedLifetime(released) { reads.withLock { $0.append(path) } }
                return .success(Array("<Environment/>".utf8))
            }, parse: Self.parse)
            prepare(readAhead)
        }
        over.wait()
        return reads.withLock { $0 }
    }

    @Test func readsWhatIsAddedInOrderUpToItsBoundOfFiles() {
        let reads = Self.readsOnceOver(maximumFiles: 3) { readAhead in
            readAhead.add(["a.environment", "b.environment"])
            readAhead.add(["c.environment", "d.environment", "e.environment"])
            readAhead.finishAdding()
        }
        #expect(reads == ["a.environment", "b.environment", "c.environment"])
        #expect(Self.readsOnceOver { readAhead in
            readAhead.add(["a.environment", "b.environment"])
            readAhead.finishAdding()
        } == ["a.environment", "b.environment"])
    }

    @Test func stopsAtItsBoundOfBytes() {
        // 14 bytes a file: the second passes 20 and is the last.
        #expect(Self.readsOnceOver(maximumBytes: 20) { readAhead in
            readAhead.add(["a.environment", "b.environment", "c.environment"])
            readAhead.finishAdding()
        } == ["a.environment", "b.environment"])
    }

    @Test func readsNothingOnceStopped() {
        #expect(Self.readsOnceOver { readAhead in
            readAhead.stop()
            readAhead.add(["a.environment"])
        } == [])
    }

    @Test func stopReturnsOnceTheFileInHandIsRead() {
        let started = DispatchSemaphore(value: 0)
        let gate = DispatchSemaphore(value: 0)
        let readAhead = ReadAhead(read: { _ in
            started.signal()
            gate.wait()
            return .success(Array("<Environment/>".utf8))
        }, parse: Self.parse)
        readAhead.add(["a.environment", "b.environment"])
        started.wait()
        let stopped = DispatchSemaphore(value: 0)
        let heldWhenStopped = Mutex(false)
        DispatchQueue.global().async {
            readAhead.stop()
            heldWhenStopped.withLock { $0 = readAhead.take("a.environment") != nil }
            stopped.signal()
        }
        // Open for the file in hand and, if stopping comes after it, the next.
        gate.signal()
        gate.signal()
        stopped.wait()
        #expect(heldWhenStopped.withLock { $0 })
        #expect(readAhead.take("a.environment") == nil, "taken once")
        #expect(readAhead.take("z.environment") == nil, "never added")
    }

    /// Files whose bytes read ahead are broken, on disk fine: a run reports them broken.
    private static func repository() throws -> (root: URL, paths: [String]) {
        let root = try temporaryDirectory()
        let paths = try ["a", "b", "c"].map { name in
            let url = root.appendingPathComponent("\(name).environment")
            try write("""
                <Environment type="Generic">
                   <ChannelConnections><MailConnection channel="Mail" host="smtp" password="text:Secret1"/></ChannelConnections>
                </Environment>
                """, to: url)
            return url.path
        }
        return (root, paths)
    }

    private struct Collector: FindingConsumer {
        var rules: [String: [String]] = [:]
        mutating func consume(_ path: String, _ findings: [Finding]) {
            rules[path] = findings.map(\.ruleID)
        }
    }

    @Test func aRunChecksTheFilesAsTheyWereReadAhead() throws {
        let (root, paths) = try Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let handed = DispatchSemaphore(value: 0)
        let linter = Linter(catalogue: RuleCatalog.all)
        let run = try linter.plan(LintOptions(paths: [root.path], jobs: 1), readingAheadWith: { _ in
            handed.signal()
            return .success(Self.malformed)
        })
        for _ in paths { handed.wait() }
        var collector = Collector()
        _ = linter.lint(run, into: &collector)
        #expect(collector.rules == Dictionary(uniqueKeysWithValues: paths.map { ($0, ["NXJ001"]) }))
    }

    @Test func aLinterWhoseRulesReadOtherAttributesReadsTheFilesAgain() throws {
        let (root, paths) = try Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let handed = DispatchSemaphore(value: 0)
        let run = try Linter(catalogue: RuleCatalog.all).plan(LintOptions(paths: [root.path], jobs: 1), readingAheadWith: { _ in
            handed.signal()
            return .success(Self.malformed)
        })
        for _ in paths { handed.wait() }
        let reversibleSecrets = Linter(catalogue: RuleCatalog.all.filter { type(of: $0).description.identifier == "EXO008" })
        #expect(reversibleSecrets.parseOptions != run.readAheadOptions)
        var collector = Collector()
        _ = reversibleSecrets.lint(run, into: &collector)
        #expect(collector.rules == Dictionary(uniqueKeysWithValues: paths.map { ($0, ["EXO008"]) }))
    }
}
