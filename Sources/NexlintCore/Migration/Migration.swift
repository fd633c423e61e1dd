/// What `nexlint migrate` is asked for.
public struct MigrationRequest: Sendable {
    public var tenantID: String
    public var applicationID: String
    public var clientSecret: String
    /// Channel names to migrate; empty means every Exchange Online channel on Basic authentication.
    public var channels: [String]
    /// The token authority to use; nil means the one of each channel's cloud.
    public var authority: String?

    public init(tenantID: String, applicationID: String, clientSecret: String, channels: [String] = [], authority: String? = nil) {
        self.tenantID = tenantID
        self.applicationID = applicationID
        self.clientSecret = clientSecret
        self.channels = channels
        self.authority = authority
    }
}

/// What migration did, or would do, to each selected channel and file.
public struct MigrationPlan: Sendable {
    public enum ChannelResult: Sendable, Equatable {
        case migrated
        /// Already on OAuth, in a unit whose root lacked `exo.tokenURL`: the root gains it.
        case completed
        case alreadyMigrated
        case skipped(String)
        /// Planned, but its file (or its unit's root) was not written.
        case notWritten(String)
    }

    public struct ChannelOutcome: Sendable {
        public var file: String
        public var channel: String
        public var line: Int
        public var result: ChannelResult
        /// The files that must be written for the outcome to hold: the unit's root receiving
        /// `exo.tokenURL`, then the channel's own file.
        var requires: [String] = []
    }

    /// Whether a file that the plan changes was written, and why not.
    public enum FileResult: Sendable, Equatable {
        case written
        case notWritten(String)
    }

    public var outcomes: [ChannelOutcome]
    /// The files each unit changes, checked by re-parsing and re-linting, the root that
    /// receives `exo.tokenURL` first: a unit is written as a whole, root first, or not at all.
    public var transactions: [[Rewrite]]
    /// Things a reviewer should know that are not a channel's outcome.
    public var notes: [String]
    /// Filled in as transactions are committed.
    public private(set) var fileResults: [String: FileResult] = [:]

    public var rewrites: [Rewrite] { transactions.flatMap { $0 } }

    public var skippedCount: Int {
        outcomes.filter { if case .skipped = $0.result { return true } else { return false } }.count
    }

    /// A file the plan changes was not written (a channel is only ever `notWritten` through one).
    public var hasUnwrittenFiles: Bool {
        fileResults.values.contains { $0 != .written }
    }

    init(outcomes: [ChannelOutcome], transactions: [[Rewrite]], notes: [String]) {
        self.outcomes = outcomes
        self.transactions = transactions
        self.notes = notes
    }

    /// Writes one unit's files through `writer`, root first; when a file is not written, the
    /// files after it are not either, and the channels in them are reported not written.
    public mutating func commit(_ index: Int, with writer: FileWriter, backup: Bool) {
        var failure: String?
        for rewrite in transactions[index] {
            if let failure {
                fileResults[rewrite.path] = .notWritten(failure)
                continue
            }
            switch rewrite.commit(with: writer, backup: backup) {
            case .success:
                fileResults[rewrite.path] = .written
            case .failure(let problem):
                fileResults[rewrite.path] = .notWritten(problem.reason)
                failure = "\(rewrite.path) of its unit was not written"
            }
        }
        settleOutcomes()
    }

    /// Marks the transactions from `index` on as not written, for the reason given.
    public mutating func abandon(from index: Int, reason: String) {
        for rewrite in transactions[index...].joined() where fileResults[rewrite.path] == nil {
            fileResults[rewrite.path] = .notWritten(reason)
        }
        settleOutcomes()
    }

    /// A channel counts as migrated (or its unit completed) only once its file and its unit's
    /// root are written.
    private mutating func settleOutcomes() {
        for index in outcomes.indices where outcomes[index].result == .migrated || outcomes[index].result == .completed {
            for file in outcomes[index].requires {
                guard case .notWritten(let why)? = fileResults[file] else { continue }
                outcomes[index].result = .notWritten(file == outcomes[index].file ? why : "\(file): \(why)")
                break
            }
        }
    }
}

public enum MigrationError: Error, Sendable, Equatable {
    case unknownChannels([String])
}

/// Plans the move of Basic-auth Exchange Online channels to OAuth (spec §6) as byte edits.
public struct Migration: Sendable {
    public var linter: Linter
    public var request: MigrationRequest

    public init(linter: Linter, request: MigrationRequest) {
        self.linter = linter
        self.request = request
    }

