#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file being replaced atomically, written a chunk at a time: a temporary file in the same
/// directory, synced and renamed over the target by ``commit()``, so a failure at any point
/// leaves the target as it was. A report of hundreds of thousands of findings is written as it
/// is rendered, never held whole. An existing file keeps its permissions; a new one gets the
/// umask's.
public final class AtomicFile {
    private let path: String
    private let temporary: String
    private let descriptor: Int32
    private let mode: mode_t
    /// The first failure (`errno`'s reason); later writes are skipped.
    private var failure: FileProblem?
    private var isClosed = false

    private init(path: String, temporary: String, descriptor: Int32, mode: mode_t) {
        self.path = path
        self.temporary = temporary
        self.descriptor = descriptor
        self.mode = mode
    }

    deinit {
        abandon()
    }

    public static func create(_ path: String) -> Result<AtomicFile, FileProblem> {
        var existing = stat()
        let mode = stat(FileNameBytes.system(path), &existing) == 0 ? existing.st_mode & 0o7777 : 0o666 & ~FileSystem.currentUmask()
        guard let (descriptor, temporary) = TemporaryFile.create(beside: path) else { return .failure(FileSystem.problem(path)) }
        return .success(AtomicFile(path: path, temporary: temporary, descriptor: descriptor, mode: mode))
    }

    public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard failure == nil, !isClosed else { return }
        if !FileSystem.writeAll(bytes, to: descriptor) { failure = FileSystem.problem(path) }
    }

    /// Syncs and renames it over the target; on any failure the target is left as it was.
    public func commit() -> Result<Void, FileProblem> {
        if failure == nil, fchmod(descriptor, mode) != 0 || fsync(descriptor) != 0 { failure = FileSystem.problem(path) }
        close(descriptor)
        isClosed = true
        if failure == nil, rename(FileNameBytes.system(temporary), FileNameBytes.system(path)) != 0 {
            failure = FileSystem.problem(path)
        }
        if let failure {
            unlink(FileNameBytes.system(temporary))
            return .failure(failure)
        }
        return .success(())
    }

    /// Removes the temporary file unless it was committed.
    private func abandon() {
        guard !isClosed else { return }
        close(descriptor)
        isClosed = true
        unlink(FileNameBytes.system(temporary))
    }
}
