import CSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way nexlint replaces a file it rewrites (`lint --fix`, `migrate --write`), so that
/// nothing of the file is lost (spec §6, "How files are written"):
/// - a symbolic link is followed and its target rewritten; the link stays a link;
/// - a file with more than one hard link is refused (a rename would split the names);
/// - owner, group, mode and extended attributes (POSIX ACLs among them) are set on the
///   temporary file before it replaces the original, or the file is refused;
/// - the temporary file is `.NAME.nexlint-XXXXXX`, mode 0600, locked while it lives, removed
///   on SIGINT/SIGTERM/SIGHUP; a later run removes the leftovers of a killed one;
/// - under an advisory lock on the original, after the temporary file is synced and just
///   before the rename, the original must still hold the bytes that were read;
/// - `FILE.bak` is made with `link`, which never replaces an existing file.
///
/// One writer serves one run, on one thread.
public final class FileWriter {
    private var cleanedDirectories: Set<String> = []

    public init() {
        InterruptCleanup.install()
        // A file-size limit makes a write fail with an error instead of killing the process
        // midway, so the temporary file is removed and the failure reported.
        signal(SIGXFSZ, SIG_IGN)
    }

    /// The test-only hook run after the temporary file is synced and before the original is
    /// locked and compared: a shell command, given the file in `NEXLINT_TEST_FILE`. It makes
    /// the race between reading a file and replacing it deterministic in tests.
    public static let beforeReplaceHook = "NEXLINT_TEST_BEFORE_REPLACE"

    /// Replaces `path` (or the file it links to) with `updated`, provided it still holds
    /// `original`; with `backup`, the original is kept as `FILE.bak` beside it.
    public func replace(_ path: String, original: [UInt8], with updated: [UInt8], backup: Bool) -> Result<Void, FileProblem> {
        guard let target = Self.resolved(path) else { return .failure(Self.problem(path)) }
        let refused = { (reason: String) in Result<Void, FileProblem>.failure(FileProblem(path: path, reason: reason + "; not written")) }
        let directory = PathNames.directory(of: target)
        if cleanedDirectories.insert(directory).inserted { Self.removeLeftovers(in: directory) }

        let source = open(FileNameBytes.system(target), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard source >= 0 else { return .failure(Self.problem(path)) }
        defer { close(source) }
        var info = stat()
        guard fstat(source, &info) == 0 else { return .failure(Self.problem(path)) }
        guard info.st_mode & S_IFMT == S_IFREG else { return refused("not a regular file") }
        let backupPath = target + ".bak"
        let backupExists = "\(PathNames.fileName(of: backupPath)) exists and is never overwritten"
        // Refused before any work; `link` below is what guarantees it.
        if backup, FileSystem.exists(backupPath) { return refused(backupExists) }
        let attributes: [ExtendedAttribute]
        switch ExtendedAttribute.all(of: source) {
        case .success(let list): attributes = list
        case .failure(let refusal): return refused("its extended attributes cannot be read (\(refusal.reason))")
        }

        let replacement: TemporaryFile
        switch TemporaryFile.make(beside: target, contents: updated, owner: info) {
        case .success(let file): replacement = file
        case .failure(let refusal): return refused(refusal.reason)
        }
        defer { replacement.discard() }
        var backupCopy: TemporaryFile?
        if backup {
            switch TemporaryFile.make(beside: target, contents: original, owner: info) {
            case .success(let file): backupCopy = file
            case .failure(let refusal): return refused("the backup cannot be made: " + refusal.reason)
            }
        }
        defer { backupCopy?.discard() }
        Self.runTestHook(for: target)

        // The original as it is now, locked against other nexlint runs.
        let current: Int32
        switch Self.lockCurrent(target) {
        case .success(let descriptor): current = descriptor
        case .failure(let problem): return .failure(FileProblem(path: path, reason: problem.reason))
        }
        defer { close(current) }
        var now = stat()
        guard fstat(current, &now) == 0 else { return .failure(Self.problem(path)) }
        guard now.st_nlink == 1 else { return refused("it has \(now.st_nlink) hard links, which a rewrite would split") }
        guard now.st_uid == info.st_uid, now.st_gid == info.st_gid, now.st_mode == info.st_mode,
              case .success(let contents) = FileSystem.contents(of: current, path: target), contents == original else {
            return refused("it changed since it was read")
        }
        for (file, role) in [(replacement, ""), (backupCopy, "the backup cannot be made: ")] {
            if let file, let reason = file.finish(mode: info.st_mode, attributes: attributes) { return refused(role + reason) }
        }
        if let backupCopy {
            guard link(FileNameBytes.system(backupCopy.path), FileNameBytes.system(backupPath)) == 0 else {
                return errno == EEXIST ? refused(backupExists) : refused("the backup cannot be made: " + String(cString: strerror(errno)))
            }
        }
        guard rename(FileNameBytes.system(replacement.path), FileNameBytes.system(target)) == 0 else {
            let problem = Self.problem(path)
            if backupCopy != nil { unlink(FileNameBytes.system(backupPath)) }
            return .failure(problem)
        }
        replacement.renamed()
        Self.syncDirectory(directory)
        return .success(())
    }

    /// The file a path names, through any symbolic links, as an absolute path.
    private static func resolved(_ path: String) -> String? {
        guard let real = realpath(FileNameBytes.system(path), nil) else { return nil }
        defer { free(real) }
        return FileNameBytes.decode(UnsafeRawBufferPointer(start: real, count: strlen(real)))
    }

    /// Opens and locks the file now at `path`. A file renamed over it while this waited for
    /// the lock is opened again, so the lock is always on the file the rename will replace.
    private static func lockCurrent(_ path: String) -> Result<Int32, FileProblem> {
        for _ in 0..<64 {
            let descriptor = open(FileNameBytes.system(path), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            guard descriptor >= 0 else { return .failure(problem(path)) }
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let failure = problem(path)
                    close(descriptor)
                    return .failure(failure)
                }
            }
            var locked = stat(), named = stat()
            if fstat(descriptor, &locked) == 0, stat(FileNameBytes.system(path), &named) == 0,
               locked.st_dev == named.st_dev, locked.st_ino == named.st_ino {
                return .success(descriptor)
            }
            close(descriptor)
        }
        return .failure(FileProblem(path: path, reason: "it kept being replaced while waiting for its lock; not written"))
    }

