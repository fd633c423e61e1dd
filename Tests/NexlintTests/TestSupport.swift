import NexlintCore
import NexlintRules
import NexlintXML

/// Lints files held in memory, all reported on, through the same engine the CLI uses.
func lint(_ files: [ExampleFile], definitions: [String: String] = [:], globalSyncTargets: Set<String> = [],
          selection: RuleSelection = RuleSelection(),
          options: ParseOptions = catalogueOptions) -> [Finding] {
    let loaded = files.map { NexJFileLoader.load(path: $0.name, bytes: Array($0.contents.utf8), options: options) }
    let governance = Governance(commandLineDefinitions: definitions, commandLineSelection: selection,
                                globalSyncTargets: Dictionary(uniqueKeysWithValues: globalSyncTargets.map { ($0, .everywhere) }))
    return Linter(catalogue: RuleCatalog.all).analyze(loaded, reportingOn: Set(files.map(\.name)), governance: governance)
}

func lint(environment: String, definitions: [String: String] = [:], selecting select: [String]? = nil) -> [Finding] {
    lint([ExampleFile("test.environment", environment)], definitions: definitions, selection: RuleSelection(select: select))
}

/// What a test about a file-level outcome selects: that rule, and every Exchange Online rule
/// (none of which may fire). Named by prefix, so a rule added to the catalogue (a copy of
/// one of these under a new ID included) changes nothing here.
func fileOutcome(_ id: String) -> [String] { [id, "EXO"] }

func rules(_ findings: [Finding]) -> [String] {
    findings.map(\.ruleID)
}

/// A well-formed OAuth Exchange Online channel; `replacing` swaps attribute text in it.
func oauthEnvironment(root: String = #"exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token""#,
                      channel: String = oauthChannelAttributes) -> String {
    """
    <Environment type="Generic" \(root)>
      <ChannelConnections>
        <HTTPConnection \(channel)/>
      </ChannelConnections>
    </Environment>
    """
}

let oauthChannelAttributes = #"channel="EWS" url="https://outlook.office365.com/EWS/Exchange.asmx" secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO" user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc@contoso.com" password="master:AAEC""#

func oauthChannel(replacing old: String, with new: String) -> String {
    precondition(oauthChannelAttributes.contains(old))
    return oauthChannelAttributes.replacingOccurrences(of: old, with: new)
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    /// The character at a 1-based line and column (columns count Unicode scalars).
    func character(at position: SourcePosition) -> Character? {
        let lines = split(separator: "\n", omittingEmptySubsequences: false)
        guard position.line >= 1, position.line <= lines.count else { return nil }
        let scalars = Array(lines[position.line - 1].unicodeScalars)
        guard position.column >= 1, position.column <= scalars.count else { return nil }
        return Character(scalars[position.column - 1])
    }
}

/// What the command line parses with: what the model and the catalogue's rules read.
let catalogueOptions = Linter(catalogue: RuleCatalog.all).parseOptions
