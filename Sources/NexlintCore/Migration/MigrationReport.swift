/// What `migrate` prints: a unified diff per file with every secret masked, then a table (or
/// the same as one JSON document).
public enum MigrationReport {
    public static let mask = "••••"

    /// The diff is computed on the real bytes, so a line whose secret changed shows as changed
    /// even when its masked form looks alike; every line shown is masked afterwards.
    public static func diff(_ rewrite: Rewrite) -> String {
        let old = TextLines(rewrite.original), new = TextLines(rewrite.updated)
        let oldMask = SecretSpans(rewrite.original), newMask = SecretSpans(rewrite.updated)
        let (oldNumbers, newNumbers) = TextLines.numbered(old, new)
        return UnifiedDiff.render(oldNumbers, newNumbers,
                                  oldLine: { oldMask.masked(old.ranges[$0]) }, newLine: { newMask.masked(new.ranges[$0]) },
                                  oldName: "a/\(FileNameBytes.shown(rewrite.path))", newName: "b/\(FileNameBytes.shown(rewrite.path))")
    }

    public static func table(_ plan: MigrationPlan, written: Bool) -> String {
        var rows = [["FILE", "LINE", "CHANNEL", "RESULT", "REASON"]]
        for outcome in plan.outcomes.sorted(by: { ($0.file, $0.line) < ($1.file, $1.line) }) {
            let (result, reason) = describe(outcome.result, written: written)
            rows.append([FileNameBytes.shown(outcome.file), String(outcome.line), outcome.channel, result, reason])
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max()! }
        var text = rows.map { row in
            (0..<4).map { row[$0] + String(repeating: " ", count: widths[$0] - row[$0].count + 2) }.joined() + row[4]
        }.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
        if plan.outcomes.isEmpty { text = "No Exchange Online channel on Basic authentication was found.\n" }
        for (file, result) in plan.fileResults.sorted(by: { $0.key < $1.key }) {
            if case .notWritten(let why) = result { text += "not written: \(FileNameBytes.shown(file)): \(why)\n" }
        }
        for note in plan.notes { text += "note: \(note)\n" }
        if plan.outcomes.contains(where: { $0.result == .migrated }) {
            text += "note: migrated passwords are `text:` values, the vendor's form, so EXO008 remains; encrypt them with NexJ's master: scheme.\n"
        }
        return text
    }

    /// The run as one JSON document: every channel's outcome, every file's fate.
    public static func json(_ plan: MigrationPlan, written: Bool, unreadable: [FileProblem]) -> String {
        let channels = plan.outcomes.sorted(by: { ($0.file, $0.line) < ($1.file, $1.line) }).map { outcome -> JSONValue in
            let (result, reason) = describe(outcome.result, written: written)
            return .object([("file", .string(FileNameBytes.shown(outcome.file))), ("line", .int(outcome.line)), ("channel", .string(outcome.channel)),
                            ("outcome", .string(result)), ("reason", reason.isEmpty ? .null : .string(reason))])
        }
        var files = plan.rewrites.map { rewrite -> (String, JSONValue) in
            let fate: JSONValue = switch plan.fileResults[rewrite.path] {
            case .written?: .object([("file", .string(FileNameBytes.shown(rewrite.path))), ("written", .bool(true)), ("reason", .null)])
            case .notWritten(let why)?: .object([("file", .string(FileNameBytes.shown(rewrite.path))), ("written", .bool(false)), ("reason", .string(why))])
            case nil: .object([("file", .string(FileNameBytes.shown(rewrite.path))), ("written", .bool(false)),
                               ("reason", .string(written ? "not reached" : "dry run"))])
            }
            return (rewrite.path, fate)
        }
        files += unreadable.map { ($0.path, .object([("file", .string(FileNameBytes.shown($0.path))), ("written", .bool(false)), ("reason", .string($0.reason))])) }
        return JSONValue.object([
            ("version", .int(1)),
            ("tool", .object([("name", .string("nexlint")), ("version", .string(Nexlint.version))])),
            ("write", .bool(written)),
            ("channels", .array(channels)),
            ("files", .array(files.sorted { $0.0 < $1.0 }.map(\.1))),
            ("notes", .array(plan.notes.map(JSONValue.string))),
        ]).serialized()
    }

