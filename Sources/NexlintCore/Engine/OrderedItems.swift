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
///
/// With more than one job the caller is one of the `jobs` threads: asking for an item that is
/// not done, it checks the next one itself rather than wait. `jobs` workers of their own and a
/// reporting thread were one thread more than the cores: the reporting thread took a core from
/// a worker each time it woke, and workers ran out of window while it waited for one.
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
    private let check: @Sendable (Int, ParserContext) -> Outcome
    /// Whether the caller checks items too (more than one job).
    private let callerChecks: Bool
    /// The caller's place among the workers, in `checkedBy`.
    private let callerSlot: Int
    /// The caller's parser context, made when it first checks an item; only the caller uses it.
    private var callerContext: ParserContext?

    /// Starts workers over `count` items, `jobs - 1` of them and the caller (one, and the
    /// caller only waits, for one job: no two items are ever checked at once); `check` runs
    /// each with its thread's parser context.
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
        let workerCount = count == 0 ? 0 : max(1, min(jobs, count) - 1)
        self.check = check
        callerChecks = jobs > 1
        callerSlot = workerCount
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
                    locked { store(outcome, of: index) }
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
    /// (with the lock held: `use` should only take what it needs out of them). Meanwhile it
    /// checks the next items itself while any is within the limit (more than one job); having
    /// to wait, it waits for the next `batch` items too, as they will be asked for next.
    func withOutcomes<Result>(_ indexes: some Collection<Int>, _ use: (inout [Outcome?]) -> Result) -> Result {
        locked {
            guard let highest = indexes.max() else { return use(&outcomes) }
            raiseLimit(to: highest + window)
            while indexes.contains(where: { outcomes[$0] == nil }) {
                if callerChecks, let index = start(by: callerSlot) {
                    pthread_mutex_unlock(mutex)
                    let outcome = checkOnCaller(index)
                    pthread_mutex_lock(mutex)
                    store(outcome, of: index)
                    continue
                }
                for index in indexes where outcomes[index] == nil { wait(for: index) }
                for index in highest + 1..<min(count, highest + 1 + batch) where outcomes[index] == nil { wait(for: index) }
                while awaitedLeft > 0 { pthread_cond_wait(awaitedDone, mutex) }
            }
            return use(&outcomes)
        }
    }

    /// Lets the workers (and the caller, with more than one job) finish every item and returns
    /// all outcomes.
    func finish() -> [Outcome] {
        locked { raiseLimit(to: Int.max) }
        while callerChecks, let index = locked({ start(by: callerSlot) }) {
            let outcome = checkOnCaller(index)
            locked { store(outcome, of: index) }
        }
        workers.wait()
        return locked { outcomes.map { $0! } }
    }

    /// Hands back what the caller is done with of item `index`'s outcome, for the worker that
    /// made it to release. glibc's malloc (where nexlint is built without mimalloc) frees a
    /// block into the arena of the thread that allocated it, under that arena's lock: another
    /// thread freeing the findings a worker made, while the worker makes more, contends for
    /// that lock and sleeps on it (about 2,300 times in a run over 3,000 legacy files).
    /// mimalloc hands such a block back to its maker with an atomic operation on the maker's
    /// page. A worker freeing its own does neither; the caller's own are released here.
    func retire(_ leftovers: some Sendable, of index: Int) {
        locked {
            if checkedBy[index] != callerSlot { retired[checkedBy[index]].append(leftovers) }
        }
    }

    /// Item `index` checked on the caller's thread.
    private func checkOnCaller(_ index: Int) -> Outcome {
        let context = callerContext ?? ParserContext()
        callerContext = context
        return check(index, context)
    }

    /// Keeps an item's outcome, waking the caller if it was the last it waits for.
    private func store(_ outcome: Outcome, of index: Int) {
        outcomes[index] = outcome
        if isAwaited[index] {
            isAwaited[index] = false
            awaitedLeft -= 1
            if awaitedLeft == 0 { pthread_cond_signal(awaitedDone) }
        }
    }

    /// The next item, now `slot`'s, if one is left within the limit.
    private func start(by slot: Int) -> Int? {
        guard nextToStart < count, nextToStart <= limit else { return nil }
        checkedBy[nextToStart] = slot
        nextToStart += 1
        return nextToStart - 1
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
            return start(by: worker)
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
