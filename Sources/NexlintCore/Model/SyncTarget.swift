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

    /// Its attributes are read once: every unit in its scope asks for them.
    public init(file: String, element: NexJElement, reach: Reach) {
        self.file = file
        self.element = element
        self.reach = reach
        name = element["name"]
        host = element["host"]
        version = element["version"]
        method = element["method"]
        subscriptionType = element["subscriptionType"]
        ewsSender = element["ewsSender"]
        isExchangeOnline = version == ExchangeOnline.syncVersion || host.flatMap(ExchangeOnline.cloud(ofEWSHost:)) != nil
    }

    /// The targets of the `.synctargets` documents among `files`; those of `globalSyncTargets`
    /// reach as far as it says, the others their own directory.
    public static func all(in files: [NexJFile], globalSyncTargets: [String: Reach] = [:]) -> [SyncTarget] {
        files.flatMap { file -> [SyncTarget] in
            guard let document = file.document, document.kind == .syncTargets else { return [] }
            let reach = globalSyncTargets[file.path] ?? .directory(file.directory)
            return document.root.children.filter { $0.isNamed("SyncTarget") }
                .map { SyncTarget(file: file.path, element: $0, reach: reach) }
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
