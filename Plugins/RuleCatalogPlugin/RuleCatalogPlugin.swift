import PackagePlugin

/// Generates `RuleCatalog.all` from the rule files of the target it is applied to, so a new
/// rule joins the catalogue by existing, with no list to edit.
@main
struct RuleCatalogPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let sourceTarget = target as? SourceModuleTarget else { return [] }
        let ruleFiles = sourceTarget.sourceFiles(withSuffix: "swift").map(\.url)
        let output = context.pluginWorkDirectoryURL.appending(path: "RuleCatalog.generated.swift")
        return [
            .buildCommand(
                displayName: "Generating the rule catalogue of \(target.name)",
                executable: try context.tool(named: "RuleCatalogGenerator").url,
                arguments: [output.path] + ruleFiles.map(\.path),
                inputFiles: ruleFiles,
                outputFiles: [output]
            ),
        ]
    }
}
