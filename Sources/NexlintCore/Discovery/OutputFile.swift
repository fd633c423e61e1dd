#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file a run writes whole, a chunk at a time: a report given with `--output`, a baseline
/// given with `--write-baseline`. A report of hundreds of thousands of findings is written as it
/// is rendered, never held whole. What is there already is kept as `lint --fix` keeps a file it
/// rewrites (spec §6, "How files are written"):
/// - a regular file, or none yet, is replaced atomically: a temporary file
///   `.NAME.nexlint-XXXXXX` beside it (removed on SIGINT, SIGTERM and SIGHUP), given the
///   original's owner, group, mode and extended attributes, synced and renamed over it by
///   ``commit()``, so a failure at any point leaves the target as it was; a new file gets the
///   umask's mode;
/// - a symbolic link is followed and the file it names replaced (or made): the link stays a link;
/// - a file with more than one hard link is refused, as a rename would split the names;
/// - a character device, FIFO or socket (`/dev/null`, `/dev/stdout` on a terminal or a pipe, a
///   named pipe) is written to as it is: replacing it would put a regular file in its place;
/// - a directory is refused.
public final class OutputFile {
    private enum Destination {
        /// The temporary file, and the original's status and attributes (nil for a new file).
        case replacing(target: String, temporary: TemporaryFile, original: (stat, [ExtendedAttribute])?)
        case writing(descriptor: Int32)
    }

    private let path: String
    private let destination: Destination
    /// The first failure (`errno`'s reason); later writes are skipped.
    private var failure: FileProblem?
    private var isDone = false

    private init(path: String, destination: Destination) {
        self.path = path
        self.destination = destination
    }

    deinit {
        abandon()
    }

    /// What writing `path` does to what is there.
    private enum Placement {
        case directory
        /// A device, FIFO or socket: written to as it is.
        case inPlace
        /// A regular file, or none yet: `target`, through links, is replaced or made.
        case replacing(target: String)
    }

    private static func placement(of path: String) -> Result<Placement, FileProblem> {
        var info = stat()
        if stat(FileNameBytes.system(path), &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: return .success(.directory)
            default: return .success(.inPlace)
            }
        } else if errno != ENOENT {
            return .failure(FileSystem.problem(path))
        }
        guard let target = FileSystem.linkTarget(of: path) else { return .failure(FileSystem.problem(path)) }
        return .success(.replacing(target: target))
    }

    public static func create(_ path: String) -> Result<OutputFile, FileProblem> {
        let refused = { (reason: String) in Result<OutputFile, FileProblem>.failure(FileProblem(path: path, reason: reason + "; not written")) }
        let target: String
        switch placement(of: path) {
        case .failure(let problem): return .failure(problem)
        case .success(.directory): return .failure(FileProblem(path: path, reason: "is a directory"))
        case .success(.inPlace):
            let descriptor = open(FileNameBytes.system(path), O_WRONLY | O_CLOEXEC | O_NOCTTY)
            guard descriptor >= 0 else { return .failure(FileSystem.problem(path)) }
            return .success(OutputFile(path: path, destination: .writing(descriptor: descriptor)))
        case .success(.replacing(let replaced)): target = replaced
        }
        var info = stat()
        var original: (stat, [ExtendedAttribute])?
        if lstat(FileNameBytes.system(target), &info) == 0 {
            guard info.st_nlink == 1 else { return refused("it has \(info.st_nlink) hard links, which replacing it would split") }
            let descriptor = open(FileNameBytes.system(target), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            guard descriptor >= 0 else { return .failure(FileSystem.problem(path)) }
            defer { close(descriptor) }
            switch ExtendedAttribute.all(of: descriptor) {
            case .success(let attributes): original = (info, attributes)
            case .failure(let refusal): return refused("its extended attributes cannot be read (\(refusal.reason))")
            }
        }
        InterruptCleanup.install()
        switch TemporaryFile.opened(beside: target) {
        case .success(let temporary):
            return .success(OutputFile(path: path, destination: .replacing(target: target, temporary: temporary, original: original)))
        case .failure(let refusal):
            return .failure(FileProblem(path: path, reason: refusal.reason))
        }
    }

    /// The file writing `path` replaces or makes, through links, as one absolute name for any
    /// path to it: nil when `path` is written to in place (a device, FIFO or socket), names a
    /// directory, or cannot be looked at (``create(_:)`` then says why).
    public static func replacedFile(_ path: String) -> String? {
        guard case .success(.replacing(let target)) = placement(of: path) else { return nil }
        let directory = PathNames.directory(of: target)
        guard let real = realpath(FileNameBytes.system(directory), nil) else {
            return PathNames.normalized(PathNames.absolute(target, base: FileSystem.currentDirectory()))
        }
        defer { free(real) }
        return PathNames.join(FileNameBytes.decode(UnsafeRawBufferPointer(start: real, count: strlen(real))), PathNames.fileName(of: target))
    }

    public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard failure == nil, !isDone else { return }
        let written = switch destination {
        case .replacing(_, let temporary, _): temporary.write(bytes)
        case .writing(let descriptor): FileSystem.writeAll(bytes, to: descriptor)
        }
        if !written { failure = FileSystem.problem(path) }
    }

    /// Copies the first `count` bytes of the open file `source` in after what was written, by
    /// the system; false when it cannot, and nothing was copied.
    public func copy(_ count: Int, bytesOf source: Int32) -> Bool {
        guard failure == nil, !isDone else { return true }
        let descriptor = switch destination {
        case .replacing(_, let temporary, _): temporary.descriptor
        case .writing(let descriptor): descriptor
        }
        switch FileSystem.copy(count, bytesOf: source, to: descriptor) {
        case .copied: return true
        case .unsupported: return false
        case .failed:
            failure = FileSystem.problem(path)
            return true
        }
    }

    /// Puts what was written in place: renames the temporary file over the target, or closes
    /// the device or pipe written to. On any failure a replaced target is left as it was.
    public func commit() -> Result<Void, FileProblem> {
        guard !isDone else { return failure.map { .failure($0) } ?? .success(()) }
        isDone = true
        switch destination {
        case .writing(let descriptor):
            if close(descriptor) != 0, failure == nil { failure = FileSystem.problem(path) }
        case .replacing(let target, let temporary, let original):
            if failure == nil {
                let reason = if let (info, attributes) = original {
                    temporary.keepOwner(of: info) ?? temporary.finish(mode: info.st_mode, attributes: attributes)
                } else {
                    temporary.finish(mode: 0o666 & ~FileSystem.currentUmask(), attributes: nil)
                }
                if let reason { failure = FileProblem(path: path, reason: reason + "; not written") }
            }
            if failure == nil, rename(FileNameBytes.system(temporary.path), FileNameBytes.system(target)) != 0 {
                failure = FileSystem.problem(path)
            }
            if failure == nil {
                temporary.renamed()
                FileWriter.syncDirectory(PathNames.directory(of: target))
            } else {
                temporary.discard()
            }
        }
        return failure.map { .failure($0) } ?? .success(())
    }

    /// Removes the temporary file unless it was committed; closes a device or pipe.
    private func abandon() {
        guard !isDone else { return }
        isDone = true
        switch destination {
        case .replacing(_, let temporary, _): temporary.discard()
        case .writing(let descriptor): close(descriptor)
        }
    }
}
