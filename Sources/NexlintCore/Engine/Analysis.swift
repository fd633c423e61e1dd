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
        /// Not yet in order (see ``order(_:)``).
        var findings: [Finding] = []
        /// By directory: what sync targets of that directory apply to.
        var scopes: [String: SyncTargetScope] = [:]
    }

    private func ruleSet(forDirectory directory: String) -> RuleSet {
        ruleSets[governance.configurationIndex(forDirectory: directory)]
    }

    /// Runs the rules, appending their findings to `findings` (moved through the sink, not
    /// copied: a file may give tens of thousands).
    private func run(_ ruleSet: RuleSet, into findings: inout [Finding], _ check: (any Rule, inout FindingSink) -> Void) {
        var sink = FindingSink(ruleID: "", severity: .note)
        swap(&sink.findings, &findings)
        for (rule, identity) in zip(ruleSet.rules, ruleSet.identities) {
            sink.retarget(ruleID: identity.id, severity: identity.severity)
            check(rule, &sink)
        }
        swap(&sink.findings, &findings)
    }

    /// One work item (the files of one directory): file rules, its units (with the sync
    /// targets that apply), suppressions.
    func process(_ files: [NexJFile], syncTargets: [SyncTarget]) -> ItemResult {
        guard let directory = files.first?.directory else { return ItemResult() }
        let rules = ruleSet(forDirectory: directory)
        var findings: [Finding] = []
        var result = ItemResult()
        for file in files {
            run(rules, into: &findings) { $0.check(file: file, into: &$1) }
            if file.isUncheckedUnitFile { result.scopes[file.directory, default: SyncTargetScope()].uncheckedFiles += 1 }
        }
        // A sync-target file named on its own with another extension applies to this item only.
        let ownTargets = SyncTarget.all(in: files, governance: governance)
        let targets = syncTargets + ownTargets
        // The closure takes the one property it needs, not `self`: a copy of the analysis
        // retains all it holds, shared by every worker thread (a cache line passed between
        // cores at each count).
        let isPresent = isPresent
        for unit in DeploymentUnit.group(UnitFile.all(in: files), governance: governance, syncTargets: targets,
                                         isPresent: { path in files.contains { $0.path == path } || isPresent(path) }) {
            run(rules, into: &findings) { $0.check(unit: unit, into: &$1) }
            guard !unit.syncTargets.isEmpty else { continue }
            // Only what the unit's sync targets will ask about is kept: whether their ewsSender is there.
            var scope = result.scopes[unit.directory, default: SyncTargetScope()]
            scope.unitCount += 1
            for channel in unit.channels where channel.isHTTP {
                if let name = channel.name, unit.syncTargets.contains(where: { $0.ewsSender == name }) {
                    scope.add(httpConnection: name, isEnabled: channel.isEnabled)
                }
            }
            result.scopes[unit.directory] = scope
        }
        if !ownTargets.isEmpty {
            let itemScope = SyncTargetScope.union(result.scopes.values)
            for target in ownTargets {
                run(rules, into: &findings) { $0.check(syncTarget: target, scope: itemScope, into: &$1) }
            }
        }
        finalize(&findings, suppressingIn: files)
        result.findings = findings
        return result
    }

    /// A sync-target file's findings, sorted: its file rules', and each of its targets checked
    /// against what the units it applies to hold (`scope`).
    func check(syncTargetFile file: NexJFile, targets: [SyncTarget], scope: SyncTargetScope) -> [Finding] {
        let rules = ruleSet(forDirectory: file.directory)
        var findings: [Finding] = []
        run(rules, into: &findings) { $0.check(file: file, into: &$1) }
        for target in targets {
            run(rules, into: &findings) { $0.check(syncTarget: target, scope: scope, into: &$1) }
        }
        finalize(&findings, suppressingIn: [file])
        Self.order(&findings)
        return findings
    }

    /// Sorts one file's findings and drops repeats, on the thread that reports them: sorting
    /// findings the rules made rule by rule cost the checking thread, the critical path of a
    /// `--jobs 1` run, about 500 instructions a finding over legacy files.
    static func order(_ findings: inout [Finding]) {
        // Rules mostly report in document order: one pass tells whether sorting (and looking
        // for repeats, which strictly ordered findings cannot have) is needed at all.
        guard !isStrictlyAscending(findings) else { return }
        findings.withUnsafeMutableBufferPointer { $0.sort(by: inOrder) }
        removeRepeats(&findings)
    }

    /// `lhs < rhs`, compared through guaranteed references (see ``Swift/Array/forEachBorrowed(_:)``):
    /// the findings were made on another thread, and each retain and release of one is an
    /// atomic count on a cache line that thread's core holds.
    @inline(__always)
    private static func inOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
        Unmanaged.passUnretained(lhs)._withUnsafeGuaranteedRef { lhs in
            Unmanaged.passUnretained(rhs)._withUnsafeGuaranteedRef { lhs < $0 }
        }
    }

    /// Whether each finding sorts before the next (so none repeats).
    static func isStrictlyAscending(_ findings: [Finding]) -> Bool {
        findings.withUnsafeBufferPointer { findings in
            findings.indices.dropFirst().allSatisfy { inOrder(findings[$0 - 1], findings[$0]) }
        }
    }

    /// Drops repeats from sorted findings, in place. Equal findings sort next to each other,
    /// among those with the same sort key (which differ only in what the key leaves out).
    static func removeRepeats(_ sorted: inout [Finding]) {
        var kept = 0
        var runStart = 0
        sorted.withUnsafeMutableBufferPointer { sorted in
            for index in sorted.indices {
                if kept == 0 || inOrder(sorted[kept - 1], sorted[index]) {
                    runStart = kept
                } else if sorted[runStart..<kept].contains(where: { Unmanaged.passUnretained($0)._withUnsafeGuaranteedRef { $0 == sorted[index] } }) {
                    continue
                }
                if kept != index { sorted.swapAt(kept, index) }
                kept += 1
            }
        }
        sorted.removeSubrange(kept...)
    }

    /// Only reported files; suppressions of these files applied and the unused ones reported
    /// (NXJ006). Not yet in order, nor rid of repeats (``order(_:)`` does both, file by file):
    /// a finding found twice is suppressed or kept as its twin is.
    private func finalize(_ findings: inout [Finding], suppressingIn files: [NexJFile]) {
        // The set, not `self`, for the function below to take (see ``process(_:syncTargets:)``).
        let reported = reported
        // Findings come file by file: whether a file is reported is looked up once per run of them.
        var lastFile: String?
        var lastReported = false
        func isReported(_ file: String) -> Bool {
            if file != lastFile {
                lastFile = file
                lastReported = reported.contains(file)
            }
            return lastReported
        }
        // Usually all are: checked first by borrowing each finding, as `removeAll` retained
        // and released each finding and its path (four atomic operations a finding).
        var allReported = true
        findings.forEachBorrowed { finding in
            if allReported, !isReported(finding.location.file) { allReported = false }
        }
        if !allReported { findings.removeAll { !isReported($0.location.file) } }
        let suppressions = files.filter { reported.contains($0.path) }.flatMap { file in
            (file.document?.comments ?? []).compactMap { Suppression(comment: $0, file: file.path) }
        }
        guard !suppressions.isEmpty else { return }
        // Indexed by what they cover (file or element, and rule), and each entry marked used
        // once: the work is linear in findings and comments, however many a file holds. Files
        // are numbered, so findings of a file without suppressions are kept without a lookup.
        struct Target: Hashable {
            var file: Int
            /// nil: the whole file.
            var element: SourcePosition?
            var rule: String
        }
        var fileNumbers: [String: Int] = [:]
        var byTarget: [Target: [Int]] = [:]
        for (index, suppression) in suppressions.enumerated() {
            let element: SourcePosition?
            switch suppression.scope {
            case .file: element = nil
            case .nextElement(let target?): element = target
            case .nextElement(nil), nil: continue
            }
            let file = fileNumbers[suppression.file] ?? fileNumbers.count
            fileNumbers[suppression.file] = file
            for rule in Set(suppression.ruleIDs) {
                byTarget[Target(file: file, element: element, rule: rule), default: []].append(index)
            }
        }
        var used = Array(repeating: Set<String>(), count: suppressions.count)
        var marked = Set<Target>()
        var numberedFile: String?
        var numberOfFile: Int?
        func number(of file: String) -> Int? {
            if file != numberedFile {
                numberedFile = file
                numberOfFile = fileNumbers[file]
            }
            return numberOfFile
        }
        findings.removeAll { finding in
            guard let file = number(of: finding.location.file) else { return false }
            var suppressed = false
            for target in [Target(file: file, element: nil, rule: finding.ruleID),
                           Target(file: file, element: finding.location.position, rule: finding.ruleID)] {
                guard let indexes = byTarget[target] else { continue }
                suppressed = true
                if marked.insert(target).inserted {
                    for index in indexes { used[index].insert(finding.ruleID) }
                }
            }
            return suppressed
        }
        // Each file's suppressions are judged by the rules its own configuration runs; a file's
        // suppressions come together, so its configuration is looked up once.
        var outcomesByConfiguration: [Int: [SuppressionOutcome]] = [:]
        var start = 0
        while start < suppressions.count {
            let file = suppressions[start].file
            var end = start + 1
            while end < suppressions.count, suppressions[end].file == file { end += 1 }
            let configuration = governance.configurationIndex(forDirectory: PathNames.directory(of: file))
            let enabledRules = ruleSets[configuration].enabledRules
            // Suppressions name the same few rules again and again: the last ID's standing is
            // kept, as looking it up in the sets hashes it (three look-ups a suppression), where
            // an ID equal to the last is told by comparing two words.
            var last: (id: String, isKnown: Bool, isEnabled: Bool)?
            func standing(_ id: String) -> (isKnown: Bool, isEnabled: Bool) {
                if let last, last.id == id { return (last.isKnown, last.isEnabled) }
                let isKnown = knownRules.contains(id)
                let isEnabled = isKnown && enabledRules.contains(id)
                last = (id, isKnown, isEnabled)
                return (isKnown, isEnabled)
            }
            for index in start..<end {
                let ruleIDs = suppressions[index].ruleIDs
                outcomesByConfiguration[configuration, default: []].append(SuppressionOutcome(
                    suppression: suppressions[index],
                    unusedRuleIDs: ruleIDs.filter { standing($0).isEnabled && (used[index].isEmpty || !used[index].contains($0)) },
                    unknownRuleIDs: ruleIDs.filter { !standing($0).isKnown },
                    knownRules: knownRules))
            }
            start = end
        }
        var unused: [Finding] = []
        for (configuration, outcomes) in outcomesByConfiguration.sorted(by: { $0.key < $1.key }) {
            run(ruleSets[configuration], into: &unused) { $0.check(suppressions: outcomes, into: &$1) }
        }
        // A report of an unused suppression can itself be silenced for a whole file.
        findings += unused.filter { finding in
            number(of: finding.location.file).map { byTarget[Target(file: $0, element: nil, rule: finding.ruleID)] == nil } ?? true
        }
    }
}
