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
    public enum Result: Sendable, Equatable {
        case migrated
        case alreadyMigrated
        case skipped(String)
    }

    public struct ChannelOutcome: Sendable {
        public var file: String
        public var channel: String
        public var line: Int
        public var result: Result
    }

    public var outcomes: [ChannelOutcome]
    /// One per file that changes, checked by re-parsing and re-linting.
    public var rewrites: [Rewrite]
    /// Things a reviewer should know that are not a channel's outcome.
    public var notes: [String]

    public var skippedCount: Int {
        outcomes.filter { if case .skipped = $0.result { return true } else { return false } }.count
    }
}

public enum MigrationError: Error, Sendable, Equatable {
    case unknownChannels([String])
}

/// Plans the move of Basic-auth Exchange Online channels to OAuth (spec §6) as byte edits.
public struct Migration: Sendable {
    public var linter: Linter
    public var request: MigrationRequest
    public var definitions: [String: String]

    public init(linter: Linter, request: MigrationRequest, definitions: [String: String] = [:]) {
        self.linter = linter
        self.request = request
        self.definitions = definitions
    }

    /// The rules a migrated channel must pass afterwards (EXO008 remains by nature: `text:`).
    public static let verifiedRules: Set<String> = ["EXO001", "EXO002", "EXO003", "EXO004", "EXO005", "EXO006", "EXO007", "EXO009"]

    public func plan(_ workspace: Workspace) throws(MigrationError) -> MigrationPlan {
        let units = workspace.units(definitions: definitions)
        var candidates: [Candidate] = []
        var seen = Set<String>()
        for unit in units {
            for channel in unit.channels where channel.isExchangeOnline && workspace.reported.contains(channel.file) {
                let key = "\(channel.file)\u{0}\(channel.element.startTagBytes.lowerBound)"
                let selected = request.channels.isEmpty
                    ? channel.isActiveExchangeOnline && channel.usesBasicAuthentication
                    : request.channels.contains(channel.name ?? "")
                if selected, seen.insert(key).inserted { candidates.append(Candidate(channel: channel)) }
            }
        }
        let unknown = request.channels.filter { name in !candidates.contains { $0.channel.name == name } }
        if !unknown.isEmpty { throw MigrationError.unknownChannels(unknown) }

        for index in candidates.indices {
            candidates[index].result = decide(candidates[index].channel, in: workspace)
        }
        // Channels of a file that cannot be read are unknown: the file is reported instead.
        let unreadable = workspace.files.filter { workspace.reported.contains($0.path) }.compactMap { file -> MigrationPlan.ChannelOutcome? in
            switch file.content {
            case .malformed(let error):
                return MigrationPlan.ChannelOutcome(file: file.path, channel: "-", line: error.line,
                                                    result: .skipped("the file is not well-formed XML (NXJ001); its channels are unknown"))
            case .encrypted:
                return MigrationPlan.ChannelOutcome(file: file.path, channel: "-", line: 1, result: .skipped("the file is encrypted (NXJ002)"))
            case .document, .wrongRoot:
                return nil
            }
        }
        // Re-lint what the edits produce; channels still failing are set aside and the rest
        // planned again, so one bad channel does not block its neighbours. Each round sets at
        // least one aside, so this ends.
        while true {
            let (rewrites, notes) = makeRewrites(candidates, units: units, workspace: workspace)
            let failing = verify(rewrites, candidates: candidates, workspace: workspace)
            if failing.isEmpty {
                return MigrationPlan(outcomes: unreadable + candidates.map(\.outcome), rewrites: rewrites, notes: notes)
            }
            for (index, rules) in failing {
                candidates[index].result = .skipped("after migration it would still fail \(rules.sorted().joined(separator: ", "))")
            }
        }
    }

    private struct Candidate {
        var channel: Channel
        var result: MigrationPlan.Result = .skipped("not planned")
        var values: [AttributeValueChange] = []

        var outcome: MigrationPlan.ChannelOutcome {
            MigrationPlan.ChannelOutcome(file: channel.file, channel: channel.name ?? "?", line: channel.element.position.line, result: result)
        }
    }

