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
    // Everything below is read and written with `mutex` held.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var outcomes: [Outcome?]
    private var nextToStart = 0
    private var limit: Int
    private let workers = DispatchGroup()

    /// Starts `jobs` workers over `count` items; `check` runs each on a worker, with that
    /// worker's parser context.
    init(count: Int, jobs: Int, window: Int = 64, _ check: @escaping @Sendable (Int, ParserContext) -> Outcome) {
        self.count = count
        self.window = window
        limit = window
        outcomes = Array(repeating: nil, count: count)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        XMLParser.initialize()
        for _ in 0..<max(1, min(jobs, count)) {
            DispatchQueue.global().async(group: workers) { [self] in
                let context = ParserContext()
                while let index = take() {
                    let outcome = check(index, context)
                    locked {
                        outcomes[index] = outcome
                        pthread_cond_broadcast(changed)
                    }
                }
            }
        }
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Waits until every one of `indexes` is checked, then passes their outcomes to `use`
    /// (with the lock held: `use` should only take what it needs out of them).
    func withOutcomes<Result>(_ indexes: some Collection<Int>, _ use: (inout [Outcome?]) -> Result) -> Result {
        locked {
            if let highest = indexes.max(), highest + window > limit {
                limit = highest + window
                pthread_cond_broadcast(changed)
            }
            while indexes.contains(where: { outcomes[$0] == nil }) { pthread_cond_wait(changed, mutex) }
            return use(&outcomes)
        }
    }

    /// Lets the workers finish every item and returns all outcomes.
    func finish() -> [Outcome] {
        locked {
            limit = Int.max
            pthread_cond_broadcast(changed)
        }
        workers.wait()
        return locked { outcomes.map { $0! } }
    }

    /// The next item for a worker, once it is within the limit; nil when none is left.
    private func take() -> Int? {
        locked {
            while nextToStart < count && nextToStart > limit { pthread_cond_wait(changed, mutex) }
            guard nextToStart < count else { return nil }
            nextToStart += 1
            return nextToStart - 1
        }
    }

    private func locked<Result>(_ body: () -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
