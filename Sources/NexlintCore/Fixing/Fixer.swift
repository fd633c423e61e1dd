/// `lint --fix`: applies the safe fixes findings carry, file by file, re-linting each result
/// before writing it, and repeats until no fix is left.
public struct FixRun: Sendable {
    /// The findings after the last pass.
    public var report: LintReport
    /// Findings fixed, over all passes.
    public var fixed: Int
    public var fixedFiles: Set<String>
    /// Files whose fixes could not be written or did not check out.
    public var problems: [FileProblem]
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
                    refusals[path] = nil
                case .failure(let problem):
                    refusals[path] = problem
                }
            }
            guard committed > 0 else {
                let problems = refusals.values.sorted { $0.path < $1.path }
                return FixRun(report: LintReport(findings: findings, files: workspace.reported.sorted(), problems: workspace.problems + problems),
                              fixed: fixed, fixedFiles: fixedFiles, problems: problems)
            }
        }
        throw FixesDidNotConverge(passes: Self.maximumFixPasses)
    }

    /// Applies one file's fixes in memory, re-lints the unit with the result, and writes it
    /// only when the fixed findings are gone and the file still parses.
    private func fix(_ path: String, findings: [Finding], in workspace: Workspace,
                     writer: FileWriter) -> Result<Void, FileProblem> {
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
        return rewrite.commit(with: writer, backup: false)
    }
}
