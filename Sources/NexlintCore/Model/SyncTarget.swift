import NexlintXML

/// An Exchange synchronization target from a `.synctargets` file (the project's own format:
/// NexJ keeps targets in its database). A reference type: every unit in its scope holds it.
public final class SyncTarget: Sendable {
    public let file: String
    public let element: NexJElement
    public let reach: Reach

    /// The units a target applies to.
    public enum Reach: Sendable, Hashable {
        /// Those of its own directory (a `.synctargets` file).
        case directory(String)
        /// Those a configuration governs, by index (`sync-targets:` of those configurations).
        case configurations(Set<Int>)
        /// Every unit (`--sync-targets`).
        case everywhere
    }

    public let name: String?
    public let host: String?
    public let version: String?
    public let method: String?
    public let subscriptionType: String?
    public let ewsSender: String?
    /// Its `version` is Exchange Online or its `host` is an Exchange Online host.
    public let isExchangeOnline: Bool
    /// The properties set from outside for its file's directory (`--define`, the
    /// configuration's `properties:`): `${…}` in its attributes resolve against them, as in
    /// any attribute (a `.synctargets` file has no properties of its own).
    public let properties: PropertyResolver
    /// Its attributes that refer to a property nothing defines (NXJ004's): their values above
    /// are nil, and rules do not judge them.
    public let unresolved: Set<String>

    /// Its attributes are read once: every unit in its scope asks for them.
    public init(file: String, element: NexJElement, reach: Reach, properties: PropertyResolver) {
        self.file = file
        self.element = element
        self.reach = reach
        self.properties = properties
        var unresolved = Set<String>()
        func value(_ attribute: String) -> String? {
            guard let raw = element[attribute] else { return nil }
            guard let resolved = properties.resolve(raw) else {
                unresolved.insert(attribute)
                return nil
            }
            return resolved.text
        }
        name = value("name")
        host = value("host")
        version = value("version")
        method = value("method")
        subscriptionType = value("subscriptionType")
        ewsSender = value("ewsSender")
        self.unresolved = unresolved
        isExchangeOnline = version == ExchangeOnline.syncVersion || host.flatMap(ExchangeOnline.cloud(ofEWSHost:)) != nil
    }

    /// The targets of the `.synctargets` documents among `files`; those of `globalSyncTargets`
    /// reach as far as it says, the others their own directory. `${…}` resolve against the
    /// definitions `governance` gives each file's directory.
    public static func all(in files: [NexJFile], governance: Governance) -> [SyncTarget] {
        files.flatMap { file -> [SyncTarget] in
            guard let document = file.document, document.kind == .syncTargets else { return [] }
            let reach = governance.globalSyncTargets[file.path] ?? .directory(file.directory)
            let properties = PropertyResolver(
                external: governance.definitions(forConfiguration: governance.configurationIndex(forDirectory: file.directory)))
            return document.root.children.filter { $0.isNamed("SyncTarget") }
                .map { SyncTarget(file: file.path, element: $0, reach: reach, properties: properties) }
        }
    }

    /// How findings name it: by its name, or by its position when it has none.
    public var label: String {
        name.map { "sync target `\($0)`" } ?? "the sync target at line \(element.position.line)"
    }

    /// Whether it applies to the units of a directory, governed by the configuration of that index.
    public func applies(toDirectory directory: String, configuration: Int) -> Bool {
        switch reach {
        case .directory(let own): own == directory
        case .configurations(let indexes): indexes.contains(configuration)
        case .everywhere: true
        }
    }
}
