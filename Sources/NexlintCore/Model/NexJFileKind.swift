/// The four kinds of file nexlint reads, each with the extension and root element it requires.
public enum NexJFileKind: String, Sendable, CaseIterable {
    case environment
    case server
    case connections
    case syncTargets

    public var fileExtension: String {
        switch self {
        case .environment: "environment"
        case .server: "server"
        case .connections: "connections"
        case .syncTargets: "synctargets"
        }
    }

    public var rootElement: String {
        switch self {
        case .environment: "Environment"
        case .server: "Server"
        case .connections: "Connections"
        case .syncTargets: "SyncTargets"
        }
    }

    /// The kind a file's extension requires, or nil for any other extension.
    public init?(path: String) {
        guard let pathExtension = PathNames.fileExtension(of: path),
              let kind = NexJFileKind.allCases.first(where: { $0.fileExtension == pathExtension }) else { return nil }
        self = kind
    }

    /// NexJ's other configuration files (`default.config`): linted when their root element is
    /// `<Environment>`, `<Server>` or `<Connections>`, skipped silently otherwise.
    public static let sharedExtension = "config"

    /// Whether a directory walk picks the file up: one of the four extensions, or `.config`.
    public static func isLintCandidate(_ name: String) -> Bool {
        NexJFileKind(path: name) != nil || isSharedConfiguration(name)
    }

    public static func isSharedConfiguration(_ path: String) -> Bool {
        PathNames.fileExtension(of: path) == Substring(sharedExtension)
    }

    public init?(rootElement: String) {
        guard let kind = NexJFileKind.allCases.first(where: { $0.rootElement == rootElement }) else { return nil }
        self = kind
    }
}
