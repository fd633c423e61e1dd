/// `lint --fix`: applies the safe fixes findings carry, file by file, re-linting each result
/// before writing it, and repeats until no fix is left.
public struct FixRun: Sendable {
    /// The findings after the last pass.
    public var report: LintReport
    /// Findings fixed, over all passes.
    public var fixed: Int
    public var fixedFiles: Set<String>
    /// By file: the rules whose findings were fixed, in order, once each.
    public var fixedRules: [String: [String]] = [:]
    /// Files whose fixes could not be written or did not check out.
    public var problems: [FileProblem]
    /// By file: why findings that are fixable elsewhere were not fixed there (the file is not
    /// stored as UTF-8 text, so it is never rewritten).
    public var unfixable: [String: String] = [:]
}

/// What `lint --diff` shows: the files `--fix` would rewrite, as they would be, none written.
public struct FixPreview: Sendable {
    public var rewrites: [Rewrite]
    public var findings: Int
}

public struct FixesDidNotConverge: Error, Sendable {
    public var passes: Int
}

extension Linter {
    public static let maximumFixPasses = 5

    public func lintFixing(_ options: LintOptions) throws -> FixRun {
        var options = options
        options.keepsSource = true
        let writer = FileWriter()
        var fixed = 0
        var fixedFiles = Set<String>()
        var fixedRules: [String: [String]] = [:]
        // The latest refusal per file: a later pass that fixes the file withdraws it.
        var refusals: [String: FileProblem] = [:]
        for _ in 0..<Self.maximumFixPasses {
            let workspace = try load(options)
            let findings = analyze(workspace)
            let fixable = findings.filter { $0.fix != nil }
            var committed = 0
            for (path, fileFindings) in Dictionary(grouping: fixable, by: \.location.file).sorted(by: { $0.key < $1.key }) {
                switch fix(path, findings: fileFindings, in: workspace, writer: writer) {
                case .success:
                    committed += 1
                    fixed += fileFindings.count
                    fixedFiles.insert(path)
                    for rule in fileFindings.map(\.ruleID) where !(fixedRules[path] ?? []).contains(rule) {
                        fixedRules[path, default: []].append(rule)
                    }
                    refusals[path] = nil
                case .failure(let problem):
                    refusals[path] = problem
                }
            }
            guard committed > 0 else {
                let problems = refusals.values.sorted { $0.path < $1.path }
                return FixRun(report: LintReport(findings: findings, files: workspace.reported.sorted(), problems: workspace.problems + problems),
                              fixed: fixed, fixedFiles: fixedFiles, fixedRules: fixedRules, problems: problems,
                              unfixable: unfixable(findings, in: workspace))
            }
        }
        throw FixesDidNotConverge(passes: Self.maximumFixPasses)
    }

    /// What `--fix` would change, file by file, without writing (one pass: each file's fixes
    /// are checked as `--fix` checks them before writing).
    public func previewFixes(_ options: LintOptions) throws -> FixPreview {
        var options = options
        options.keepsSource = true
        let workspace = try load(options)
        let fixable = analyze(workspace).filter { $0.fix != nil }
        var rewrites: [Rewrite] = []
        var count = 0
        for (path, fileFindings) in Dictionary(grouping: fixable, by: \.location.file).sorted(by: { $0.key < $1.key }) {
            guard case .success(let rewrite) = checkedRewrite(path, findings: fileFindings, in: workspace) else { continue }
            rewrites.append(rewrite)
            count += fileFindings.count
        }
        return FixPreview(rewrites: rewrites, findings: count)
    }

    /// Files whose findings of a fixable rule carry no fix because the file is stored in
    /// another encoding than UTF-8, with that reason.
    private func unfixable(_ findings: [Finding], in workspace: Workspace) -> [String: String] {
        let fixableRules = Set(catalogue.map { type(of: $0).description }.filter { $0.fix == .safe }.map(\.identifier))
        var reasons: [String: String] = [:]
        for finding in findings where finding.fix == nil && fixableRules.contains(finding.ruleID) {
            guard let why = workspace.file(finding.location.file)?.document?.whyNeverRewritten else { continue }
            reasons[finding.location.file] = why
        }
        return reasons
    }

    /// Applies one file's fixes in memory, re-lints the unit with the result, and writes it
    /// only when the fixed findings are gone and the file still parses.
    private func fix(_ path: String, findings: [Finding], in workspace: Workspace,
                     writer: FileWriter) -> Result<Void, FileProblem> {
        checkedRewrite(path, findings: findings, in: workspace).flatMap { $0.commit(with: writer, backup: false) }
    }

    /// One file's fixes applied in memory, if the unit re-linted with the result no longer has
    /// the fixed findings and the file still parses.
    private func checkedRewrite(_ path: String, findings: [Finding], in workspace: Workspace) -> Result<Rewrite, FileProblem> {
        guard let file = workspace.file(path), let source = file.source,
              let rewrite = Rewrite.make(path: path, source: source,
                                         changes: findings.compactMap(\.fix).map { ($0.tagBytes, $0.element, $0.values) }) else {
            return .failure(FileProblem(path: path, reason: "its fixes could not be applied to the file as read"))
        }
        let (fixedWorkspace, after) = relint(workspace, with: [rewrite])
        guard fixedWorkspace.file(path)?.document != nil else {
            return .failure(FileProblem(path: path, reason: "fixing it would break the file; not written"))
        }
        let remaining = findings.filter { fixed in
            after.contains { $0.ruleID == fixed.ruleID && $0.location.file == path && $0.subject == fixed.subject }
        }
        guard remaining.isEmpty else {
            return .failure(FileProblem(path: path, reason: "fixes did not remove \(remaining.map(\.ruleID).joined(separator: ", ")); not written"))
        }
        return .success(rewrite)
    }
}
