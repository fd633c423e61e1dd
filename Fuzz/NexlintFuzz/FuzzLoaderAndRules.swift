import NexlintCore
import NexlintRules

/// The loader target: the bytes as each kind of file, through the loader and every rule, and
/// the text reporters; then as an environment through the write path: the safe fixes and a
/// migration are planned (edited, re-parsed, re-linted) and every rewrite they keep must parse
/// again and render as a masked diff.
func fuzzLoaderAndRules(_ bytes: [UInt8]) {
    let files = ["fuzz.environment", "fuzz.server", "fuzz.connections", "fuzz.synctargets", "fuzz.config"].map {
        NexJFileLoader.load(path: $0, bytes: bytes, options: fuzzLinter.parseOptions)
    }
    let findings = fuzzLinter.analyze(files, reportingOn: Set(files.map(\.path)))
    let report = LintReport(findings: findings, files: files.map(\.path))
    _ = TextReporter().render(report)
    _ = JSONReporter().render(report)
    fuzzWritePath(bytes)
}

private let fuzzLinter = Linter(catalogue: RuleCatalog.all)
private let fuzzRequest = MigrationRequest(tenantID: "6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d",
                                           applicationID: "0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c", clientSecret: "fuzz-secret")

private func fuzzWritePath(_ bytes: [UInt8]) {
    let file = NexJFileLoader.load(path: "fuzz.environment", bytes: bytes, keepingSource: true, options: fuzzLinter.parseOptions)
    let workspace = Workspace(files: [file], reported: [file.path])
    let fixes = fuzzLinter.analyze(workspace).compactMap(\.fix)
    if let source = file.source, !fixes.isEmpty,
       let rewrite = Rewrite.make(path: file.path, source: source, changes: fixes.map { ($0.tagBytes, $0.element, $0.values) }) {
        _ = rewrite.reloaded(with: fuzzLinter.parseOptions)
        _ = MigrationReport.diff(rewrite)
    }
    guard let plan = try? Migration(linter: fuzzLinter, request: fuzzRequest).plan(workspace) else { return }
    for rewrite in plan.rewrites {
        precondition(rewrite.reloaded(with: fuzzLinter.parseOptions).document != nil, "a planned migration does not parse again")
        _ = MigrationReport.diff(rewrite)
    }
}