    /// The rules a migrated channel's unit must pass afterwards (EXO008 remains by nature:
    /// `text:`); EXO004 is checked on the unit's root.
    public static let verifiedRules: Set<String> = ["EXO001", "EXO002", "EXO003", "EXO004", "EXO005", "EXO006", "EXO007", "EXO009"]

    public func plan(_ workspace: Workspace) throws(MigrationError) -> MigrationPlan {
        let units = workspace.units
        var candidates: [Candidate] = []
        var indexByKey: [String: Int] = [:]
        for (unitIndex, unit) in units.enumerated() {
            for channel in unit.channels where channel.isExchangeOnline && workspace.reported.contains(channel.file) {
                let key = "\(channel.file)\u{0}\(channel.element.startTagBytes.lowerBound)"
                if let known = indexByKey[key] {
                    candidates[known].units.append(unitIndex)
                    continue
                }
                let selected = request.channels.isEmpty ? channel.isActiveExchangeOnline : request.channels.contains(channel.name ?? "")
                guard selected else { continue }
                indexByKey[key] = candidates.count
                candidates.append(Candidate(channel: channel, units: [unitIndex]))
            }
        }
        let unknown = request.channels.filter { name in !candidates.contains { $0.channel.name == name } }
        if !unknown.isEmpty { throw MigrationError.unknownChannels(unknown) }

        for index in candidates.indices {
            let decided = decide(candidates[index].channel, in: workspace)
            candidates[index].result = decideForUnits(candidates[index], decided: decided, units: units, workspace: workspace)
        }
        // Channels not named and not on Basic matter only when their unit lacks its token URL.
        candidates.removeAll { request.channels.isEmpty && !$0.channel.usesBasicAuthentication && $0.result != .completed }
        // Channels of a file that cannot be read are unknown: the file is reported instead.
        let unreadable = workspace.files.filter { workspace.reported.contains($0.path) }.compactMap { file -> MigrationPlan.ChannelOutcome? in
            switch file.content {
            case .malformed(let error):
                return MigrationPlan.ChannelOutcome(file: file.path, channel: "-", line: error.position.line,
                                                    result: .skipped("the file is not well-formed XML (NXJ001); its channels are unknown"))
            case .encrypted:
                return MigrationPlan.ChannelOutcome(file: file.path, channel: "-", line: 1, result: .skipped("the file is encrypted (NXJ002)"))
            case .declaresEntities(let doctype):
                return MigrationPlan.ChannelOutcome(file: file.path, channel: "-", line: doctype.line,
                                                    result: .skipped("the file declares entities (NXJ008); its channels are unknown"))
            case .document, .wrongRoot, .unrelated:
                return nil
            }
        }
        // Re-lint what the edits produce; channels still failing are set aside and the rest
        // planned again, so one bad channel does not block its neighbours. Each round sets at
        // least one aside, so this ends.
        while true {
            let (transactions, notes) = makeTransactions(candidates, units: units, workspace: workspace)
            let failing = verify(transactions.flatMap { $0 }, candidates: candidates, units: units, workspace: workspace)
            if failing.isEmpty {
                let written = Set(transactions.joined().map(\.path))
                let outcomes = candidates.map { candidate in
                    var outcome = candidate.outcome
                    let roots = candidate.units.map { units[$0].primary.path }
                    let own = candidate.result == .migrated ? [candidate.channel.file] : []
                    outcome.requires = (roots + own).filter(written.contains)
                    return outcome
                }
                return MigrationPlan(outcomes: unreadable + outcomes, transactions: transactions, notes: notes)
            }
            for (index, rules) in failing {
                candidates[index].result = .skipped("after migration its unit would still fail \(rules.sorted().joined(separator: ", "))")
            }
        }
    }

    private struct Candidate {
        var channel: Channel
        /// Indexes of the units the channel belongs to.
        var units: [Int]
        var result: MigrationPlan.ChannelResult = .skipped("not planned")

        var changesRoot: Bool { result == .migrated || result == .completed }

        var outcome: MigrationPlan.ChannelOutcome {
            MigrationPlan.ChannelOutcome(file: channel.file, channel: channel.name ?? "?", line: channel.element.position.line, result: result)
        }
    }

