import NexlintXML

/// A file of a unit, with its checked document.
public struct UnitFile: Sendable {
    public var path: String
    public var document: NexJDocument

    public init(path: String, document: NexJDocument) {
        self.path = path
        self.document = document
    }

    public var directory: String { PathNames.directory(of: path) }

    /// The checked `.environment`, `.server` and `.connections` documents among `files`.
    public static func all(in files: [NexJFile]) -> [UnitFile] {
        files.compactMap { file in
            file.document.flatMap { $0.kind == .syncTargets ? nil : UnitFile(path: file.path, document: $0) }
        }
    }
}

/// What NexJ loads together for one deployment (spec §1): a `.environment`; a `.server` with
/// one of the `.connections` files it allows; a lone `.connections`; a lone `.server`.
/// Made, checked and freed on one thread (its channels cache what the rules ask of them).
public struct DeploymentUnit {
    /// The file holding the unit's root properties first (environment, server, or lone
    /// connections), then the connections file of a pair.
    public var files: [UnitFile]
    public var directory: String
    public var properties: PropertyResolver
    public var channels: [Channel]
    /// The sync targets that apply to this unit.
    public var syncTargets: [SyncTarget]
    /// For a unit whose primary file is a `.server`: the connections files it names (by
    /// `meta.connections.url`, or else by `<ValidConnections>`), whether or not they are there.
    public var namedConnectionsFiles: [ConnectionsFileReference] = []
    /// What is in the unit's directory beyond the files loaded with it.
    public let directoryListing: DirectoryListing

    public var primary: UnitFile { files[0] }

    /// Enabled Exchange Online channels, in file and document order (disabled ones are
    /// Exchange Online channels too, but no rule but EXO008 looks at them).
    public let activeExchangeOnlineChannels: [Channel]

    /// The active Exchange Online channels that are not on Basic authentication: those the
    /// OAuth rules check (a Basic channel is EXO009's alone). Found once: five rules ask.
    public let activeExchangeOnlineChannelsNotOnBasic: [Channel]
    /// `exo.tokenURL` parsed, when the unit defines it and it resolves.
    public let tokenURL: Result<TokenURL, TokenURL.Problem>?

    /// The unit file whose root element carries the attribute, the primary file first.
    public func rootDefining(_ attribute: String) -> UnitFile? {
        files.first { $0.document.root[attribute] != nil }
    }

    init(files: [UnitFile], directoryListing: DirectoryListing, external: [String: String], syncTargets: [SyncTarget]) {
        self.files = files
        directory = directoryListing.path
        self.directoryListing = directoryListing
        // In a pair the server's root attributes win over the connections file's.
        let properties = PropertyResolver(external: external, roots: files.map(\.document.root))
        self.properties = properties
        self.syncTargets = syncTargets
        let senders = Set(syncTargets.filter(\.isExchangeOnline).compactMap(\.ewsSender))
        var channels: [Channel] = []
        for file in files {
            let source = ChannelSource(file: file.path, properties: properties, isInTranscodedFile: file.document.transcodedFrom != nil)
            var previousURL: Channel.ParsedURL?
            file.document.forEachChannelElement {
                channels.append(Channel(source: source, element: $0, syncSenders: senders, previousURL: &previousURL))
            }
        }
        self.channels = channels
        // One pass, into arrays with room for every channel: two `filter`s grew their results
        // an element at a time, ~220 instructions an active Exchange channel.
        var active: [Channel] = [], activeNotOnBasic: [Channel] = []
        active.reserveCapacity(channels.count)
        activeNotOnBasic.reserveCapacity(channels.count)
        for channel in channels where channel.isActiveExchangeOnline {
            active.append(channel)
            if !channel.usesBasicAuthentication { activeNotOnBasic.append(channel) }
        }
        activeExchangeOnlineChannels = active
        activeExchangeOnlineChannelsNotOnBasic = activeNotOnBasic
        tokenURL = properties.value(of: ExchangeOnline.tokenURLProperty).map { TokenURL.parse($0.text) }
    }

