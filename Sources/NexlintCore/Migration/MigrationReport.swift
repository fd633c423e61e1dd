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
