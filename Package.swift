// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "nexlint",
    products: [
        .executable(name: "nexlint", targets: ["nexlint"]),
        .library(name: "NexlintCore", targets: ["NexlintCore"]),
        .library(name: "NexlintRules", targets: ["NexlintRules"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
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
        .target(name: "NexlintXML", dependencies: ["CLibXML2"]),
        .target(name: "NexlintCore", dependencies: ["NexlintXML"]),
        // Project files read with Foundation and Yams (.nexlint.yml, baselines), kept out of the core.
        .target(
            name: "NexlintConfig",
            dependencies: ["NexlintCore", .product(name: "Yams", package: "Yams")]
        ),
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
            plugins: ["RuleCatalogPlugin"]
        ),
        .executableTarget(
            name: "nexlint",
            dependencies: [
                "NexlintCore",
                "NexlintConfig",
                "NexlintRules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
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

// The libFuzzer target exists only for fuzzing builds (Fuzz/run sets NEXLINT_FUZZ to the
// path of libFuzzer's no-main runtime, which is linked into this target alone).
if Context.environment["NEXLINT_FUZZ"] != nil {
    package.products.append(.executable(name: "nexlint-fuzz", targets: ["NexlintFuzz"]))
    package.targets.append(.executableTarget(
        name: "NexlintFuzz",
        dependencies: ["NexlintCore", "NexlintRules"],
        path: "Fuzz/NexlintFuzz",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])],
        linkerSettings: [.unsafeFlags(["-sanitize=address", "-Xlinker", Context.environment["NEXLINT_FUZZ"]!, "-lstdc++"])]))
}
