extension Linter {
    /// The workspace with each rewritten file parsed again in its place, and the findings on
    /// it: what both `lint --fix` and `migrate` check before they write anything. Findings are
    /// those on the workspace's reported files, or on every file with `reportingOnEveryFile`
    /// (a migration verifies units' roots that were not named).
    public func relint(_ workspace: Workspace, with rewrites: [Rewrite],
                       reportingOnEveryFile: Bool = false) -> (workspace: Workspace, findings: [Finding]) {
        let after = workspace.replacing(rewrites.map { $0.reloaded(with: parseOptions) })
        let reported = reportingOnEveryFile ? Set(after.files.map(\.path)) : after.reported
        return (after, analyze(after.files, reportingOn: reported, governance: after.governance))
    }
}
