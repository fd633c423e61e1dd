import NexlintXML

/// An Exchange synchronization target from a `.synctargets` file (the project's own format:
/// NexJ keeps targets in its database). A reference type: every unit in its scope holds it.
public final class SyncTarget: Sendable {
    public let file: String
    public let element: XMLElement
    /// The directory whose units it applies to, or nil when it applies to every unit linted
    /// (given with `--sync-targets`).
    public let scopeDirectory: String?

    public let name: String?
    public let host: String?
    public let version: String?
    public let method: String?
    public let subscriptionType: String?
    public let ewsSender: String?
    /// Its `version` is Exchange Online or its `host` is an Exchange Online host.
    public let isExchangeOnline: Bool

    /// Its attributes are read once: every unit in its scope asks for them.
    public init(file: String, element: XMLElement, scopeDirectory: String?) {
        self.file = file
        self.element = element
        self.scopeDirectory = scopeDirectory
        name = element["name"]
        host = element["host"]
        version = element["version"]
        method = element["method"]
        subscriptionType = element["subscriptionType"]
        ewsSender = element["ewsSender"]
        isExchangeOnline = version == ExchangeOnline.syncVersion || host.flatMap(ExchangeOnline.cloud(ofEWSHost:)) != nil
    }

    /// The targets of the `.synctargets` documents among `files`; those of `globalSyncTargets`
    /// apply everywhere, the others to their own directory.
    public static func all(in files: [ConfigFile], globalSyncTargets: Set<String> = []) -> [SyncTarget] {
        files.flatMap { file -> [SyncTarget] in
            guard let document = file.document, document.kind == .syncTargets else { return [] }
            let scope = globalSyncTargets.contains(file.path) ? nil : file.directory
            return document.root.children.filter { $0.isNamed("SyncTarget") }
                .map { SyncTarget(file: file.path, element: $0, scopeDirectory: scope) }
        }
    }

    /// How findings name it: by its name, or by its position when it has none.
    public var label: String {
        name.map { "sync target `\($0)`" } ?? "the sync target at line \(element.position.line)"
    }

    public func applies(toDirectory directory: String) -> Bool {
        scopeDirectory.map { $0 == directory } ?? true
    }
}
