/// The reports of one run, fed a file at a time as the run reports them: each reporter writes
/// to its own destination, 64 KiB at a time, and the totals their summaries need are counted
/// on the way. A report starts with its first file, so that a run that reports on no file can
/// leave some reports unwritten (see ``finish(writingEmpty:)``).
public final class ReportStream {
    private final class Destination {
        var reporter: any Reporter
        var output: ByteOutput

        init(reporter: any Reporter, drain: @escaping (UnsafeBufferPointer<UInt8>) -> Void, copyFile: ((Int, Int32) -> Bool)?) {
            self.reporter = reporter
            output = ByteOutput(drainingTo: drain, copyingFiles: copyFile)
        }
    }

    private var destinations: [Destination] = []
    public private(set) var totals = ReportTotals()

    public init() {}

    /// A report written by `reporter`, handed to `drain` as it is written; `copyFile` copies
    /// the first bytes of an open file to the same place where the system can (false, with
    /// nothing copied, where it cannot).
    public func add(_ reporter: any Reporter, drainingTo drain: @escaping (UnsafeBufferPointer<UInt8>) -> Void,
                    copyingFiles copyFile: ((Int, Int32) -> Bool)? = nil) {
        destinations.append(Destination(reporter: reporter, drain: drain, copyFile: copyFile))
    }

    /// Findings of a file a baseline hid, for the summary.
    public func hid(_ count: Int) {
        totals.hiddenByBaseline += count
    }

    public func file(_ path: String, findings: [Finding]) {
        if totals.files == 0 {
            for destination in destinations { destination.reporter.begin(&destination.output) }
        }
        totals.files += 1
        totals.add(findings)
        for destination in destinations {
            destination.reporter.file(path, findings: findings, &destination.output)
        }
    }

    /// Ends every report begun. When no file was reported, only the reports
    /// `writingEmpty(index)` chooses (by the order they were added) are written, empty.
    /// Whether each report was written.
    public func finish(writingEmpty: (Int) -> Bool) -> [Bool] {
        destinations.indices.map { index in
            let destination = destinations[index]
            if totals.files == 0 {
                guard writingEmpty(index) else { return false }
                destination.reporter.begin(&destination.output)
            }
            destination.reporter.end(totals, &destination.output)
            destination.output.drainAll()
            return true
        }
    }
}
