import NexlintXML

/// A report being written, as UTF-8 bytes. Reports run to hundreds of thousands of lines:
/// text is copied in runs of bytes, never a character at a time, and never through
/// intermediate `String`s.
public struct ByteOutput: ~Copyable {
    // A buffer of its own rather than an `Array`, and not copyable, so it needs no
    // copy-on-write or exclusivity checks: a report is tens of thousands of small appends.
    private var base: UnsafeMutablePointer<UInt8>
    public private(set) var count = 0
    private var capacity: Int

    /// Where a report goes as it is written, a part at a time (``drainIfLarge()``); nil keeps
    /// everything here.
    private let drain: ((UnsafeBufferPointer<UInt8>) -> Void)?
    /// Copies the first bytes of an open file to where the drain writes, without reading them
    /// into memory; false when the system cannot, and nothing was copied.
    private let copyFile: ((Int, Int32) -> Bool)?
    private static let drainSize = 64 * 1024

    public init(reservingCapacity capacity: Int = 0) {
        self.capacity = max(capacity, 256)
        base = .allocate(capacity: self.capacity)
        drain = nil
        copyFile = nil
    }

    /// An output that hands what is written to `drain` in parts of about 64 KiB, at the points
    /// its writer marks (``drainIfLarge()``), and the rest at ``drainAll()``; `copyFile`, when
    /// given, copies a file's first bytes to the same place (``drain(passingFile:count:)``).
    public init(drainingTo drain: @escaping (UnsafeBufferPointer<UInt8>) -> Void, copyingFiles copyFile: ((Int, Int32) -> Bool)? = nil) {
        capacity = Self.drainSize + Self.drainSize / 4
        base = .allocate(capacity: capacity)
        self.drain = drain
        self.copyFile = copyFile
    }

    /// At a point between whole parts of a report (a finding's, a file's): hands the bytes so
    /// far to the drain once they pass 64 KiB. Without a drain, nothing happens.
    @inline(__always)
    public mutating func drainIfLarge() {
        if count >= Self.drainSize, drain != nil { drainAll() }
    }

    /// Hands every byte so far to the drain (at the end of a report).
    public mutating func drainAll() {
        guard let drain, count > 0 else { return }
        drain(written)
        count = 0
    }

    /// What is written so far, then `part` as it is, handed to the drain: `part` is not copied
    /// in (a report set aside and read back whole). Without a drain, it is appended.
    public mutating func drain(passingThrough part: UnsafeBufferPointer<UInt8>) {
        guard let drain else {
            append(part)
            return
        }
        drainAll()
        drain(part)
    }

    /// What is written so far, then the first `count` bytes of the open file `descriptor`,
    /// copied by the system where it can (a report set aside in a file, tens of megabytes, need
    /// not be read back through memory); false when it cannot, and the file was not copied.
    public mutating func drain(passingFile descriptor: Int32, count: Int) -> Bool {
        guard let copyFile else { return false }
        drainAll()
        return copyFile(count, descriptor)
    }

    deinit {
        base.deallocate()
    }

    /// The bytes written so far (since the last drain, for a draining output).
    public var bytes: [UInt8] { Array(written) }