    /// Removes temporary files of earlier runs that were killed before they could: a live
    /// run keeps its temporary file locked, so one whose lock can be taken has no owner.
    static func removeLeftovers(in directory: String) {
        guard case .success(let entries) = FileSystem.entries(of: directory) else { return }
        for entry in entries where TemporaryFile.isTemporaryName(entry.name) && entry.kind != .directory {
            let path = directory + "/" + entry.name
            let descriptor = open(FileNameBytes.system(path), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            guard descriptor >= 0 else { continue }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { unlink(FileNameBytes.system(path)) }
            close(descriptor)
        }
    }

    static func syncDirectory(_ directory: String) {
        let descriptor = open(FileNameBytes.system(directory), O_RDONLY | O_CLOEXEC | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func runTestHook(for target: String) {
        guard let command = getenv(beforeReplaceHook) else { return }
        setenv("NEXLINT_TEST_FILE", FileNameBytes.system(target), 1)
        var child: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", String(cString: command)].map { $0.withCString { strdup($0) } } + [nil]
        defer { arguments.forEach { free($0) } }
        guard posix_spawn(&child, "/bin/sh", nil, nil, arguments, environ) == 0 else { return }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
    }

    static func problem(_ path: String) -> FileProblem {
        FileProblem(path: path, reason: String(cString: strerror(errno)))
    }
}

/// Why a file was not written, in words for the summary.
struct WriteRefusal: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// One extended attribute of a file (POSIX ACLs are the `system.posix_acl_*` ones).
struct ExtendedAttribute {
    var name: String
    var value: [UInt8]

    static func all(of descriptor: Int32) -> Result<[ExtendedAttribute], WriteRefusal> {
        let names: [String]
        switch Self.names(of: descriptor) {
        case .success(let list): names = list
        case .failure(let reason): return .failure(reason)
        }
        var attributes: [ExtendedAttribute] = []
        for name in names {
            let size = fgetxattr(descriptor, name, nil, 0)
            if size < 0 { if errno == ENODATA { continue } else { return .failure(WriteRefusal("\(name): \(String(cString: strerror(errno)))")) } }
            var value = [UInt8](repeating: 0, count: size)
            let read = value.withUnsafeMutableBytes { fgetxattr(descriptor, name, $0.baseAddress, size) }
            guard read >= 0 else { return .failure(WriteRefusal("\(name): \(String(cString: strerror(errno)))")) }
            value.removeSubrange(read...)
            attributes.append(ExtendedAttribute(name: name, value: value))
        }
        return .success(attributes)
    }

    static func names(of descriptor: Int32) -> Result<[String], WriteRefusal> {
        let size = flistxattr(descriptor, nil, 0)
        if size < 0 { return errno == ENOTSUP ? .success([]) : .failure(WriteRefusal(String(cString: strerror(errno)))) }
        guard size > 0 else { return .success([]) }
        var list = [CChar](repeating: 0, count: size)
        let filled = flistxattr(descriptor, &list, size)
        guard filled >= 0 else { return .failure(WriteRefusal(String(cString: strerror(errno)))) }
        return .success(list[..<filled].split(separator: 0).map { String(decoding: $0.map { UInt8(bitPattern: $0) }, as: UTF8.self) })
    }
}

/// A temporary file beside the one it will replace, holding new contents and, once finished,
/// the original's owner, mode and extended attributes. It is locked while it exists (so another run can tell
/// it from a leftover) and known to the interrupt handler until it is renamed or removed.
final class TemporaryFile {
    let path: String
    private(set) var descriptor: Int32
    private let slot: Int?

    static let marker = ".nexlint-"

    /// `.NAME.nexlint-XXXXXX`: what `make` creates, so leftovers are recognised by name.
    static func isTemporaryName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        let marker = Array(Self.marker.utf8)
        guard bytes.first == UInt8(ascii: "."), bytes.count >= 1 + marker.count + 6 else { return false }
        return Array(bytes[(bytes.count - 6 - marker.count)..<(bytes.count - 6)]) == marker
    }

    private init(path: String, descriptor: Int32, slot: Int?) {
        self.path = path
        self.descriptor = descriptor
        self.slot = slot
    }

    /// Creates `.NAME.nexlint-XXXXXX` beside `target`, mode 0600 whatever the umask (mkstemp),
    /// closed on exec; its descriptor and path, or nil with `errno` set.
    static func create(beside target: String) -> (descriptor: Int32, path: String)? {
        var template = FileNameBytes.system(PathNames.directory(of: target) + "/." + PathNames.fileName(of: target) + marker + "XXXXXX")
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return nil }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        return (descriptor, FileNameBytes.decode(template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }))
    }