    /// What the channel's units allow: one token URL must serve the unit, so it must be right
    /// already or be addable, and every channel it serves must be in the cloud it names.
    private func decideForUnits(_ candidate: Candidate, decided: MigrationPlan.ChannelResult, units: [DeploymentUnit],
                                workspace: Workspace) -> MigrationPlan.ChannelResult {
        guard decided == .migrated || decided == .alreadyMigrated, let cloud = candidate.channel.cloud else { return decided }
        if let authority = request.authority, let asked = ExchangeOnline.cloud(ofAuthority: authority), asked != cloud {
            return .skipped("--authority \(authority) is for the \(asked.rawValue) cloud, its url for the \(cloud.rawValue) cloud")
        }
        var needsTokenURL = false
        for unit in candidate.units.map({ units[$0] }) {
            let clouds = Set(unit.activeExchangeOnlineChannels.compactMap(\.cloud))
            if clouds.count > 1 {
                return .skipped("its unit mixes clouds (\(clouds.map(\.rawValue).sorted().joined(separator: ", "))), which one exo.tokenURL cannot serve")
            }
            switch unit.tokenURL {
            case .failure?:
                return .skipped("its unit's exo.tokenURL is itself wrong (EXO004); fix it first")
            case .success(let tokenURL)? where tokenURL.cloud != cloud:
                return .skipped("its unit's exo.tokenURL is for the \(tokenURL.cloud.rawValue) cloud, its url for the \(cloud.rawValue) cloud")
            case .success?:
                continue
            case nil:
                needsTokenURL = true
                let root = unit.primary
                if workspace.file(root.path)?.source == nil || root.document.transcodedFrom != nil {
                    return .skipped("exo.tokenURL cannot be added to its unit's root \(root.path): the file is not UTF-8")
                }
            }
        }
        if decided == .alreadyMigrated { return needsTokenURL ? .completed : .alreadyMigrated }
        return .migrated
    }

    /// Migrate, or why not.
    private func decide(_ channel: Channel, in workspace: Workspace) -> MigrationPlan.ChannelResult {
        if let why = workspace.file(channel.file)?.document?.whyNeverRewritten { return .skipped(why) }
        if workspace.file(channel.file)?.source == nil { return .skipped("the file was not read as it is stored; it is never rewritten") }
        if case .custom = channel.authentication, case .value(ExchangeOnline.authComponent) = channel["authComponent"],
           case .success? = channel.serviceAccount {
            return .alreadyMigrated
        }
        for attribute in ["authentication", "authComponent", "secure", "url", "user", "password"] {
            if let raw = channel.element[attribute], !PropertyReference.all(in: raw).isEmpty {
                return .skipped("`\(attribute)` comes from a property; migrate it by hand")
            }
        }
        guard let user = channel.element["user"] else { return .skipped("it has no user") }
        guard MailboxAddress.isWellFormed(user) else { return .skipped("user `\(user)` is not a mailbox address") }
        guard let password = channel.element["password"] else { return .skipped("it has no password") }
        switch PasswordValue(password) {
        case .encrypted:
            return .skipped("its password is master:-encrypted and cannot be reshaped here; decrypt it or migrate by hand")
        case .reversible(let scheme, nil):
            return .skipped("its password is not valid \(scheme.rawValue)")
        case .reversible:
            break
        }
        guard channel.element["url"] != nil else { return .skipped("it has no url") }
        // No property references past this point: the channel's parsed url is the attribute's.
        guard let address = channel.url, channel.cloud != nil else {
            return .skipped("its url is not on an Exchange Online host")
        }
        guard address.userInfo == nil, address.query == nil, address.fragment == nil, address.port == nil || address.port == "443" else {
            return .skipped("its url has user information, a port, a query or a fragment; correct it by hand")
        }
        return .migrated
    }

    private func newValues(for channel: Channel) -> [AttributeValueChange] {
        let user = channel.element["user"]!
        guard case .reversible(_, let decoded?) = PasswordValue(channel.element["password"]!),
              let address = channel.url else { return [] }
        var values = [
            AttributeValueChange("authentication", "custom"),
            AttributeValueChange("authComponent", ExchangeOnline.authComponent),
            AttributeValueChange("secure", "true"),
        ]
        if !address.isHTTPS || !ExchangeOnline.hasEWSPath(address) {
            values.append(AttributeValueChange("url", ExchangeOnline.ewsEndpoint(of: address)))
        }
        values.append(AttributeValueChange("user", "\(request.applicationID):\(user)"))
        values.append(AttributeValueChange("password", "text:\(request.clientSecret):\(decoded)"))
        return values
    }

