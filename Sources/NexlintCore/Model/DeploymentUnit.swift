import NexlintXML

/// A file of a unit, with its checked document.
public struct UnitFile: Sendable {
    public var path: String
    public var document: ConfigDocument

    public init(path: String, document: ConfigDocument) {
        self.path = path
        self.document = document
    }

    public var directory: String { PathNames.directory(of: path) }

    /// The checked `.environment`, `.server` and `.connections` documents among `files`.
    public static func all(in files: [ConfigFile]) -> [UnitFile] {
        files.compactMap { file in
            file.document.flatMap { $0.kind == .syncTargets ? nil : UnitFile(path: file.path, document: $0) }
        }
    }
}

/// What NexJ loads together for one deployment (spec §1): a `.environment`; a `.server` with
/// one of the `.connections` files it allows; a lone `.connections`; a lone `.server`.
public struct DeploymentUnit: Sendable {
    /// The file holding the unit's root properties first (environment, server, or lone
    /// connections), then the connections file of a pair.
    public var files: [UnitFile]
    public var directory: String
    public var properties: PropertyResolver
    public var channels: [Channel]
    /// The sync targets that apply to this unit.
    public var syncTargets: [SyncTarget]

    public var primary: UnitFile { files[0] }

    /// Enabled Exchange Online channels, in file and document order.
    public let exchangeOnlineChannels: [Channel]
    /// `exo.tokenURL` parsed, when the unit defines it and it resolves.
    public let tokenURL: Result<TokenURL, TokenURL.Problem>?

    /// The unit file whose root element carries the attribute, the primary file first.
    public func rootDefining(_ attribute: String) -> UnitFile? {
        files.first { $0.document.root[attribute] != nil }
    }

    init(files: [UnitFile], directory: String, external: [String: String], syncTargets: [SyncTarget]) {
        self.files = files
        self.directory = directory
        // In a pair the server's root attributes win over the connections file's.
        let properties = PropertyResolver(external: external, roots: files.map(\.document.root))
        self.properties = properties
        self.syncTargets = syncTargets
        let senders = Set(syncTargets.filter(\.isExchangeOnline).compactMap(\.ewsSender))
        channels = files.flatMap { file in
            let source = ChannelSource(file: file.path, properties: properties, isInTranscodedFile: file.document.transcodedFrom != nil)
            return file.document.channelElements.map { Channel(source: source, element: $0, syncSenders: senders) }
        }
        exchangeOnlineChannels = channels.filter(\.isActiveExchangeOnline)
        tokenURL = properties.value(of: ExchangeOnline.tokenURLProperty).map { TokenURL.parse($0.text) }
    }

    /// Groups checked documents into units, directory by directory, in path order.
    public static func group(_ files: [UnitFile], external: [String: String],
                             syncTargets: [SyncTarget]) -> [DeploymentUnit] {
        var units: [DeploymentUnit] = []
        let byDirectory = Dictionary(grouping: files, by: \.directory)
        for directory in byDirectory.keys.sorted() {
            let members = byDirectory[directory]!.sorted { $0.path < $1.path }
            let targets = syncTargets.filter { $0.applies(toDirectory: directory) }
            func unit(_ files: [UnitFile]) -> DeploymentUnit {
                DeploymentUnit(files: files, directory: directory, external: external, syncTargets: targets)
            }
            let connections = members.filter { $0.document.kind == .connections }
            var paired = Set<String>()
            for member in members {
                switch member.document.kind {
                case .environment:
                    units.append(unit([member]))
                case .server:
                    let allowed = member.document.validConnectionNames.map(Set.init)
                    let partners = connections.filter { candidate in
                        allowed?.contains(PathNames.baseName(of: candidate.path)) ?? true
                    }
                    if partners.isEmpty { units.append(unit([member])) }
                    for partner in partners {
                        units.append(unit([member, partner]))
                        paired.insert(partner.path)
                    }
                case .connections, .syncTargets:
                    break
                }
            }
            for lone in connections where !paired.contains(lone.path) {
                units.append(unit([lone]))
            }
        }
        return units
    }
}
