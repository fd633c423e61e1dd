import Foundation
@testable import NexlintCore
import Synchronization
import Testing

/// Spec §8 *v2*, findings at scale: files are reported in path order as they are checked,
/// never all held; what is reported does not depend on how many workers check them.
@Suite struct StreamingTests {
    private static let environment = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
           <ChannelConnections>
              <HTTPConnection channel="CHANNEL" url="https://outlook.office365.com/EWS/Exchange.asmx"
                 secure="true" authentication="basic" user="svc.crm@contoso.com" password="text:Secret1"/>
           </ChannelConnections>
        </Environment>
        """

    private static let syncTargets = """
        <SyncTargets>
           <SyncTarget name="Late" type="ExchangeEWS" host="outlook.office365.com" version="Exchange Online"
                       method="Impersonation" subscriptionType="Streaming" ewsSender="LastSender"/>
           <SyncTarget name="Typo" type="ExchangeEWS" host="outlook.office365.com" version="Exchange Online"
                       method="Impersonation" subscriptionType="Streaming" ewsSender="NoSuchSender"/>
        </SyncTargets>
        """

    /// A directory whose sync targets name a sender defined in the last of 150 environments
    /// after them (past the workers' window), with a nested directory, a split unit and a
    /// `.config` that is not NexJ's in between.
    private static func repository() throws -> URL {
        let root = try temporaryDirectory()
        try write(syncTargets, to: root.appendingPathComponent("a/exchange.synctargets"))
        for index in 0..<150 {
            try write(environment.replacingOccurrences(of: "CHANNEL", with: "Filler\(index)"),
                      to: root.appendingPathComponent("a/f\(String(format: "%03d", index)).environment"))
        }
        try write(environment.replacingOccurrences(of: "CHANNEL", with: "Nested"), to: root.appendingPathComponent("a/b/deep.environment"))
        try write(environment.replacingOccurrences(of: "CHANNEL", with: "LastSender"), to: root.appendingPathComponent("a/zz.environment"))
        try write("<configuration><appSettings/></configuration>\n", to: root.appendingPathComponent("a/web.config"))
        try write("""
            <Server><Connections connections="prod"/></Server>
            """, to: root.appendingPathComponent("a/crm.server"))
        try write("""
            <Connections><ChannelConnections>
              <HTTPConnection channel="SplitSender" url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true"/>
            </ChannelConnections></Connections>
            """, to: root.appendingPathComponent("a/prod.connections"))
        return root
    }

    @Test func reportsAreInPathOrderAndTheSameForAnyNumberOfWorkers() throws {
        let root = try Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let runs = try [1, 2, 5].map { jobs in try Run(["lint", "--format", "json", "--jobs", "\(jobs)", "."], in: root) }
        for run in runs {
            #expect(run.status == 1)
            #expect(run.output == runs[0].output)
            #expect(run.errors.isEmpty, "\(run.errors)")
        }
        let files = runs[0].findings.map { $0["file"] as! String }
        #expect(files == files.sorted())
        #expect(Set(files).contains("a/b/deep.environment") && Set(files).contains("a/zz.environment"))
        // The targets were checked against every unit of their directory, the last included.
        let senders = runs[0].findings.filter { $0["rule"] as? String == "EXO010" }.map { $0["message"] as! String }
        #expect(senders.count == 1 && senders[0].contains("NoSuchSender"), "\(senders)")
        let junit = try Run(["lint", "--format", "junit", "--jobs", "2", "."], in: root).output
        let suites = junit.components(separatedBy: "<testsuite name=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(suites == suites.sorted())
        #expect(suites.count == 155 && !suites.contains("a/web.config"), "\(suites.count) suites")
        // A walk finds a directory's files before its subdirectories' (`a/b/deep.environment`
        // sorts before them); arguments that overlap find files twice: reported once, in order.
        let overlapping = try Run(["lint", "--format", "junit", "--jobs", "2", "a/zz.environment", ".", "a/b"], in: root).output
        #expect(overlapping == junit)
    }

    /// A split unit's findings come rule by rule from both of its files; each file's are
    /// reported together, in order of place and rule, whatever the number of workers.
    @Test func aSplitUnitsFindingsAreReportedFileByFileInOrder() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try write("""
            <Server password="text:ServerSecret1"><Connections connections="prod"/></Server>
            """, to: root.appendingPathComponent("crm.server"))
        try write("""
            <Connections><ChannelConnections>
              <HTTPConnection channel="B" url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" user="b@contoso.com" password="text:Secret1"/>
              <HTTPConnection channel="A" url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" user="a@contoso.com" password="text:Secret2"/>
            </ChannelConnections></Connections>
            """, to: root.appendingPathComponent("prod.connections"))
        let runs = try [1, 2].map { jobs in try Run(["lint", "--format", "json", "--jobs", "\(jobs)", "."], in: root) }
        #expect(runs[0].output == runs[1].output)
        let places = runs[0].findings.map { finding in
            (file: finding["file"] as! String, line: finding["line"] as! Int, column: finding["column"] as! Int,
             rule: finding["rule"] as! String)
        }
        #expect(places.map(\.file) == ["crm.server"] + Array(repeating: "prod.connections", count: places.count - 1))
        let connections = places.filter { $0.file == "prod.connections" }
        #expect(connections.filter { $0.line == 2 }.count >= 3 && connections.filter { $0.line == 3 }.count >= 3)
        #expect(zip(connections, connections.dropFirst()).allSatisfy { ($0.line, $0.column, $0.rule) < ($1.line, $1.column, $1.rule) },
                "\(connections)")
    }

    /// JUnit's suites are set aside in a temporary file until the totals that precede them are
    /// known; where no temporary file can be made they are kept in memory, with the same bytes.
    @Test func junitTotalsMatchItsCasesWhereverTheSuitesAreSetAside() throws {
        let root = try Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let spilled = try Run(["lint", "--format", "junit", "."], in: root)
        let inMemory = try Run(["lint", "--format", "junit", "."], in: root, environment: ["TMPDIR": root.appendingPathComponent("none").path])
        #expect(spilled.output.utf8.count > 64 * 1024)
        #expect(spilled.output == inMemory.output)
        #expect(spilled.errors.isEmpty && inMemory.errors.isEmpty)
        func attribute(_ name: String) -> Int? {
            spilled.output.components(separatedBy: "<testsuites ")[1].components(separatedBy: " \(name)=\"").dropFirst().first
                .flatMap { Int($0.prefix { $0 != "\"" }) }
        }
        #expect(attribute("tests") == spilled.output.components(separatedBy: "<testcase ").count - 1)
        #expect(attribute("failures") == spilled.output.components(separatedBy: "<failure ").count - 1)
        #expect(spilled.output.hasSuffix("</testsuites>\n"))
    }

    /// A baseline that cannot be read stops the run before the first byte of any report.
    @Test func aBadBaselineStopsTheRunBeforeAnyReport() throws {
        let root = try Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        try write("{\"version\": 7}", to: root.appendingPathComponent("baseline.json"))
        let run = try Run(["lint", "--format", "json", "--baseline", "baseline.json", "--output", "report.json", "--format", "text", "."], in: root)
        #expect(run.status == 2)
        #expect(run.output.isEmpty)
        #expect(run.errors.contains("baseline.json"))
        let left = try FileManager.default.contentsOfDirectory(atPath: root.path)
        #expect(!left.contains { $0.hasPrefix("report.json") || $0.hasPrefix(".report.json") }, "\(left)")
    }

    /// Items are checked in the order their files are reported: a directory's split unit is
    /// not left until after every environment.
    @Test func itemsFollowTheirFirstPath() {
        let plan = WorkPlan(paths: ["b/x.environment", "a/z.environment", "a/p.connections", "a/crm.server", "a/t.synctargets"],
                            globalSyncTargets: [:])
        #expect(plan.items == [["a/p.connections", "a/crm.server"], ["a/z.environment"], ["b/x.environment"]])
        #expect(plan.syncTargetPaths == ["a/t.synctargets"])
    }

    /// Workers never start an item more than the window past the last one asked for, and
    /// each item's outcome reaches the caller whatever order the workers finish in.
    @Test func workersStayWithinTheirWindow() {
        let asked = Atomic(0)
        let overreach = Atomic(0)
        let window = 4
        let items = OrderedItems(count: 300, jobs: 3, window: window, batch: 2) { index, _ in
            let limit = asked.load(ordering: .sequentiallyConsistent) + window
            if index > limit { overreach.wrappingAdd(1, ordering: .relaxed) }
            // Uneven work, so that workers finish out of order.
            var value = index
            for _ in 0..<(index % 7) * 2_000 { value = (value &* 31) &+ 7 }
            return (index, value)
        }
        for index in 0..<300 {
            asked.store(index, ordering: .sequentiallyConsistent)
            let outcome = items.withOutcomes(CollectionOfOne(index)) { $0[index]! }
            #expect(outcome.0 == index)
        }
        #expect(items.finish().map(\.0) == Array(0..<300))
        #expect(overreach.load(ordering: .relaxed) == 0)
    }

    /// With more than one job the caller is one of them: waiting for an item, it checks the
    /// next ones itself, and helps finish the rest. With one job it only waits, so no two items
    /// are ever checked at once.
    @Test func theCallerChecksItemsOnlyWithMoreThanOneJob() {
        let caller = pthread_self()
        for jobs in [1, 2] {
            let onCaller = Atomic(0)
            let running = Atomic(0)
            let mostAtOnce = Atomic(0)
            let items = OrderedItems(count: 120, jobs: jobs, window: 8, batch: 2) { index, _ in
                let now = running.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
                mostAtOnce.max(now, ordering: .sequentiallyConsistent)
                if pthread_equal(pthread_self(), caller) != 0 {
                    onCaller.wrappingAdd(1, ordering: .sequentiallyConsistent)
                } else if jobs > 1, index == 0 {
                    // The worker's first item waits for the caller to check one, so it must (a
                    // caller that never does fails the test after ten seconds, not hangs it).
                    let giveUp = ContinuousClock.now + .seconds(10)
                    while onCaller.load(ordering: .sequentiallyConsistent) == 0, ContinuousClock.now < giveUp {}
                }
                running.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                return index
            }
            for index in 0..<60 {
                #expect(items.withOutcomes(CollectionOfOne(index)) { $0[index]! } == index)
            }
            let checkedByCaller = onCaller.load(ordering: .sequentiallyConsistent)
            #expect(items.finish() == Array(0..<120))
            if jobs == 1 {
                #expect(onCaller.load(ordering: .sequentiallyConsistent) == 0)
                #expect(mostAtOnce.load(ordering: .sequentiallyConsistent) == 1)
            } else {
                #expect(checkedByCaller > 0)
                #expect(mostAtOnce.load(ordering: .sequentiallyConsistent) <= 2)
            }
        }
    }

    /// What the caller retires of an item's outcome is released by the worker that checked
    /// the item (or, once the workers are done, by the caller): never by another worker, whose
    /// freeing would wait on the maker's malloc arena.
    @Test func retiredOutcomesAreReleasedByTheirMaker() {
        final class ReleaseLog: Sendable {
            let entries = Mutex<[(madeBy: pthread_t, releasedBy: pthread_t)]>([])
        }
        final class Tracked: Sendable {
            let madeBy = pthread_self()
            let log: ReleaseLog
            init(_ log: ReleaseLog) { self.log = log }
            deinit {
                let made = madeBy
                log.entries.withLock { $0.append((made, pthread_self())) }
            }
        }
        struct Outcome: Sendable { var tracked: Tracked? }
        let log = ReleaseLog()
        let caller = pthread_self()
        do {
            // The first two items wait for each other, so that both workers make some.
            let started = Atomic(0)
            let items = OrderedItems(count: 200, jobs: 2, window: 2, batch: 1) { index, _ in
                if index < 2 {
                    started.wrappingAdd(1, ordering: .sequentiallyConsistent)
                    while started.load(ordering: .sequentiallyConsistent) < 2 {}
                }
                return Outcome(tracked: Tracked(log))
            }
            for index in 0..<200 {
                let tracked = items.withOutcomes(CollectionOfOne(index)) { $0[index]!.tracked.take()! }
                items.retire(tracked, of: index)
            }
            _ = items.finish()
        }
        let releases = log.entries.withLock { $0 }
        #expect(releases.count == 200)
        #expect(Set(releases.map(\.madeBy)).count == 2)
        #expect(releases.allSatisfy { $0.releasedBy == $0.madeBy || $0.releasedBy == caller })
        // Most are released while the workers still take items.
        #expect(releases.filter { $0.releasedBy == $0.madeBy }.count > 100)
    }
}
