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