    private static func describe(_ result: MigrationPlan.ChannelResult, written: Bool) -> (String, String) {
        switch result {
        case .migrated: (written ? "migrated" : "would migrate", "")
        case .completed: (written ? "completed" : "would complete", "already on OAuth; exo.tokenURL added to its unit's root")
        case .alreadyMigrated: ("unchanged", "already on OAuth")
        case .skipped(let why): ("skipped", why)
        case .notWritten(let why): ("not written", why)
        }
    }

    /// `text:S:P` → `text:••••:••••`: the scheme and the colon that splits secret and password
    /// stay, so a reviewer sees the reshaping but no content.
    static func shape(of value: String) -> String {
        guard !value.isEmpty else { return value }
        switch PasswordValue(value) {
        case .encrypted: return "master:" + mask
        case .reversible(.none, _): return mask
        case .reversible(let scheme, let decoded):
            let parts = decoded.flatMap(PasswordValue.splitCredentials) != nil ? "\(mask):\(mask)" : mask
            return "\(scheme.rawValue):" + parts
        }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var result = Substring(self)
        while result.last == " " { result = result.dropLast() }
        return String(result)
    }
}

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

/// Where a text holds secrets, found on its bytes so that comments, DTD text and broken markup
/// are covered too: values of attributes named like passwords or secrets (and of the properties
/// they refer to), `text:`/`base64:`/`hex:`/`master:` values anywhere, and entity values.
struct SecretSpans {
    private let bytes: [UInt8]
    private(set) var spans: [Range<Int>] = []

    private static let schemes = ["text:", "base64:", "hex:", "master:"].map { Array($0.utf8) }

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var spans: [Range<Int>] = []
        var referenced = Set<[UInt8]>()
        let assignments = Self.assignments(in: bytes)
        for (name, value) in assignments where Self.isSecret(String(decoding: name, as: UTF8.self)) {
            spans.append(value)
            for reference in PropertyReference.all(in: String(decoding: bytes[value], as: UTF8.self)) {
                referenced.insert(Array(reference.name.utf8))
            }
        }
        if !referenced.isEmpty {
            for (name, value) in assignments where referenced.contains(Array(name)) { spans.append(value) }
        }
        spans += Self.schemeValues(in: bytes) + Self.entityValues(in: bytes)
        // Merged, so each byte is masked once.
        spans.sort { $0.lowerBound < $1.lowerBound }
        for span in spans {
            if let last = self.spans.last, span.lowerBound <= last.upperBound {
                self.spans[self.spans.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
            } else {
                self.spans.append(span)
            }
        }
    }

    /// A line of the text with each secret replaced: by its shape when the whole secret is on
    /// the line, by the mask otherwise.
    func masked(_ line: Range<Int>) -> String {
        var output: [UInt8] = []
        var position = line.lowerBound
        var index = firstSpan(endingAfter: line.lowerBound)
        while index < spans.count, spans[index].lowerBound < line.upperBound {
            let span = spans[index]
            let start = max(span.lowerBound, line.lowerBound)
            output += bytes[position..<start]
            let whole = span.lowerBound >= line.lowerBound && span.upperBound <= line.upperBound
            let replacement = whole ? MigrationReport.shape(of: String(decoding: bytes[span], as: UTF8.self)) : MigrationReport.mask
            output += Array(replacement.utf8)
            position = min(span.upperBound, line.upperBound)
            index += 1
        }
        output += bytes[position..<line.upperBound]
        return String(decoding: output, as: UTF8.self)
    }

    private func firstSpan(endingAfter offset: Int) -> Int {
        var low = 0, high = spans.count
        while low < high {
            let middle = (low + high) / 2
            if spans[middle].upperBound <= offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func isSecret(_ attributeName: String) -> Bool {
        attributeName.hasSuffixIgnoringCase("password") || attributeName.hasSuffixIgnoringCase("secret")
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ":"): true
        default: byte >= 0x80
        }
    }

    /// The value after the quote at `quote`: up to the same quote, or the end of the text.
    private static func quoted(in bytes: [UInt8], at quote: Int) -> Range<Int> {
        let end = bytes[(quote + 1)...].firstIndex(of: bytes[quote]) ?? bytes.count
        return (quote + 1)..<end
    }