    /// Channel edits, and `exo.tokenURL` on the root of every unit with a migrated channel,
    /// grouped into the units' transactions (files sharing a unit write together, root first).
    private func makeTransactions(_ candidates: [Candidate], units: [DeploymentUnit],
                                  workspace: Workspace) -> ([[Rewrite]], [String]) {
        var changes: [String: [(tag: Range<Int>, element: String, values: [AttributeValueChange])]] = [:]
        var groups = FileGroups()
        for candidate in candidates where candidate.result == .migrated {
            let element = candidate.channel.element
            changes[candidate.channel.file, default: []].append((element.startTagBytes, element.name, newValues(for: candidate.channel)))
        }
        var notes: [String] = []
        var roots = Set<String>()
        var membersByUnit: [Int: [Candidate]] = [:]
        for candidate in candidates where candidate.changesRoot {
            for unit in candidate.units { membersByUnit[unit, default: []].append(candidate) }
        }
        for (unitIndex, unit) in units.enumerated() {
            let members = membersByUnit[unitIndex] ?? []
            guard let first = members.first?.channel else { continue }
            let root = unit.primary
            for member in members where member.result == .migrated { groups.join(root.path, member.channel.file) }
            let authority = request.authority ?? ExchangeOnline.authority(of: first.cloud ?? .global)
            let expected = TokenURL.make(tenant: request.tenantID, authority: authority)
            if case .success? = unit.tokenURL, let existing = unit.properties.value(of: ExchangeOnline.tokenURLProperty)?.text {
                if existing != expected {
                    notes.append("\(root.path): exo.tokenURL is kept as it is (`\(existing)`); --tenant-id gives `\(expected)`")
                }
                continue
            }
            guard roots.insert(root.path).inserted else { continue }
            changes[root.path, default: []].append((root.document.root.startTagBytes, root.document.root.name,
                                                    [AttributeValueChange(ExchangeOnline.tokenURLProperty, expected)]))
        }
        let rewrites = changes.keys.sorted().compactMap { path -> Rewrite? in
            guard let source = workspace.file(path)?.source else { return nil }
            return Rewrite.make(path: path, source: source, changes: changes[path]!)
        }
        let transactions = groups.partition(rewrites, by: \.path).map { group in
            group.filter { roots.contains($0.path) } + group.filter { !roots.contains($0.path) }
        }
        return (transactions, notes)
    }

    /// For each planned candidate that the re-lint of its units still faults, the rules it
    /// fails: its own findings, and EXO004 on its units' roots.
    private func verify(_ rewrites: [Rewrite], candidates: [Candidate], units: [DeploymentUnit],
                        workspace: Workspace) -> [Int: Set<String>] {
        let (after, findings) = linter.relint(workspace, with: rewrites, reportingOnEveryFile: true)
        let verifiedByFile = Dictionary(grouping: findings.filter { Self.verifiedRules.contains($0.ruleID) }, by: \.location.file)
        let changed = Set(rewrites.map(\.path))
        var failing: [Int: Set<String>] = [:]
        for (index, candidate) in candidates.enumerated() where candidate.changesRoot {
            let roots = Set(candidate.units.map { units[$0].primary.path })
            let files = [candidate.channel.file] + roots.sorted()
            let broken = files.contains { changed.contains($0) && after.file($0)?.document == nil }
            let rules = files.flatMap { verifiedByFile[$0] ?? [] }.filter { finding in
                if finding.ruleID == "EXO004" { return roots.contains(finding.location.file) }
                return finding.location.file == candidate.channel.file && finding.channel == candidate.channel.name
            }.map(\.ruleID)
            if broken || !rules.isEmpty { failing[index] = Set(rules + (broken ? ["NXJ001"] : [])) }
        }
        return failing
    }
}

/// Files that must be written together, joined pair by pair (union-find over paths).
private struct FileGroups {
    private var parent: [String: String] = [:]

    private mutating func find(_ path: String) -> String {
        var root = path
        while let next = parent[root], next != root { root = next }
        var current = path
        while let next = parent[current], next != root { parent[current] = root; current = next }
        return root
    }

    mutating func join(_ first: String, _ second: String) {
        let (a, b) = (find(first), find(second))
        if a != b { parent[max(a, b)] = min(a, b) }
    }

    /// The items grouped by the group of their path, groups in the order of their first item.
    mutating func partition<Item>(_ items: [Item], by path: (Item) -> String) -> [[Item]] {
        var order: [String] = []
        var grouped: [String: [Item]] = [:]
        for item in items {
            let root = find(path(item))
            if grouped[root] == nil { order.append(root) }
            grouped[root, default: []].append(item)
        }
        return order.map { grouped[$0]! }
    }
}
