import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The most attributes one start tag may have. libxml2 (2.9) checks each attribute of a tag
/// against every earlier one for duplicates, so a tag's cost grows with the square of its
/// attribute count: 40,000 attributes on one element take it over ten seconds. NexJ's elements
/// have a few dozen attributes (an environment's root, with its custom properties, rarely a
/// hundred); at this bound the check costs about what parsing the tag's bytes does, so a file
/// of such tags still costs about what a file of channels costs.
package enum AttributeLimit {
    package static let perStartTag = 512

    /// The offset of the first start tag with more attributes than `limit`, found without
    /// libxml2. Malformed markup ends the scan: libxml2 reports it.
    static func firstStartTagExceeding(_ limit: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard hasRunWithoutLessThan(longerThan: minimumTagLength(limit), in: bytes) else { return nil }
        return firstStartTagExceedingByWalk(limit, in: bytes)
    }

    /// The same, by walking every file's markup (the fuzz target checks the shortcut by it).
    /// The walk ends at a NUL, as libxml2's parse does.
    package static func firstStartTagExceedingByWalk(_ limit: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let end = memchr(base, 0, bytes.count).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? bytes.count
        var scanner = MarkupScanner(base: base, count: end)
        while let tagStart = scanner.nextMarkup() {
            guard let attributes = scanner.skipMarkup(startingAt: tagStart) else { return nil }
            if attributes > limit { return tagStart }
        }
        return nil
    }

    /// Each attribute takes at least five bytes (a space, a name, `=` and two quotes), and a tag
    /// holds no `<`, not even in its values.
    package static func minimumTagLength(_ attributes: Int) -> Int { 5 * attributes }

    /// Whether some `length + 1` bytes in a row hold no `<`: only then can a start tag be past
    /// the bound, so only then is the markup walked. Each window's last `<` is found from its
    /// end, so dense markup is crossed a window at a time.
    package static func hasRunWithoutLessThan(longerThan length: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var start = 0
        while bytes.count - start > length {
            let last = nexlint_last_index_of(base + start, length + 1, UInt8(ascii: "<"))
            if last < 0 { return true }
            start += last + 1
        }
        return false
    }
}

/// Walks markup the way an XML parser delimits it (comments, CDATA, processing instructions,
/// declarations, quoted values), only far enough to count a start tag's attributes.
private struct MarkupScanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    private var offset = 0

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    /// The offset of the next `<`.
    mutating func nextMarkup() -> Int? {
        guard offset < count, let found = memchr(base + offset, Int32(UInt8(ascii: "<")), count - offset) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// Moves past the markup at `start`; for a start tag, the number of its attributes (every
    /// `=` outside a quoted value), otherwise 0. Nil when the markup does not end.
    mutating func skipMarkup(startingAt start: Int) -> Int? {
        if has("<!--", at: start) { return skip(past: "-->", from: start + 4) }
        if has("<![CDATA[", at: start) { return skip(past: "]]>", from: start + 9) }
        if has("<?", at: start) { return skip(past: "?>", from: start + 2) }
        if has("<!", at: start) { return skipTag(from: start + 2, isDeclaration: true) }
        return skipTag(from: start + 1)
    }

    /// A start or end tag (`isDeclaration` false: `=` outside quoted values counts, a `<`
    /// means it never ended), or a `<!DOCTYPE …>` with its internal subset (brackets nest,
    /// comments and quoted literals may hold any of the delimiters).
    private mutating func skipTag(from start: Int, isDeclaration: Bool = false) -> Int? {
        var attributes = 0
        var depth = 0
        var position = start
        while position < count {
            switch base[position] {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard let close = find(base[position], from: position + 1) else { return nil }
                position = close
            case UInt8(ascii: "=") where !isDeclaration:
                attributes += 1
            case UInt8(ascii: "<") where !isDeclaration:
                return nil
            case UInt8(ascii: "<") where has("<!--", at: position):
                guard skip(past: "-->", from: position + 4) != nil else { return nil }
                position = offset - 1
            case UInt8(ascii: "[") where isDeclaration:
                depth += 1
            case UInt8(ascii: "]") where isDeclaration:
                depth -= 1
            case UInt8(ascii: ">") where depth <= 0:
                offset = position + 1
                return attributes
            default:
                break
            }
            position += 1
        }
        return nil
    }

    private mutating func skip(past terminator: StaticString, from start: Int) -> Int? {
        var position = start
        let first = terminator.utf8Start.pointee
        while let candidate = find(first, from: position) {
            if has(terminator, at: candidate) {
                offset = candidate + terminator.utf8CodeUnitCount
                return 0
            }
            position = candidate + 1
        }
        return nil
    }

    private func find(_ byte: UInt8, from start: Int) -> Int? {
        guard start < count, let found = memchr(base + start, Int32(byte), count - start) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    private func has(_ text: StaticString, at start: Int) -> Bool {
        let length = text.utf8CodeUnitCount
        return start + length <= count && memcmp(base + start, text.utf8Start, length) == 0
    }
}
