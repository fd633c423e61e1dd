/// What `migrate` prints: a unified diff per file with every password masked, then a table.
public enum MigrationReport {
    public static let mask = "••••"

    public static func diff(_ rewrite: Rewrite) -> String {
        let old = lines(masked(rewrite.original, path: rewrite.path))
        let new = lines(masked(rewrite.updated, path: rewrite.path))
        return UnifiedDiff.render(old, new, oldName: "a/\(rewrite.path)", newName: "b/\(rewrite.path)")
    }

    public static func table(_ plan: MigrationPlan, written: Bool) -> String {
        var rows = [["FILE", "LINE", "CHANNEL", "RESULT", "REASON"]]
        for outcome in plan.outcomes.sorted(by: { ($0.file, $0.line) < ($1.file, $1.line) }) {
            let (result, reason): (String, String) = switch outcome.result {
            case .migrated: (written ? "migrated" : "would migrate", "")
            case .alreadyMigrated: ("unchanged", "already on OAuth")
            case .skipped(let why): ("skipped", why)
            }
            rows.append([outcome.file, String(outcome.line), outcome.channel, result, reason])
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max()! }
        var text = rows.map { row in
            (0..<4).map { row[$0] + String(repeating: " ", count: widths[$0] - row[$0].count + 2) }.joined() + row[4]
        }.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
        if plan.outcomes.isEmpty { text = "No Exchange Online channel on Basic authentication was found.\n" }
        for note in plan.notes { text += "note: \(note)\n" }
        if plan.outcomes.contains(where: { $0.result == .migrated }) {
            text += "note: migrated passwords are `text:` values, the vendor's form, so EXO008 remains; encrypt them with NexJ's master: scheme.\n"
        }
        return text
    }

    /// The bytes with every secret attribute value replaced by its shape: attributes named like
    /// passwords or secrets, values in a password scheme (`text:`, `base64:`, `hex:`,
    /// `master:`), and the properties a password attribute refers to (`password="${p}"`).
    static func masked(_ bytes: [UInt8], path: String) -> [UInt8] {
        guard case .document(let document) = ConfigLoader.load(path: path, bytes: bytes, options: ConfigLoader.parseEverything).content,
              document.transcodedFrom == nil else {
            // Not parseable as configuration: show nothing of it rather than risk a secret.
            return Array("(contents not shown)\n".utf8)
        }
        let elements = document.allElements
        let referenced = Set(elements.flatMap { element in
            element.attributes.filter { isSecret($0.name) }.flatMap { PropertyReference.all(in: $0.value).map(\.name) }
        })
        var edits: [TextEdit] = []
        for element in elements {
            let secrets = element.attributes.filter { isSecret($0.name) || referenced.contains($0.name) || inPasswordScheme($0.value) }
            guard !secrets.isEmpty, let tag = StartTag(in: bytes, at: element.startTagBytes.lowerBound) else { continue }
            for attribute in tag.attributes {
                guard let secret = secrets.first(where: { $0.name == attribute.name }) else { continue }
                edits.append(TextEdit(range: attribute.valueBytes, replacement: StartTag.escaped(shape(of: secret.value), quote: attribute.quote)))
            }
        }
        return (try? TextEdit.apply(edits, to: bytes)) ?? Array("(contents not shown)\n".utf8)
    }

    static func isSecret(_ attributeName: String) -> Bool {
        attributeName.hasSuffixIgnoringCase("password") || attributeName.hasSuffixIgnoringCase("secret")
    }

    private static func inPasswordScheme(_ value: String) -> Bool {
        ["text:", "base64:", "hex:", "master:"].contains { value.hasPrefix($0) }
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

    private static func lines(_ bytes: [UInt8]) -> [String] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var result = Substring(self)
        while result.last == " " { result = result.dropLast() }
        return String(result)
    }
}

/// A line diff in unified format with three lines of context (Myers' algorithm).
enum UnifiedDiff {
    private enum Operation: Equatable {
        case same, removed, added
    }

    static func render(_ old: [String], _ new: [String], oldName: String, newName: String, context: Int = 3) -> String {
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
        let changed = positions.indices.filter { positions[$0].op != .same }
        var hunks: [ClosedRange<Int>] = []
        for index in changed {
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
                case .same: output += " " + old[entry.old] + "\n"
                case .removed: output += "-" + old[entry.old] + "\n"
                case .added: output += "+" + new[entry.new] + "\n"
                }
            }
        }
        return output
    }

    /// The shortest edit script turning `old` into `new`.
    private static func operations(_ old: [String], _ new: [String]) -> [Operation] {
        let n = old.count, m = new.count, maximum = n + m
        guard maximum > 0 else { return [] }
        var frontier = [Int](repeating: 0, count: 2 * maximum + 2)
        var trace: [[Int]] = []
        search: for distance in 0...maximum {
            trace.append(frontier)
            for diagonal in stride(from: -distance, through: distance, by: 2) {
                let k = diagonal + maximum
                var x = (diagonal == -distance || (diagonal != distance && frontier[k - 1] < frontier[k + 1]))
                    ? frontier[k + 1] : frontier[k - 1] + 1
                var y = x - diagonal
                while x < n, y < m, old[x] == new[y] { x += 1; y += 1 }
                frontier[k] = x
                if x >= n, y >= m { break search }
            }
        }
        var script: [Operation] = []
        var x = n, y = m
        for distance in stride(from: trace.count - 1, through: 0, by: -1) {
            let state = trace[distance]
            let diagonal = x - y
            let k = diagonal + maximum
            let previousDiagonal = (diagonal == -distance || (diagonal != distance && state[k - 1] < state[k + 1]))
                ? diagonal + 1 : diagonal - 1
            let previousX = distance == 0 ? 0 : state[previousDiagonal + maximum]
            let previousY = previousX - previousDiagonal
            while x > previousX, y > previousY { script.append(.same); x -= 1; y -= 1 }
            if distance > 0 { script.append(x == previousX ? .added : .removed) }
            x = previousX
            y = previousY
        }
        return script.reversed()
    }
}
