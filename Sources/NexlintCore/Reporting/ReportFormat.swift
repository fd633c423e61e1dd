/// The output formats of `nexlint lint`, and the reporter each is written by.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, junit, sarif, github, gitlab

    /// `rules`: the catalogue's descriptions, for formats that document the rules (SARIF);
    /// `colored` and `quiet` shape the text format only.
    public func reporter(rules: [RuleDescription], repository: RepositoryLocation,
                         colored: Bool = false, quiet: Bool = false) -> any Reporter {
        switch self {
        case .text: TextReporter(colored: colored, quiet: quiet)
        case .json: JSONReporter()
        case .junit: JUnitReporter()
        case .sarif: SARIFReporter(rules: rules, repository: repository)
        case .github: GitHubReporter(repository: repository)
        case .gitlab: GitLabReporter(repository: repository)
        }
    }
}