    /// Migrate, or why not.
    private func decide(_ channel: Channel, in workspace: Workspace) -> MigrationPlan.Result {
        if channel.isInTranscodedFile || workspace.file(channel.file)?.source == nil {
            return .skipped("the file is not UTF-8; it is never rewritten")
        }
        if case .custom = channel.authentication, case .value(ExchangeOnline.authComponent) = channel["authComponent"],
           case .value(let user) = channel["user"], case .success = ServiceAccountUser.parse(user) {
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
        if address.scheme.lowercased() != "https" || address.path.lowercased() != ExchangeOnline.ewsPath.lowercased() {
            values.append(AttributeValueChange("url", address.with(scheme: "https", path: ExchangeOnline.ewsPath)))
        }
        values.append(AttributeValueChange("user", "\(request.applicationID):\(user)"))
        values.append(AttributeValueChange("password", "text:\(request.clientSecret):\(decoded)"))
        return values
    }

    /// Channel edits, and `exo.tokenURL` on the root of every unit with a migrated channel.
    private func makeRewrites(_ candidates: [Candidate], units: [DeploymentUnit],
                              workspace: Workspace) -> ([Rewrite], [String]) {
        var changes: [String: [(tag: Range<Int>, element: String, values: [AttributeValueChange])]] = [:]
        let migrated = candidates.filter { $0.result == .migrated }
        for candidate in migrated {
            let element = candidate.channel.element
            changes[candidate.channel.file, default: []].append((element.startTagBytes, element.name, newValues(for: candidate.channel)))
        }
        var notes: [String] = []
        var rootsDone = Set<String>()
        for unit in units {
            // A migrated channel's file belongs to the unit, so the channel does too.
            guard let first = migrated.first(where: { candidate in unit.files.contains { $0.path == candidate.channel.file } })?.channel else {
                continue
            }
            let root = unit.primary
            let cloud = first.cloud ?? .global
            let authority = request.authority ?? ExchangeOnline.authority(of: cloud)
            let expected = "https://\(authority)/\(request.tenantID)/oauth2/v2.0/token"
            if let existing = unit.properties.value(of: ExchangeOnline.tokenURLProperty)?.text {
                if existing != expected {
                    notes.append("\(root.path): exo.tokenURL is kept as it is (`\(existing)`); --tenant-id gives `\(expected)`")
                }
                continue
            }
            guard rootsDone.insert(root.path).inserted, workspace.file(root.path)?.source != nil,
                  root.document.transcodedFrom == nil else { continue }
            changes[root.path, default: []].append((root.document.root.startTagBytes, root.document.root.name,
                                                    [AttributeValueChange(ExchangeOnline.tokenURLProperty, expected)]))
        }
        let rewrites = changes.keys.sorted().compactMap { path -> Rewrite? in
            guard let source = workspace.file(path)?.source else { return nil }
            return Rewrite.make(path: path, source: source, changes: changes[path]!)
        }
        return (rewrites, notes)
    }

    /// For each migrated candidate that the re-lint still faults, the rules it fails.
    private func verify(_ rewrites: [Rewrite], candidates: [Candidate], workspace: Workspace) -> [Int: Set<String>] {
        let after = workspace.replacing(rewrites.map(\.reloaded))
        let findings = linter.analyze(after.files, reportingOn: after.reported, globalSyncTargets: after.globalSyncTargets,
                                      definitions: definitions)
        var failing: [Int: Set<String>] = [:]
        for (index, candidate) in candidates.enumerated() where candidate.result == .migrated {
            let broken = rewrites.contains { $0.path == candidate.channel.file } && after.file(candidate.channel.file)?.document == nil
            let rules = findings.filter {
                Self.verifiedRules.contains($0.ruleID) && $0.location.file == candidate.channel.file && $0.channel == candidate.channel.name
            }.map(\.ruleID)
            if broken || !rules.isEmpty { failing[index] = Set(rules + (broken ? ["NXJ001"] : [])) }
        }
        return failing
    }
}
