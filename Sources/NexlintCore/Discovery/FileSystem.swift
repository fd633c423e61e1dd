import NexlintXML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path nexlint was asked to read and could not, with the system's reason.
public struct FileProblem: Error, Sendable, Hashable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var message: String { "\(FileNameBytes.shown(path)): \(reason)" }
}

/// The few POSIX calls nexlint needs, used directly so that special files are never opened
/// for reading (a FIFO would block) and directory symlinks are never followed (no loops).
public enum FileSystem {
    public enum EntryKind: Sendable {
        case regularFile
        case directory
        case symbolicLink
        case other
    }

    /// Files larger than this are not configuration; reading them is refused.
    public static let maximumFileSize = 64 << 20

    public static func kind(of path: String, followingLinks: Bool) -> Result<EntryKind, FileProblem> {
        var info = stat()
        let name = FileNameBytes.system(path)
        let status = followingLinks ? stat(name, &info) : lstat(name, &info)
        guard status == 0 else { return .failure(problem(path)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .success(.regularFile)
        case S_IFDIR: return .success(.directory)
        case S_IFLNK: return .success(.symbolicLink)
        default: return .success(.other)
        }
    }

    public struct DirectoryEntry: Sendable {
        public var name: String
        /// What the directory listing says the entry is (without following a link), or nil
        /// when the file system does not say.
        public var kind: EntryKind?
    }

    /// Entries of a directory, sorted by name, without `.` and `..`.
    public static func entries(of directory: String) -> Result<[DirectoryEntry], FileProblem> {
        guard let handle = opendir(FileNameBytes.system(directory)) else { return .failure(problem(directory)) }
        defer { closedir(handle) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                return FileNameBytes.decode(UnsafeBufferPointer(rebasing: bytes[..<strnlen(raw.baseAddress!, raw.count)]))
            }
            guard name != "." && name != ".." else { continue }
            let kind: EntryKind? = switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): .regularFile
            case Int32(DT_DIR): .directory
            case Int32(DT_LNK): .symbolicLink
            case Int32(DT_UNKNOWN): nil
            default: .other
            }
            entries.append(DirectoryEntry(name: name, kind: kind))
        }
        return .success(sortedByName(entries))
    }

    /// As `<` on their names orders them. ASCII names (most) order by their bytes, and a
    /// name's first eight bytes, read as one big-endian number (zeros after a shorter name,
    /// which cannot hold a zero byte), settle most comparisons: comparing the strings cost
    /// about 230 instructions each, a fifth of a walk's time.
    static func sortedByName(_ entries: [DirectoryEntry]) -> [DirectoryEntry] {
        var keyed: [(prefix: UInt64, entry: DirectoryEntry)] = []
        keyed.reserveCapacity(entries.count)
        for entry in entries {
            let prefix = ASCII.withBytes(of: entry.name) { bytes -> UInt64? in
                guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
                return bytes.prefix(8).enumerated().reduce(0) { $0 | UInt64($1.element) << (56 - 8 * $1.offset) }
            }
            guard let prefix else { return entries.sorted { $0.name < $1.name } }
            keyed.append((prefix, entry))
        }
        keyed.sort { $0.prefix != $1.prefix ? $0.prefix < $1.prefix : $0.entry.name < $1.entry.name }
        return keyed.map(\.entry)
    }

    /// The whole file. Only regular files are read; the check is made on the open descriptor.
    public static func read(_ path: String) -> Result<[UInt8], FileProblem> {
        let descriptor = open(FileNameBytes.system(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(problem(path)) }
        defer { close(descriptor) }
        return contents(of: descriptor, path: path)
    }

    /// Everything an open regular file holds, read from its start.
    public static func contents(of descriptor: Int32, path: String) -> Result<[UInt8], FileProblem> {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(problem(path)) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return .failure(FileProblem(path: path, reason: (info.st_mode & S_IFMT == S_IFDIR) ? "is a directory" : "not a regular file"))
        }
        guard Int(info.st_size) <= maximumFileSize else {
            return .failure(FileProblem(path: path, reason: "larger than \(maximumFileSize >> 20) MB"))
        }
        // One byte more than fstat says, so that the read finding the end needs no more room.
        var bytes = [UInt8](unsafeUninitializedCapacity: Int(info.st_size) + 1) { _, count in count = Int(info.st_size) + 1 }
        var filled = 0
        while true {
            if filled == bytes.count {
                // The file may have grown since fstat; keep reading until end of file.
                guard bytes.count < maximumFileSize else {
                    return .failure(FileProblem(path: path, reason: "larger than \(maximumFileSize >> 20) MB"))
                }
                bytes.append(contentsOf: [UInt8](repeating: 0, count: max(4096, bytes.count)))
            }
            let count = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(filled))
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(problem(path))
            }
            if count == 0 { break }
            filled += count
            // The read asked for one byte more than fstat said the file holds: when it stops at
            // exactly that size, that is the end (a file that grew would have filled the byte),
            // and the read that would return nothing is not needed (a system call a file).
            if filled == Int(info.st_size) { break }
        }
        bytes.removeSubrange(filled...)
        return .success(bytes)
    }

    /// Where writing to `path` lands: `path`, or for a symbolic link (or a chain of them) the
    /// path the last one names, which need not exist. Nil, with `errno` set, when a link cannot
    /// be read or the chain is longer than the system follows.
    static func linkTarget(of path: String) -> String? {
        var current = path
        // Linux follows at most 40 links in a path.
        for _ in 0..<40 {
            var info = stat()
            guard lstat(FileNameBytes.system(current), &info) == 0 else { return errno == ENOENT ? current : nil }
            guard info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(FileNameBytes.system(current), &buffer, buffer.count - 1)
            guard length > 0 else { return nil }
            let destination = FileNameBytes.decode(buffer[..<length].map { UInt8(bitPattern: $0) })
            current = destination.utf8.first == UInt8(ascii: "/") ? destination : PathNames.join(PathNames.directory(of: current), destination)
        }
        errno = ELOOP
        return nil
    }

    /// Whether anything, a dangling link included, has this name.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(FileNameBytes.system(path), &info) == 0
    }

    /// Writes every byte, retrying short and interrupted writes; false (with `errno`) on failure.
    static func writeAll(_ contents: [UInt8], to descriptor: Int32) -> Bool {
        contents.withUnsafeBufferPointer { writeAll($0, to: descriptor) }
    }

    static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }

    /// How a copy of a file's bytes by the system went.
    public enum FileCopy {
        case copied
        /// The system cannot copy between these two (nothing was written).
        case unsupported
        /// Writing failed (`errno` says why).
        case failed
    }

    /// Copies the first `count` bytes of the open file `source` to `destination`, from file to
    /// file inside the kernel (sendfile), not through a buffer of this process.
    public static func copy(_ count: Int, bytesOf source: Int32, to destination: Int32) -> FileCopy {
        var offset: off_t = 0
        while offset < count {
            let sent = sendfile(destination, source, &offset, count - Int(offset))
            if sent < 0 {
                if errno == EINTR { continue }
                // An output opened to append, or one the call does not serve, takes a plain write.
                return offset == 0 && (errno == EINVAL || errno == ENOSYS) ? .unsupported : .failed
            }
            // The source ended early: what was copied is not the whole, which must not pass.
            guard sent > 0 else {
                errno = EIO
                return .failed
            }
        }
        return .copied
    }

    static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }

    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return FileNameBytes.decode(buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) })
    }

    static func problem(_ path: String) -> FileProblem {
        FileProblem(path: path, reason: String(cString: strerror(errno)))
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
