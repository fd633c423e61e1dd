#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's entry point. One binary holds every target; `NEXLINT_FUZZ_TARGET` picks one
/// (Fuzz/run runs each in turn with its own corpus). Any crash, hang, sanitizer report or
/// failed precondition is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    selectedTarget(bytes)
    return 0
}

let fuzzTargets: [String: @Sendable ([UInt8]) -> Void] = [
    "loader": fuzzLoaderAndRules,
    "configuration": fuzzConfiguration,
    "baseline": fuzzBaseline,
    "glob": fuzzGlob,
    "properties": fuzzProperties,
    "rewrite": fuzzRewrite,
    "attributes": fuzzAttributeLimit,
]

private let selectedTarget: @Sendable ([UInt8]) -> Void = {
    let name = getenv("NEXLINT_FUZZ_TARGET").map { String(cString: $0) } ?? "loader"
    guard let target = fuzzTargets[name] else {
        let message = "nexlint-fuzz: unknown target \(name) (\(fuzzTargets.keys.sorted().joined(separator: ", ")))\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
    return target
}()

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
    return runFuzzerDriver(&count, &arguments, fuzzOneInput)
}
