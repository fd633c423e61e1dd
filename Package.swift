// swift-tools-version:6.0
import PackageDescription

// Release builds optimise across our modules (the model, engine and rules call each other's
// small functions in every check): about 1% fewer instructions on a finding-heavy run (README,
// "Performance"). argument-parser is left as it is.
let acrossModules: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "nexlint",
    products: [
        .executable(name: "nexlint", targets: ["nexlint"]),
        .library(name: "NexlintCore", targets: ["NexlintCore"]),
        .library(name: "NexlintRules", targets: ["NexlintRules"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // libxml2 stays behind this system library and the one module that wraps it.
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "NexlintXML", dependencies: ["CLibXML2"], swiftSettings: acrossModules),
        // System calls Swift's Glibc module leaves out (extended attributes, for keeping a
        // rewritten file's ACLs and attributes).
        .systemLibrary(name: "CSystem", path: "Sources/CSystem"),
        .target(name: "NexlintCore", dependencies: ["NexlintXML", "CSystem"], swiftSettings: acrossModules),
        // libyaml (the C library inside PyYAML and Yams) reads .nexlint.yml, reached like libxml2.
        .systemLibrary(
            name: "CYAML",
            path: "Sources/CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // Project files: .nexlint.yml and baselines.
        .target(name: "NexlintConfig", dependencies: ["NexlintCore", "CYAML"], swiftSettings: acrossModules),
        // Rules/ holds one file per rule; the plugin generates the catalogue from those files,
        // so adding a rule touches only its own file.
        .executableTarget(name: "RuleCatalogGenerator"),
        .plugin(
            name: "RuleCatalogPlugin",
            capability: .buildTool(),
            dependencies: ["RuleCatalogGenerator"]
        ),
        .target(
            name: "NexlintRules",
            dependencies: ["NexlintCore"],
            path: "Rules",
            swiftSettings: acrossModules,
            plugins: ["RuleCatalogPlugin"]
        ),
        .executableTarget(
            name: "nexlint",
            dependencies: [
                "NexlintCore",
                "NexlintConfig",
                "NexlintRules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: acrossModules,
            // The Swift runtime linked in: no dynamic loading and relocation of the runtime
            // libraries at every start (half of a pre-commit run's time), and direct calls into
            // it (reference counting is most of the time after libxml2's parse).
            // argument-parser's FoundationEssentials needs the libraries it uses named: they are
            // listed only when every module is compiled for static linking. Linux only: Apple
            // platforms have no static Swift runtime.
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-lFoundationEssentials", "-l_FoundationCollections",
                                           "-l_FoundationCShims", "-lswiftSynchronization"],
                                          .when(platforms: [.linux], configuration: .release)),
                             // mimalloc in place of glibc's malloc for the whole process (named
                             // before the C library, its functions are the ones every library
                             // binds to), as ruff does: about 6% fewer instructions and 10% less
                             // time on a finding-heavy run (README, "Performance").
                             .linkedLibrary("mimalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "NexlintTests",
            dependencies: [
                "CLibXML2", "NexlintXML", "NexlintCore", "NexlintConfig", "NexlintRules", "nexlint",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"]
        ),
    ]
)

// The libFuzzer targets (one binary, NEXLINT_FUZZ_TARGET picks the target) exist only for fuzzing builds (Fuzz/run sets NEXLINT_FUZZ to the
// path of libFuzzer's no-main runtime, which is linked into this target alone).
if Context.environment["NEXLINT_FUZZ"] != nil {
    package.products.append(.executable(name: "nexlint-fuzz", targets: ["NexlintFuzz"]))
    package.targets.append(.executableTarget(
        name: "NexlintFuzz",
        dependencies: ["NexlintXML", "NexlintCore", "NexlintConfig", "NexlintRules"],
        path: "Fuzz/NexlintFuzz",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])],
        linkerSettings: [.unsafeFlags(["-sanitize=address", "-Xlinker", Context.environment["NEXLINT_FUZZ"]!, "-lstdc++"])]))
}