    /// Every `name = "value"` (or single-quoted), wherever it stands: its name and value range.
    private static func assignments(in bytes: [UInt8]) -> [(ArraySlice<UInt8>, Range<Int>)] {
        var found: [(ArraySlice<UInt8>, Range<Int>)] = []
        var index = 0
        while let equals = bytes[index...].firstIndex(of: UInt8(ascii: "=")) {
            index = equals + 1
            var nameEnd = equals
            while nameEnd > 0, ASCII.isWhitespace(bytes[nameEnd - 1]) { nameEnd -= 1 }
            var nameStart = nameEnd
            while nameStart > 0, isNameByte(bytes[nameStart - 1]) { nameStart -= 1 }
            var quote = equals + 1
            while quote < bytes.count, ASCII.isWhitespace(bytes[quote]) { quote += 1 }
            guard nameStart < nameEnd, quote < bytes.count, bytes[quote] == UInt8(ascii: "\"") || bytes[quote] == UInt8(ascii: "'") else {
                continue
            }
            let value = quoted(in: bytes, at: quote)
            found.append((bytes[nameStart..<nameEnd], value))
            index = value.upperBound
        }
        return found
    }

    /// Values that start with a password scheme: to the closing quote when one opens them,
    /// else to the next space or markup character.
    private static func schemeValues(in bytes: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "t") || byte == UInt8(ascii: "b") || byte == UInt8(ascii: "h") || byte == UInt8(ascii: "m"),
                  index == 0 || !isNameByte(bytes[index - 1]),
                  schemes.contains(where: { bytes[index...].starts(with: $0) }) else {
                index += 1
                continue
            }
            let end: Int
            if index > 0, bytes[index - 1] == UInt8(ascii: "\"") || bytes[index - 1] == UInt8(ascii: "'") {
                end = quoted(in: bytes, at: index - 1).upperBound
            } else {
                end = bytes[index...].firstIndex { ASCII.isWhitespace($0) || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
                    || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") } ?? bytes.count
            }
            found.append(index..<end)
            index = max(end, index + 1)
        }
        return found
    }

    /// The literal values of `<!ENTITY name "value">` declarations.
    private static func entityValues(in bytes: [UInt8]) -> [Range<Int>] {
        let keyword = Array("<!ENTITY".utf8)
        var found: [Range<Int>] = []
        var index = 0
        while let start = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
            index = start + 1
            guard bytes[start...].starts(with: keyword),
                  let quote = bytes[start...].firstIndex(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: ">") }),
                  bytes[quote] != UInt8(ascii: ">") else { continue }
            let value = quoted(in: bytes, at: quote)
            found.append(value)
            index = value.upperBound
        }
        return found
    }
}

/// A line diff in unified format with three lines of context. Lines are compared as numbers;
/// the edit script comes from Myers' algorithm in its linear-space form (the middle snake,
/// found from both ends, splits the problem), so memory stays linear in the number of lines.
enum UnifiedDiff {
    private enum Operation: Equatable {
        case same, removed, added
    }

    static func render(_ old: [Int], _ new: [Int], oldLine: (Int) -> String, newLine: (Int) -> String,
                       oldName: String, newName: String, context: Int = 3) -> String {
        let script = operations(old, new)
        guard script.contains(where: { $0 != .same }) else { return "" }
        var output = "--- \(oldName)\n+++ \(newName)\n"
        // Walk the script, tracking each side's line number; group changes closer than
        // twice the context into one hunk.
        var positions: [(op: Operation, old: Int, new: Int)] = []
        var oldIndex = 0, newIndex = 0
        for op in script {
            positions.append((op, oldIndex, newIndex))
            switch op {
            case .same: oldIndex += 1; newIndex += 1
            case .removed: oldIndex += 1
            case .added: newIndex += 1
            }
        }
        var hunks: [ClosedRange<Int>] = []
        for index in positions.indices where positions[index].op != .same {
            let range = max(0, index - context)...min(positions.count - 1, index + context)
            if let last = hunks.last, range.lowerBound <= last.upperBound + 1 {
                hunks[hunks.count - 1] = last.lowerBound...range.upperBound
            } else {
                hunks.append(range)
            }
        }
        for hunk in hunks {
            let slice = positions[hunk]
            let oldCount = slice.filter { $0.op != .added }.count
            let newCount = slice.filter { $0.op != .removed }.count
            let oldStart = oldCount == 0 ? slice.first!.old : slice.first!.old + 1
            let newStart = newCount == 0 ? slice.first!.new : slice.first!.new + 1
            output += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
            for entry in slice {
                switch entry.op {
                case .same: output += " " + oldLine(entry.old) + "\n"
                case .removed: output += "-" + oldLine(entry.old) + "\n"
                case .added: output += "+" + newLine(entry.new) + "\n"
                }
            }
        }
        return output
    }

