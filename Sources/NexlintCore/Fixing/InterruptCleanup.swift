import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes live temporary files when the run is interrupted (SIGINT, SIGTERM, SIGHUP), then
/// exits with 128 + the signal's number as shells do. A signal handler may only call
/// async-signal-safe functions, so the paths are kept in fixed C buffers and the slots in use
/// in one atomic bit mask; the handler calls nothing but `unlink` and `_exit`.
enum InterruptCleanup {
    private static let slotCount = 8
    private static let slotSize = Int(PATH_MAX) + 1
    nonisolated(unsafe) private static let paths = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * slotSize)
    private static let occupied = Atomic<Int>(0)
    private static let installed = Atomic<Bool>(false)

    static func install() {
        guard installed.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return }
        _ = paths
        let handler: @convention(c) (Int32) -> Void = { signal in
            InterruptCleanup.removeAll()
            _exit(128 + signal)
        }
        // A parent may have left these blocked (the mask is inherited): a blocked SIGINT would
        // wait until the run ends instead of stopping it.
        var handled = sigset_t()
        sigemptyset(&handled)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, handler)
            sigaddset(&handled, signalNumber)
        }
        pthread_sigmask(SIG_UNBLOCK, &handled, nil)
    }

    /// Records a path for removal on interrupt; nil when every slot is taken (the file is
    /// then left for the next run to remove).
    static func register(_ path: String) -> Int? {
        let bytes = FileNameBytes.system(path).dropLast().map { UInt8(bitPattern: $0) }
        guard bytes.count < slotSize else { return nil }
        var mask = occupied.load(ordering: .sequentiallyConsistent)
        while true {
            guard let slot = (0..<slotCount).first(where: { mask & (1 << $0) == 0 }) else { return nil }
            let buffer = paths + slot * slotSize
            // Written before the slot is marked in use, so the handler never reads half a path.
            for (index, byte) in bytes.enumerated() { buffer[index] = CChar(bitPattern: byte) }
            buffer[bytes.count] = 0
            let (exchanged, original) = occupied.compareExchange(expected: mask, desired: mask | (1 << slot),
                                                                 ordering: .sequentiallyConsistent)
            if exchanged { return slot }
            mask = original
        }
    }

    static func release(_ slot: Int?) {
        guard let slot else { return }
        occupied.bitwiseAnd(~(1 << slot), ordering: .sequentiallyConsistent)
    }

    private static func removeAll() {
        let mask = occupied.load(ordering: .sequentiallyConsistent)
        for slot in 0..<slotCount where mask & (1 << slot) != 0 {
            unlink(paths + slot * slotSize)
        }
    }
}