    /// An empty temporary file beside `target`, locked and known to the interrupt handler.
    static func opened(beside target: String) -> Result<TemporaryFile, WriteRefusal> {
        guard let (descriptor, path) = create(beside: target) else {
            return .failure(WriteRefusal("a temporary file cannot be created: " + String(cString: strerror(errno))))
        }
        let file = TemporaryFile(path: path, descriptor: descriptor, slot: InterruptCleanup.register(path))
        flock(descriptor, LOCK_EX | LOCK_NB)
        return .success(file)
    }

    static func make(beside target: String, contents: [UInt8], owner info: stat) -> Result<TemporaryFile, WriteRefusal> {
        opened(beside: target).flatMap { file in
            let reason = contents.withUnsafeBufferPointer { file.write($0) } ? file.keepOwner(of: info) ?? file.sync()
                : Self.failed("the new contents cannot be written")
            guard let reason else { return .success(file) }
            file.discard()
            return .failure(WriteRefusal(reason))
        }
    }

    /// Appends `bytes`; false (with `errno` set) when they cannot be written.
    func write(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        FileSystem.writeAll(bytes, to: descriptor)
    }

    /// Gives the file the original's owner and group; the reason it could not, or nil. The
    /// mode stays 0600 until ``finish(mode:attributes:)``.
    func keepOwner(of info: stat) -> String? {
        var created = stat()
        guard fstat(descriptor, &created) == 0 else { return Self.failed("the temporary file cannot be read back") }
        if created.st_uid != info.st_uid || created.st_gid != info.st_gid {
            guard fchown(descriptor, info.st_uid, info.st_gid) == 0 else {
                return Self.failed("its owner and group (\(info.st_uid):\(info.st_gid)) cannot be kept")
            }
        }
        return nil
    }

    /// The reason the contents cannot be synced, or nil.
    func sync() -> String? {
        fsync(descriptor) == 0 ? nil : Self.failed("the new contents cannot be synced")
    }

    /// Gives the file the original's mode and extended attributes, last, so that until it
    /// replaces the original it is readable by its owner alone; the reason it could not, or nil.
    /// A new file (nil attributes) keeps those its directory gives it (default ACLs).
    func finish(mode: mode_t, attributes: [ExtendedAttribute]?) -> String? {
        // Set after the owner, which clears set-user-ID bits, and before the attributes: an
        // access ACL sets the group bits to its mask, as on the original.
        guard fchmod(descriptor, mode & 0o7777) == 0 else { return Self.failed("its mode cannot be kept") }
        guard let attributes else { return sync() }
        let kept = Set(attributes.map(\.name))
        if case .success(let inherited) = ExtendedAttribute.names(of: descriptor) {
            for name in inherited where !kept.contains(name) {
                guard fremovexattr(descriptor, name) == 0 else { return Self.failed("the inherited attribute \(name) cannot be removed") }
            }
        }
        for attribute in attributes {
            let status = attribute.value.withUnsafeBytes { fsetxattr(descriptor, attribute.name, $0.baseAddress, $0.count, 0) }
            guard status == 0 else { return Self.failed("its extended attribute \(attribute.name) cannot be kept") }
        }
        return sync()
    }

    private static func failed(_ what: String) -> String { "\(what): \(String(cString: strerror(errno)))" }

    /// The file now has its final name: nothing to remove.
    func renamed() {
        InterruptCleanup.release(slot)
        close(descriptor)
        descriptor = -1
    }

    /// Removes the file unless it was renamed.
    func discard() {
        guard descriptor >= 0 else { return }
        unlink(FileNameBytes.system(path))
        InterruptCleanup.release(slot)
        close(descriptor)
        descriptor = -1
    }
}
