import NexlintXML

/// An Exchange synchronization target from a `.synctargets` file (the project's own format:
/// NexJ keeps targets in its database).
public struct SyncTarget: Sendable {
    public var file: String
    public var element: XMLElement
    /// The directory whose units it applies to, or nil when it applies to every unit linted
    /// (given with `--sync-targets`).
    public var scopeDirectory: String?

    public init(file: String, element: XMLElement, scopeDirectory: String?) {
        self.file = file
        self.element = element
        self.scopeDirectory = scopeDirectory
    }

    /// The targets of the `.synctargets` documents among `files`; those of `globalSyncTargets`
    /// apply everywhere, the others to their own directory.
    public static func all(in files: [ConfigFile], globalSyncTargets: Set<String> = []) -> [SyncTarget] {
        files.flatMap { file -> [SyncTarget] in
            guard let document = file.document, document.kind == .syncTargets else { return [] }
            let scope = globalSyncTargets.contains(file.path) ? nil : file.directory
            return document.root.children.filter { $0.name == "SyncTarget" }
                .map { SyncTarget(file: file.path, element: $0, scopeDirectory: scope) }
        }
    }

    public var name: String? { element["name"] }
    public var host: String? { element["host"] }
    public var version: String? { element["version"] }
    public var method: String? { element["method"] }
    public var subscriptionType: String? { element["subscriptionType"] }
    public var ewsSender: String? { element["ewsSender"] }

    /// Its `version` is Exchange Online or its `host` is an Exchange Online host.
    public var isExchangeOnline: Bool {
        version == ExchangeOnline.syncVersion || host.flatMap(ExchangeOnline.cloud(ofEWSHost:)) != nil
    }

    /// How findings name it: by its name, or by its position when it has none.
    public var label: String {
        name.map { "sync target `\($0)`" } ?? "the sync target at line \(element.position.line)"
    }

    public func applies(toDirectory directory: String) -> Bool {
        scopeDirectory.map { $0 == directory } ?? true
    }
}
