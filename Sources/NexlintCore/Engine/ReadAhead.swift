import Dispatch
import NexlintXML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files of a lint run read and parsed on one thread while the caller is still finding the
/// rest and preparing the run (walking directories, reading configurations and baselines).
/// That start is serial: without this, every core but one would wait for it. The run's
/// workers take what was read ahead rather than reading it again, and read themselves what
/// was not.
///
/// Reading ahead ends before the workers start (``stop()`` waits for the file in hand, so a run
/// with `--jobs 1` never parses two files at once), when the paths found are used up once
/// ``finishAdding()`` was called, or at a bound of files and bytes read (what waits here for
/// the workers stays small however large the run).
final class ReadAhead: @unchecked Sendable {
    typealias Parse = @Sendable (_ path: String, _ bytes: [UInt8], _ context: ParserContext) -> NexJFile
    typealias Read = @Sendable (_ path: String) -> Result<[UInt8], FileProblem>

    private let parse: Parse
    private let read: Read
    private let maximumFiles: Int
    private let maximumBytes: Int
    // Everything below is read and written with `mutex` held.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Signalled when a path is added, adding finishes, or reading stops.
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var pending: [String] = []
    private var nextPending = 0
    private var results: [String: Result<NexJFile, FileProblem>] = [:]
    private var bytesRead = 0
    private var isAdding = true
    private var isStopped = false
    private var isStarted = false
    private let reader = DispatchGroup()

    /// `parse` makes a file of the bytes `read` gave; reading stops once `maximumFiles` files
    /// or `maximumBytes` bytes have been read.
    init(maximumFiles: Int = 256, maximumBytes: Int = 8 << 20, read: @escaping Read = FileSystem.read,
         parse: @escaping Parse) {
        self.maximumFiles = maximumFiles
        self.maximumBytes = maximumBytes
        self.read = read
        self.parse = parse
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Paths found, to read after those added before. The first starts the thread. A path
    /// added twice (overlapping arguments) may be read twice; the later reading is kept.
    func add(_ paths: some Collection<String>) {
        guard !paths.isEmpty else { return }
        let starts: Bool = locked {
            // No more than the bound is ever read: past it, a path is not even kept.
            let room = maximumFiles - pending.count
            guard room > 0 else { return false }
            pending += paths.prefix(room)
            pthread_cond_signal(changed)
            guard !isStarted else { return false }
            isStarted = true
            // Entered here, with the lock held, so that a stop from any thread waits for it.
            reader.enter()
            return true
        }
        guard starts else { return }
        XMLParser.initialize()
        DispatchQueue.global().async { [self] in
            defer { reader.leave() }
            let context = ParserContext()
            while let path = next() {
                var size = 0
                let result = read(path).map { bytes in
                    size = bytes.count
                    return parse(path, bytes, context)
                }
                locked {
                    results[path] = result
                    bytesRead += size
                }
            }
        }
    }

    /// No more paths will be added: the thread ends once it has read those it has.
    func finishAdding() {
        locked {
            isAdding = false
            pthread_cond_signal(changed)
        }
    }

    /// Reads nothing more, and returns once the file being read, if any, is read.
    func stop() {
        locked {
            isStopped = true
            pthread_cond_signal(changed)
        }
        reader.wait()
    }

    /// What was read ahead of `path`, no longer held here; nil if it was not read ahead.
    func take(_ path: String) -> Result<NexJFile, FileProblem>? {
        locked { results.removeValue(forKey: path) }
    }

    /// As many bytes have been read as may be (files are bounded by those kept to read).
    private var isOver: Bool { bytesRead >= maximumBytes }

    /// The next path to read, waiting for one to be added; nil when reading is over.
    private func next() -> String? {
        locked {
            while true {
                if isStopped || isOver { return nil }
                if nextPending < pending.count {
                    defer { nextPending += 1 }
                    return pending[nextPending]
                }
                if !isAdding { return nil }
                pthread_cond_wait(changed, mutex)
            }
        }
    }

    private func locked<Result>(_ body: () -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
