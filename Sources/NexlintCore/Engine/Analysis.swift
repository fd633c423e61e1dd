/// Runs the enabled rules over one work item, then over the sync targets, applying
/// suppressions to each file once all of its findings are known.
struct Analysis: Sendable {
    /// The rules one configuration runs, each with the severity it reports with, looked up
    /// once, not per file.
    struct RuleSet: Sendable {
        var rules: [any Rule]
        var identities: [(id: String, severity: Severity)]
        var enabledRules: Set<String>
    }

    /// By configuration index (see ``Governance``).
    var ruleSets: [RuleSet]
    var governance: Governance
    var reported: Set<String>
    var knownRules: Set<String>
    /// Whether a file a server names but that is not loaded is there all the same.
    var isPresent: @Sendable (String) -> Bool

    init(catalogue: [any Rule], governance: Governance, reported: Set<String>,
         isPresent: @escaping @Sendable (String) -> Bool = FileSystem.exists) {
        ruleSets = governance.configurations.indices.map { index in
            let selection = governance.selection(forConfiguration: index)
            let severities = governance.configurations[index].severities
            let rules = catalogue.filter { selection.includes(type(of: $0).description.identifier) }
            let identities = rules.map { rule in
                let description = type(of: rule).description
                return (id: description.identifier, severity: severities[description.identifier] ?? description.severity)
            }
            return RuleSet(rules: rules, identities: identities, enabledRules: Set(identities.map(\.id)))
        }
        self.governance = governance
        self.reported = reported
        self.isPresent = isPresent
        knownRules = Set(catalogue.map { type(of: $0).description.identifier })
    }

    struct ItemResult: Sendable {
        var findings: [Finding] = []
        /// By directory: what sync targets of that directory apply to.
        var scopes: [String: SyncTargetScope] = [:]
    }

    private func ruleSet(forDirectory directory: String) -> RuleSet {
        ruleSets[governance.configurationIndex(forDirectory: directory)]
    }

    private func run(_ ruleSet: RuleSet, _ check: (any Rule, inout FindingSink) -> Void) -> [Finding] {
        var findings: [Finding] = []
        for (rule, identity) in zip(ruleSet.rules, ruleSet.identities) {
            var sink = FindingSink(ruleID: identity.id, severity: identity.severity)
            check(rule, &sink)
            findings += sink.findings
        }
        return findings
    }

    /// One work item (the files of one directory): file rules, its units (with the sync
    /// targets that apply), suppressions.
    func process(_ files: [ConfigFile], syncTargets: [SyncTarget]) -> ItemResult {
        guard let directory = files.first?.directory else { return ItemResult() }
        let rules = ruleSet(forDirectory: directory)
        var findings: [Finding] = []
        var result = ItemResult()
        for file in files {
            findings += run(rules) { $0.check(file: file, into: &$1) }
            if file.isUncheckedUnitFile { result.scopes[file.directory, default: SyncTargetScope()].uncheckedFiles += 1 }
        }
        // A sync-target file named on its own with another extension applies to this item only.
        let ownTargets = SyncTarget.all(in: files)
        let targets = syncTargets + ownTargets
        for unit in DeploymentUnit.group(UnitFile.all(in: files), governance: governance, syncTargets: targets,
                                         isPresent: { path in files.contains { $0.path == path } || isPresent(path) }) {
            findings += run(rules) { $0.check(unit: unit, into: &$1) }
            guard !unit.syncTargets.isEmpty else { continue }
            // Only what the unit's sync targets will ask about is kept: whether their ewsSender is there.
            var scope = result.scopes[unit.directory, default: SyncTargetScope()]
            scope.unitCount += 1
            for channel in unit.channels where channel.isHTTP {
                if let name = channel.name, unit.syncTargets.contains(where: { $0.ewsSender == name }) {
                    scope.httpConnectionNames.insert(name)
                }
            }
            result.scopes[unit.directory] = scope
        }
        if !ownTargets.isEmpty {
            let itemScope = SyncTargetScope.union(result.scopes.values)
            for target in ownTargets {
                findings += run(rules) { $0.check(syncTarget: target, scope: itemScope, into: &$1) }
            }
        }
        result.findings = finalize(findings, suppressingIn: files)
        return result
    }

