#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Part of a report written before what must precede it is known (JUnit's totals come first),
/// set aside in an unlinked temporary file as it grows, so that its size never becomes
/// memory. Where no temporary file can be made, it is kept in memory instead.
final class SpillFile {
    private let store = Store()
    /// Where the part is written.
    var output: ByteOutput

    init() {
        output = ByteOutput(drainingTo: store.append)
    }

    /// Appends everything written to `destination`: copied by the system from file to file
    /// where it can, otherwise read back in parts of 1 MiB that go straight to its drain (a
    /// JUnit report's suites run to tens of megabytes: copying them into the output once more,
    /// in parts of 64 KiB, was about 4% of its instructions).
    func copy(into destination: inout ByteOutput) {
        output.drainAll()
        if let (descriptor, size) = store.file, destination.drain(passingFile: descriptor, count: size) { return }
        store.replay { destination.drain(passingThrough: $0) }
    }

    private final class Store {
        /// -1 until the first part is set aside; nil once no file could be made or written.
        private var descriptor: Int32? = -1
        /// Bytes the file holds.
        private var size = 0
        private var inMemory: [UInt8] = []

        deinit {
            if let descriptor, descriptor >= 0 { close(descriptor) }
        }

        func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            if descriptor == -1 {
                let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
                if let (created, path) = TemporaryFile.create(beside: directory + "/report") {
                    unlink(FileNameBytes.system(path))
                    descriptor = created
                } else {
                    descriptor = nil
                }
            }
            if let descriptor {
                if FileSystem.writeAll(bytes, to: descriptor) {
                    size += bytes.count
                    return
                }
                // A full disk must not cost the report: what the file holds moves to memory.
                inMemory = Array(unsafeUninitializedCapacity: size) { buffer, count in
                    count = Self.read(descriptor, into: buffer)
                }
                close(descriptor)
                self.descriptor = nil
            }
            inMemory.append(contentsOf: bytes)
        }

        /// The file the part is set aside in and its size, when it is in one.
        var file: (descriptor: Int32, size: Int)? {
            guard let descriptor, descriptor >= 0 else { return nil }
            return (descriptor, size)
        }

        func replay(_ take: (UnsafeBufferPointer<UInt8>) -> Void) {
            guard let descriptor, descriptor >= 0 else {
                inMemory.withUnsafeBufferPointer(take)
                return
            }
            let part = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1024 * 1024)
            defer { part.deallocate() }
            var offset = 0
            while offset < size {
                let count = Self.read(descriptor, into: UnsafeMutableBufferPointer(rebasing: part[..<min(part.count, size - offset)]),
                                      at: offset)
                guard count > 0 else { break }
                take(UnsafeBufferPointer(rebasing: part[..<count]))
                offset += count
            }
        }

        /// Fills `buffer` from `offset` as far as the file allows; the bytes read.
        private static func read(_ descriptor: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int = 0) -> Int {
            var done = 0
            while done < buffer.count {
                let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                done += count
            }
            return done
        }
    }
}