    /// Groups checked documents into units, directory by directory, in path order. Each
    /// directory's units take the properties set from outside for it (`governance`);
    /// `isPresent` tells whether a file is in a directory (loaded or not).
    public static func group(_ files: [UnitFile], governance: Governance = Governance(), syncTargets: [SyncTarget],
                             isPresent: @escaping @Sendable (String) -> Bool = { _ in false }) -> [DeploymentUnit] {
        var units: [DeploymentUnit] = []
        let byDirectory = Dictionary(grouping: files, by: \.directory)
        for directory in byDirectory.keys.sorted() {
            let members = byDirectory[directory]!.sorted { $0.path < $1.path }
            let configuration = governance.configurationIndex(forDirectory: directory)
            let external = governance.definitions(forConfiguration: configuration)
            let targets = syncTargets.filter { $0.applies(toDirectory: directory, configuration: configuration) }
            let listing = DirectoryListing(path: directory, isPresent: isPresent)
            func unit(_ files: [UnitFile]) -> DeploymentUnit {
                DeploymentUnit(files: files, directoryListing: listing, external: external, syncTargets: targets)
            }
            let connections = members.filter { $0.document.kind == .connections }
            var paired = Set<String>()
            for member in members {
                switch member.document.kind {
                case .environment:
                    units.append(unit([member]))
                case .server:
                    let choice = ConnectionsChoice(server: member.document, external: external)
                    let partners = connections.filter(choice.allows)
                    var serverUnits = partners.map { unit([member, $0]) }
                    if serverUnits.isEmpty { serverUnits = [unit([member])] }
                    for index in serverUnits.indices { serverUnits[index].namedConnectionsFiles = choice.named }
                    units += serverUnits
                    paired.formUnion(partners.map(\.path))
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

/// A directory's file names, loaded or not (excluded by configuration, or not part of this run).
public struct DirectoryListing: Sendable {
    public let path: String
    private let isPresent: @Sendable (String) -> Bool

    init(path: String, isPresent: @escaping @Sendable (String) -> Bool) {
        self.path = path
        self.isPresent = isPresent
    }

    public func contains(fileName: String) -> Bool {
        isPresent(PathNames.join(path, fileName))
    }
}

/// A connections file a server names, and the element naming it.
public struct ConnectionsFileReference: Sendable {
    /// The `<Connection>` naming it, or the server's root for `meta.connections.url`.
    public var element: NexJElement
    public var fileName: String
    public var isNamedByURL: Bool
}

/// Which connections files of its directory a server is deployed with (spec §1): the one
/// `meta.connections.url` names (by file name), else those `<ValidConnections>` lists (by
/// base name), else every one.
struct ConnectionsChoice {
    static let urlProperty = "meta.connections.url"

    /// The files it names, with the element naming each; empty when it names none.
    var named: [ConnectionsFileReference] = []

    init(server: NexJDocument, external: [String: String]) {
        if let written = server.root[Self.urlProperty],
           let url = PropertyResolver(external: external, roots: [server.root]).resolve(written)?.text,
           let name = Self.fileName(ofURL: url) {
            named = [ConnectionsFileReference(element: server.root, fileName: name, isNamedByURL: true)]
        } else {
            named = server.validConnectionElements.compactMap { element in
                element["name"].map { ConnectionsFileReference(element: element, fileName: $0 + ".connections", isNamedByURL: false) }
            }
        }
    }

    func allows(_ candidate: UnitFile) -> Bool {
        named.isEmpty || named.contains { matches($0, candidate) }
    }

    func matches(_ reference: ConnectionsFileReference, _ candidate: UnitFile) -> Bool {
        reference.isNamedByURL ? PathNames.fileName(of: candidate.path) == reference.fileName
            : PathNames.baseName(of: candidate.path) + ".connections" == reference.fileName
    }

    /// The last segment of a URL or path (`file:/c:/env/Demo.connections`, `c:\env\Demo.connections`).
    static func fileName(ofURL url: String) -> String? {
        let path = url.prefix { $0 != "?" && $0 != "#" }
        let name = path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init)
        return name.flatMap { $0.isEmpty || $0 == "." || $0 == ".." ? nil : $0 }
    }
}