    /// The run's findings, sorted: the work items', then the sync-target files' (their file
    /// rules, and each target against the units it applies to: its directory's, or every unit
    /// for a target given with `--sync-targets`).
    func combine(_ results: [ItemResult], targetFiles: [ConfigFile], targets: [SyncTarget]) -> [Finding] {
        let scopes = SyncTargetScope.merged(results.map(\.scopes))
        var findings: [Finding] = []
        for file in targetFiles { findings += run(ruleSet(forDirectory: file.directory)) { $0.check(file: file, into: &$1) } }
        var wideScopes: [SyncTarget.Reach: SyncTargetScope] = [:]
        for target in targets {
            let scope: SyncTargetScope
            switch target.reach {
            case .directory(let directory):
                scope = scopes[directory] ?? SyncTargetScope()
            case .configurations(let indexes):
                scope = wideScopes[target.reach] ?? SyncTargetScope.union(scopes.filter {
                    indexes.contains(governance.configurationIndex(forDirectory: $0.key))
                }.values)
                wideScopes[target.reach] = scope
            case .everywhere:
                scope = wideScopes[target.reach] ?? SyncTargetScope.union(scopes.values)
                wideScopes[target.reach] = scope
            }
            findings += run(ruleSet(forDirectory: PathNames.directory(of: target.file))) {
                $0.check(syncTarget: target, scope: scope, into: &$1)
            }
        }
        // One copy of each finding and a sort in place: this runs after the parallel part.
        let targetFindings = finalize(findings, suppressingIn: targetFiles)
        var all: [Finding] = []
        all.reserveCapacity(results.reduce(targetFindings.count) { $0 + $1.findings.count })
        for result in results { all.append(contentsOf: result.findings) }
        all.append(contentsOf: targetFindings)
        all.sort()
        return all
    }

    /// Sorted findings with repeats dropped. Equal findings sort next to each other, among
    /// those with the same sort key (which differ only in what the key leaves out).
    static func withoutRepeats(_ sorted: [Finding]) -> [Finding] {
        var result: [Finding] = []
        result.reserveCapacity(sorted.count)
        var runStart = 0
        for finding in sorted {
            if let last = result.last, last < finding || finding < last { runStart = result.count }
            if !result[runStart...].contains(finding) { result.append(finding) }
        }
        return result
    }

    /// One problem, one finding; only reported files; suppressions of these files applied and
    /// the unused ones reported (NXJ006).
    private func finalize(_ findings: [Finding], suppressingIn files: [ConfigFile]) -> [Finding] {
        // Findings come file by file: whether a file is reported is looked up once per run of them.
        var lastFile: String?
        var lastReported = false
        let unique = Self.withoutRepeats(findings.filter { finding in
            if finding.location.file != lastFile {
                lastFile = finding.location.file
                lastReported = reported.contains(finding.location.file)
            }
            return lastReported
        }.sorted())
        let suppressions = files.filter { reported.contains($0.path) }.flatMap { file in
            (file.document?.comments ?? []).compactMap { Suppression(comment: $0, file: file.path) }
        }
        guard !suppressions.isEmpty else { return unique }
        // Indexed by what they cover (file or element, and rule), and each entry marked used
        // once: the work is linear in findings and comments, however many a file holds.
        struct Target: Hashable {
            var file: String
            /// nil: the whole file.
            var element: SourcePosition?
            var rule: String
        }
        var byTarget: [Target: [Int]] = [:]
        for (index, suppression) in suppressions.enumerated() {
            let element: SourcePosition?
            switch suppression.scope {
            case .file: element = nil
            case .nextElement(let target?): element = target
            case .nextElement(nil), nil: continue
            }
            for rule in Set(suppression.ruleIDs) {
                byTarget[Target(file: suppression.file, element: element, rule: rule), default: []].append(index)
            }
        }
        var used = Array(repeating: Set<String>(), count: suppressions.count)
        var marked = Set<Target>()
        var kept: [Finding] = []
        for finding in unique {
            let targets = [Target(file: finding.location.file, element: nil, rule: finding.ruleID),
                           Target(file: finding.location.file, element: finding.location.position, rule: finding.ruleID)]
                .filter { byTarget[$0] != nil }
            if targets.isEmpty { kept.append(finding) }
            for target in targets where marked.insert(target).inserted {
                for index in byTarget[target]! { used[index].insert(finding.ruleID) }
            }
        }
        // Each file's suppressions are judged by the rules its own configuration runs.
        var configurationOfFile: [String: Int] = [:]
        let byConfiguration = Dictionary(grouping: suppressions.indices) { index in
            let file = suppressions[index].file
            if let known = configurationOfFile[file] { return known }
            let configuration = governance.configurationIndex(forDirectory: PathNames.directory(of: file))
            configurationOfFile[file] = configuration
            return configuration
        }
        var unused: [Finding] = []
        for (configuration, indexes) in byConfiguration.sorted(by: { $0.key < $1.key }) {
            let rules = ruleSets[configuration]
            let outcomes = indexes.map { index in
                SuppressionOutcome(
                    suppression: suppressions[index],
                    unusedRuleIDs: suppressions[index].ruleIDs.filter {
                        knownRules.contains($0) && rules.enabledRules.contains($0) && !used[index].contains($0)
                    },
                    unknownRuleIDs: suppressions[index].ruleIDs.filter { !knownRules.contains($0) })
            }
            unused += run(rules) { $0.check(suppressions: outcomes, into: &$1) }
        }
        // A report of an unused suppression can itself be silenced for a whole file.
        return kept + unused.filter { byTarget[Target(file: $0.location.file, element: nil, rule: $0.ruleID)] == nil }
    }
}
