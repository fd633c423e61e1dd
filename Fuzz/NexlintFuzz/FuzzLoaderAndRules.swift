import NexlintCore
import NexlintRules

/// libFuzzer entry point: the bytes as each kind of file, through the loader and every rule,
/// and the text reporters. Any crash, hang or sanitizer report is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoaderAndRules(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let files = ["fuzz.environment", "fuzz.server", "fuzz.connections", "fuzz.synctargets"].map {
        ConfigLoader.load(path: $0, bytes: bytes)
    }
    let findings = Linter(catalogue: RuleCatalog.all).analyze(files, reportingOn: Set(files.map(\.path)))
    let report = LintReport(findings: findings, files: files.map(\.path))
    _ = TextReporter().render(report)
    _ = JSONReporter().render(report)
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// The executable's entry point (SwiftPM calls it `<target>_main`): libFuzzer's driver, from
/// its no-main runtime, so no second `main` is linked.
@_cdecl("NexlintFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runFuzzerDriver(&count, &arguments, fuzzLoaderAndRules)
}