    /// The bytes written so far (since the last drain), in place.
    public var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    public mutating func reserveCapacity(_ wanted: Int) {
        guard wanted > capacity else { return }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: wanted)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = wanted
    }

    /// Room for `extra` more bytes, doubling at least, so that appends stay linear.
    @inline(__always)
    private mutating func makeRoom(for extra: Int) {
        if count + extra > capacity { reserveCapacity(max(2 * capacity, count + extra)) }
    }

    @inline(__always)
    public mutating func append(_ byte: UInt8) {
        if count == capacity { reserveCapacity(2 * capacity) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    public mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let start = buffer.baseAddress, buffer.count > 0 else { return }
        makeRoom(for: buffer.count)
        (base + count).update(from: start, count: buffer.count)
        count += buffer.count
    }

    @inline(__always)
    public mutating func append(_ text: String) {
        ASCII.withBytes(of: text) { append($0) }
    }

    /// Text the program wrote (a literal).
    @inline(__always)
    public mutating func append(contentsOf text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    public mutating func append(_ other: [UInt8]) {
        other.withUnsafeBufferPointer { append($0) }
    }

    /// One of the parts.
    @inline(__always)
    public mutating func append(_ parts: ByteParts, _ index: Int) {
        parts.withPart(index) { append($0) }
    }

    /// A decimal integer, written in place.
    public mutating func append(number: Int) {
        makeRoom(for: Self.longestDecimal)
        count += Self.writeDecimal(number, to: base + count)
    }

    /// The bytes of a decimal integer, made on the stack and lent to `body`.
    @inline(__always)
    static func withDecimal<Result>(_ number: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: longestDecimal) { buffer in
            body(UnsafeBufferPointer(start: buffer.baseAddress!, count: writeDecimal(number, to: buffer.baseAddress!)))
        }
    }

    /// An Int has at most 19 digits, and a sign.
    private static let longestDecimal = 20

    /// Writes a decimal integer (a minus sign first for a negative one) at `start`, which has
    /// room for ``longestDecimal`` bytes, and returns how many it wrote. The digits are counted
    /// by comparisons and made from the last back by dividing by ten, a constant, which
    /// compiles to a multiplication: made from the first, each digit took two divisions by a
    /// varying power of ten (a report writes two or three numbers a finding).
    @inline(__always)
    private static func writeDecimal(_ number: Int, to start: UnsafeMutablePointer<UInt8>) -> Int {
        var sign = 0
        if number < 0 {
            start.pointee = UInt8(ascii: "-")
            sign = 1
        }
        let value = number.magnitude
        var digits = 1
        var power: UInt = 10
        while digits < 19, value >= power {
            digits += 1
            power &*= 10
        }
        var position = start + sign + digits
        var rest = value
        repeat {
            position -= 1
            position.pointee = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        } while rest > 0
        return sign + digits
    }

    /// What an escaping append writes for the byte at `index` of the text: nil to copy it, or
    /// the bytes to write instead and how many of the text's bytes they replace.
    public typealias Escape = (_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (replacement: UnsafeBufferPointer<UInt8>, length: Int)?

    /// The text's bytes with some replaced (`escape`, asked only about bytes in `candidates`);
    /// the runs between are copied whole.
    @inline(__always)
    public mutating func append(_ text: String, escaping candidates: ByteSet, _ escape: Escape) {
        ASCII.withBytes(of: text) { append($0, escaping: candidates, escape) }
    }

    /// A message's pieces as one text, escaped so. The pieces are copied first and looked at
    /// after, in one pass: a message is many short pieces, and most need no escape at all.
    /// (Escapes look ahead within a piece only, never across pieces: a piece is a whole
    /// string.)
    /// Returns whether the text was written as it is (no byte of `candidates` in it).
    @discardableResult
    public mutating func append(_ message: FindingMessage, escaping candidates: ByteSet, _ escape: Escape) -> Bool {
        let start = count
        message.forEachPiece { append($0) }
        let length = count - start
        let first = candidates.firstMember(in: UnsafeBufferPointer(start: base + start, count: length), from: 0)
        guard first < length else { return true }
        // Escaped again from its first candidate on, from a copy on the stack: the bytes before
        // it stand as written (escapes look ahead, never back). Most JUnit messages name an
        // element, so are escaped; copying and writing them whole again cost more.
        let rest = length - first
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: rest) { copy in
            _ = copy.initialize(from: UnsafeBufferPointer(start: base + start + first, count: rest))
            count = start + first
            append(UnsafeBufferPointer(copy), escaping: candidates, escape)
        }
        return false
    }

    /// Bytes already written (since the last drain) written again: a value needed twice.
    public mutating func append(writtenAt range: Range<Int>) {
        makeRoom(for: range.count)
        (base + count).update(from: base + range.lowerBound, count: range.count)
        count += range.count
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, escaping candidates: ByteSet, _ escape: Escape) {
        var runStart = 0
        // From candidate to candidate, sixteen bytes a step between them (a byte at a time cost
        // a JUnit report about 370 instructions a finding more: most of its messages name an
        // element, so are escaped).
        var index = candidates.firstMember(in: bytes, from: 0)
        while index < bytes.count {
            if let (replacement, length) = escape(bytes, index) {
                append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                append(replacement)
                index += length
                runStart = index
            } else {
                index += 1
            }
            index = candidates.firstMember(in: bytes, from: index)
        }
        append(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
    }

    /// The text with control characters written as `\xNN`, so a line of a terminal report is
    /// one line and cannot drive the terminal.
    public mutating func append(escapingControlCharacters text: String) {
        append(text, escaping: Self.controlCharacters, Self.escapeControlCharacter)
    }

    /// The pieces end to end, escaped as one text.
    public mutating func append(escapingControlCharacters message: FindingMessage) {
        append(message, escaping: Self.controlCharacters, Self.escapeControlCharacter)
    }

    private static let controlCharacters = ByteSet(Array(0..<0x20) + [0x7F])

    private static func escapeControlCharacter(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int)
        -> (replacement: UnsafeBufferPointer<UInt8>, length: Int)? {
        (terminalEscapes[bytes[index]], 1)
    }

    /// `count` spaces, copied in runs (indentation).
    public mutating func append(spaces count: Int) {
        var remaining = count
        while remaining > 0 {
            let run = min(remaining, Self.spaces.utf8CodeUnitCount)
            append(UnsafeBufferPointer(start: Self.spaces.utf8Start, count: run))
            remaining -= run
        }
    }

    private static let spaces: StaticString = "                                "
    private static let terminalEscapes = HexEscapes(prefix: "\\x")

    /// The lowercase hex digit of a value below 16, read from a literal: no array to reach.
    @inline(__always)
    static func hexDigit(_ value: Int) -> UInt8 {
        hexDigits.utf8Start[value]
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    /// The report as a `String` (it is valid UTF-8: every piece appended was).
    public var text: String { String(decoding: written, as: UTF8.self) }
}

extension StaticString {
    /// Its UTF-8 bytes, which live as long as the program.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: utf8Start, count: utf8CodeUnitCount) }
}

/// A set of byte values: the bytes an escaping writer must look at. Made once (the sets are
/// static constants) and only read after, so it is shared freely between threads.
///
/// Long runs are tested sixteen bytes at a time with vector compares, which the sets allow:
/// each is a range from 0 (the control characters) and at most five other bytes. Short runs
/// and the bytes around a member are tested with a table, one load a byte.
public struct ByteSet: @unchecked Sendable {
    /// 1 for a member, 0 otherwise: numbers, so that look-ups are or-ed with no branch.
    private let table: UnsafeMutablePointer<UInt8>
    /// Every byte below this is a member (0: none is).
    private let below: SIMD16<UInt8>
    /// The members not below `below`, each across a vector; places left over repeat one.
    private let others: (SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>)
    private let isEmpty: Bool

    public init(_ bytes: some Sequence<UInt8>) {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        for byte in bytes { table[Int(byte)] = 1 }
        self.table = table
        var start = 0
        while start < 256, table[start] == 1 { start += 1 }
        let others = (start..<256).filter { table[$0] == 1 }.map(UInt8.init)
        precondition(others.count <= 5, "a byte set is a range from 0 and at most five other bytes")
        isEmpty = start == 0 && others.isEmpty
        below = SIMD16(repeating: UInt8(min(start, 255)))
        // Padded with a member: with all 256 bytes members, `below` (255) leaves out 255 itself.
        let padded = others + Array(repeating: others.first ?? UInt8(max(start, 1) - 1), count: 5 - others.count)
        self.others = (SIMD16(repeating: padded[0]), SIMD16(repeating: padded[1]), SIMD16(repeating: padded[2]),
                       SIMD16(repeating: padded[3]), SIMD16(repeating: padded[4]))
    }

    /// The index of the first byte at or after `start` that is in the set, or `bytes.count`.
    /// Every message a report writes is scanned, and few hold a member.
    @inline(__always)
    func firstMember(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress, !isEmpty else { return bytes.count }
        var index = start
        if bytes.count - index >= 16 {
            let raw = UnsafeRawPointer(base)
            while bytes.count - index >= 16 {
                if holdsMember(raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)) { break }
                index += 16
            }
            // The last bytes, fewer than sixteen, are tested in the sixteen that end the run:
            // those before them were tested already.
            if bytes.count - index < 16,
               !holdsMember(raw.loadUnaligned(fromByteOffset: bytes.count - 16, as: SIMD16<UInt8>.self)) {
                return bytes.count
            }
        }
        while index < bytes.count, table[Int(base[index])] == 0 { index += 1 }
        return index
    }

    @inline(__always)
    private func holdsMember(_ vector: SIMD16<UInt8>) -> Bool {
        let found = (vector .< below) .| (vector .== others.0) .| (vector .== others.1) .| (vector .== others.2)
            .| (vector .== others.3) .| (vector .== others.4)
        // Its two halves or-ed, not `any(_:)`, which is not always inlined (then a call that
        // reduces the lanes one by one).
        let halves = unsafeBitCast(found, to: SIMD2<UInt64>.self)
        return halves[0] | halves[1] != 0
    }
}

/// Byte strings kept end to end in one array and written by their index: writing one retains
/// nothing, where taking an element of an array of arrays retains it (a report writes about ten
/// for each of tens of thousands of findings).
public struct ByteParts: Sendable {
    private let bytes: [UInt8]
    /// Where each part starts, and where the last ends.
    private let bounds: [Int]

    public init() {
        bytes = []
        bounds = [0]
    }

    public init(_ parts: some Sequence<some Collection<UInt8>>) {
        var bytes: [UInt8] = []
        var bounds = [0]
        for part in parts {
            bytes += part
            bounds.append(bytes.count)
        }
        self.bytes = bytes
        self.bounds = bounds
    }

    /// The parts of a layout: bytes a writer laid out once, with a ``hole(_:)`` where each
    /// value goes, for reports that write thousands of elements of one shape.
    init(layout: UnsafeBufferPointer<UInt8>) {
        self.init(layout.split(separator: Self.holeMarker, omittingEmptySubsequences: false))
    }

    /// Where a layout's value goes: a NUL, which no report holds unescaped (JSON and XML
    /// escape every control character).
    public static func hole(_ output: inout ByteOutput) {
        output.append(holeMarker)
    }

    private static let holeMarker: UInt8 = 0

    @inline(__always)
    func withPart<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let (start, end) = (bounds[index], bounds[index + 1])
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }
}

/// Writes a layout's parts in turn, for a writer that fills its holes between them and whose
/// layout has holes that some elements skip (it picks the layout for each).
struct LayoutCursor {
    private let parts: ByteParts
    private var next = 0

    init(_ parts: ByteParts) {
        self.parts = parts
    }

    /// The part up to the next hole (or the layout's end).
    @inline(__always)
    mutating func writeNext(to output: inout ByteOutput) {
        output.append(parts, next)
        next += 1
    }
}

/// `PREFIXhh` for every byte value below 0x80 (`\u00XX`, `\xNN`): escapes of one width, made
/// once (the tables are static constants) and only read after, so shared freely between threads.
public struct HexEscapes: @unchecked Sendable {
    private let table: UnsafeMutablePointer<UInt8>
    private let width: Int

    public init(prefix: String) {
        width = prefix.utf8.count + 2
        table = .allocate(capacity: 128 * width)
        for byte in 0..<128 {
            let escape = Array(prefix.utf8) + [ByteOutput.hexDigit(byte >> 4), ByteOutput.hexDigit(byte & 0xF)]
            (table + byte * width).initialize(from: escape, count: width)
        }
    }

    public subscript(byte: UInt8) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: table + Int(byte & 0x7F) * width, count: width)
    }
}
