/// A text's lines as byte ranges, without their LF or CRLF.
struct TextLines {
    let bytes: [UInt8]
    let ranges: [Range<Int>]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var ranges: [Range<Int>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            ranges.append(start..<(index > start && bytes[index - 1] == 0x0D ? index - 1 : index))
            start = index + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        self.ranges = ranges
    }

    /// A number per line of both texts, equal for equal lines, so the diff compares integers.
    static func numbered(_ first: TextLines, _ second: TextLines) -> ([Int], [Int]) {
        var numbers: [ArraySlice<UInt8>: Int] = [:]
        func number(_ lines: TextLines) -> [Int] {
            lines.ranges.map { range in
                let line = lines.bytes[range]
                if let known = numbers[line] { return known }
                numbers[line] = numbers.count
                return numbers.count - 1
            }
        }
        return (number(first), number(second))
    }
}