    /// A shortest edit script turning `old` into `new`.
    private static func operations(_ old: [Int], _ new: [Int]) -> [Operation] {
        var removed = [Bool](repeating: false, count: old.count)
        var added = [Bool](repeating: false, count: new.count)
        compare(old, 0..<old.count, new, 0..<new.count, removed: &removed, added: &added)
        var script: [Operation] = []
        script.reserveCapacity(old.count + new.count)
        var x = 0, y = 0
        while x < old.count || y < new.count {
            if x < old.count, removed[x] { script.append(.removed); x += 1 }
            else if y < new.count, added[y] { script.append(.added); y += 1 }
            else { script.append(.same); x += 1; y += 1 }
        }
        return script
    }

    /// Marks the lines of `a[aRange]` to remove and of `b[bRange]` to add.
    private static func compare(_ a: [Int], _ aRange: Range<Int>, _ b: [Int], _ bRange: Range<Int>,
                                removed: inout [Bool], added: inout [Bool]) {
        var (aLow, aHigh, bLow, bHigh) = (aRange.lowerBound, aRange.upperBound, bRange.lowerBound, bRange.upperBound)
        while aLow < aHigh, bLow < bHigh, a[aLow] == b[bLow] { aLow += 1; bLow += 1 }
        while aLow < aHigh, bLow < bHigh, a[aHigh - 1] == b[bHigh - 1] { aHigh -= 1; bHigh -= 1 }
        if aLow == aHigh { for index in bLow..<bHigh { added[index] = true }; return }
        if bLow == bHigh { for index in aLow..<aHigh { removed[index] = true }; return }
        guard let (x, y) = middleSnake(a, aLow..<aHigh, b, bLow..<bHigh) else {
            for index in aLow..<aHigh { removed[index] = true }
            for index in bLow..<bHigh { added[index] = true }
            return
        }
        compare(a, aLow..<x, b, bLow..<y, removed: &removed, added: &added)
        compare(a, x..<aHigh, b, y..<bHigh, removed: &removed, added: &added)
    }

    /// A point on an optimal path through the middle of the edit graph, found by searching
    /// forward from the start and backward from the end until the two meet.
    private static func middleSnake(_ a: [Int], _ aRange: Range<Int>, _ b: [Int], _ bRange: Range<Int>) -> (Int, Int)? {
        let n = aRange.count, m = bRange.count
        let (aLow, bLow) = (aRange.lowerBound, bRange.lowerBound)
        let maxD = (n + m + 1) / 2
        let offset = maxD, width = 2 * maxD + 2
        var forward = [Int](repeating: -1, count: width), backward = [Int](repeating: -1, count: width)
        forward[offset + 1] = 0
        backward[offset + 1] = 0
        let delta = n - m
        let meetsGoingForward = delta % 2 != 0
        var (forwardStart, forwardEnd, backwardStart, backwardEnd) = (0, 0, 0, 0)
        for d in 0..<maxD {
            for k in stride(from: -d + forwardStart, through: d - forwardEnd, by: 2) {
                let slot = offset + k
                var x = (k == -d || (k != d && forward[slot - 1] < forward[slot + 1])) ? forward[slot + 1] : forward[slot - 1] + 1
                var y = x - k
                while x < n, y < m, a[aLow + x] == b[bLow + y] { x += 1; y += 1 }
                forward[slot] = x
                if x > n { forwardEnd += 2 }
                else if y > m { forwardStart += 2 }
                else if meetsGoingForward {
                    let other = offset + delta - k
                    if other >= 0, other < width, backward[other] != -1, x >= n - backward[other] { return (aLow + x, bLow + y) }
                }
            }
            for k in stride(from: -d + backwardStart, through: d - backwardEnd, by: 2) {
                let slot = offset + k
                var x = (k == -d || (k != d && backward[slot - 1] < backward[slot + 1])) ? backward[slot + 1] : backward[slot - 1] + 1
                var y = x - k
                while x < n, y < m, a[aLow + n - x - 1] == b[bLow + m - y - 1] { x += 1; y += 1 }
                backward[slot] = x
                if x > n { backwardEnd += 2 }
                else if y > m { backwardStart += 2 }
                else if !meetsGoingForward {
                    let other = offset + delta - k
                    if other >= 0, other < width, forward[other] != -1 {
                        let forwardX = forward[other]
                        let forwardY = offset + forwardX - other
                        if forwardX >= n - x { return (aLow + forwardX, bLow + forwardY) }
                    }
                }
            }
        }
        return nil
    }
}
