import Dispatch
import NexlintXML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work items checked on worker threads and handed back on the caller's thread in the order it
/// asks for them, so a run's findings can be reported file by file in path order while later
/// items are still being checked (spec §8 *v2*, findings at scale).
///
/// Workers take items in index order, but never more than `window` past the highest item the
/// caller has asked for: what is held at any time is the findings of a few dozen items, not
/// of the run. The caller can always get what it asks for, since an item it asks for is never
/// past the limit.
final class OrderedItems<Outcome: Sendable>: @unchecked Sendable {
    private let count: Int
    private let window: Int
    /// Items the caller waits for at once when it must wait: one wake-up per batch, not per item.
    private let batch: Int
    // Everything below is read and written with `mutex` held.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Signalled when the last item the caller waits for is done.
    private let awaitedDone = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Broadcast when the limit rises.
    private let limitRaised = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var outcomes: [Outcome?]
    private var isAwaited: [Bool]
    private var awaitedLeft = 0
    private var nextToStart = 0
    private var limit: Int
    private var idleWorkers = 0
    /// The worker that checked each item.
    private var checkedBy: [Int]
    /// What the caller is done with, by the worker that made it, which releases it when it
    /// next takes an item (see ``retire(_:of:)``).
    private var retired: [[any Sendable]]
    private let workers = DispatchGroup()

    /// Starts `jobs` workers over `count` items; `check` runs each on a worker, with that
    /// worker's parser context.
    init(count: Int, jobs: Int, window: Int = 64, batch: Int = 16,
         _ check: @escaping @Sendable (Int, ParserContext) -> Outcome) {
        self.count = count
        self.window = window
        self.batch = batch
        limit = window
        outcomes = Array(repeating: nil, count: count)
        isAwaited = Array(repeating: false, count: count)
        checkedBy = Array(repeating: 0, count: count)
        // None for no items: most runs have no sync-target files to read first.
        let workerCount = count == 0 ? 0 : max(1, min(jobs, count))
        retired = Array(repeating: [], count: workerCount)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(awaitedDone, nil)
        pthread_cond_init(limitRaised, nil)
        XMLParser.initialize()
        for worker in 0..<workerCount {
            DispatchQueue.global().async(group: workers) { [self] in
                let context = ParserContext()
                while let index = take(worker) {
                    let outcome = check(index, context)
                    locked {
                        outcomes[index] = outcome
                        if isAwaited[index] {
                            isAwaited[index] = false
                            awaitedLeft -= 1
                            if awaitedLeft == 0 { pthread_cond_signal(awaitedDone) }
                        }
                    }
                }
            }
        }
    }

    deinit {
        pthread_cond_destroy(limitRaised)
        pthread_cond_destroy(awaitedDone)
        pthread_mutex_destroy(mutex)
        limitRaised.deallocate()
        awaitedDone.deallocate()
        mutex.deallocate()
    }

    /// Waits until every one of `indexes` is checked, then passes their outcomes to `use`
    /// (with the lock held: `use` should only take what it needs out of them). Having to wait,
    /// it waits for the next `batch` items too, as they will be asked for next.
    func withOutcomes<Result>(_ indexes: some Collection<Int>, _ use: (inout [Outcome?]) -> Result) -> Result {
        locked {
            guard let highest = indexes.max() else { return use(&outcomes) }
            raiseLimit(to: highest + window)
            if indexes.contains(where: { outcomes[$0] == nil }) {
                for index in indexes where outcomes[index] == nil { wait(for: index) }
                for index in highest + 1..<min(count, highest + 1 + batch) where outcomes[index] == nil { wait(for: index) }
                while awaitedLeft > 0 { pthread_cond_wait(awaitedDone, mutex) }
            }
            return use(&outcomes)
        }
    }

    /// Lets the workers finish every item and returns all outcomes.
    func finish() -> [Outcome] {
        locked { raiseLimit(to: Int.max) }
        workers.wait()
        return locked { outcomes.map { $0! } }
    }

    /// Hands back what the caller is done with of item `index`'s outcome, for the worker that
    /// made it to release. glibc's malloc (where nexlint is built without mimalloc) frees a
    /// block into the arena of the thread that allocated it, under that arena's lock: another
    /// thread freeing the findings a worker made, while the worker makes more, contends for
    /// that lock and sleeps on it (about 2,300 times in a run over 3,000 legacy files).
    /// mimalloc hands such a block back to its maker with an atomic operation on the maker's
    /// page. A worker freeing its own does neither.
    func retire(_ leftovers: some Sendable, of index: Int) {
        locked { retired[checkedBy[index]].append(leftovers) }
    }

    private func wait(for index: Int) {
        guard !isAwaited[index] else { return }
        isAwaited[index] = true
        awaitedLeft += 1
    }

    private func raiseLimit(to wanted: Int) {
        guard wanted > limit else { return }
        limit = wanted
        if idleWorkers > 0 { pthread_cond_broadcast(limitRaised) }
    }

    /// The next item for `worker`, once it is within the limit; nil when none is left. What the
    /// caller has retired of its items is released here, outside the lock.
    private func take(_ worker: Int) -> Int? {
        var leftovers: [any Sendable] = []
        let index: Int? = locked {
            while nextToStart < count && nextToStart > limit {
                idleWorkers += 1
                pthread_cond_wait(limitRaised, mutex)
                idleWorkers -= 1
            }
            swap(&leftovers, &retired[worker])
            guard nextToStart < count else { return nil }
            checkedBy[nextToStart] = worker
            nextToStart += 1
            return nextToStart - 1
        }
        leftovers.removeAll()
        return index
    }

    private func locked<Result>(_ body: () -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
