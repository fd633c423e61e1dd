import NexlintXML

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
        guard case .kind(let kind) = Self.classify(path) else { return nil }
        self = kind
    }

    private enum ExtensionClass { case kind(NexJFileKind), sharedConfiguration, other }

    /// The extensions compared as bytes (a walk asks of every entry, a run of every path more
    /// than once; comparing substrings cost about 1,000 instructions a path). An extension
    /// that is not ASCII is compared as a string, as `==` compares (by canonical equivalence).
    private static func classify(_ path: String) -> ExtensionClass {
        ASCII.withBytes(of: path) { bytes in
            guard let start = PathNames.extensionStart(bytes) else { return .other }
            let found = UnsafeBufferPointer(rebasing: bytes[start...])
            let isASCII = found.allSatisfy { $0 < 0x80 }
            func matches(_ expected: String) -> Bool {
                isASCII ? ASCII.withBytes(of: expected) { ASCII.equal(found, $0) } : String(decoding: found, as: UTF8.self) == expected
            }
            if let kind = allCases.first(where: { matches($0.fileExtension) }) { return .kind(kind) }
            return matches(sharedExtension) ? .sharedConfiguration : .other
        }
    }

    /// NexJ's other configuration files (`default.config`): linted when their root element is
    /// `<Environment>`, `<Server>` or `<Connections>`, skipped silently otherwise.
    public static let sharedExtension = "config"

    /// Whether a directory walk picks the file up: one of the four extensions, or `.config`.
    public static func isLintCandidate(_ name: String) -> Bool {
        if case .other = classify(name) { return false }
        return true
    }

    public static func isSharedConfiguration(_ path: String) -> Bool {
        if case .sharedConfiguration = classify(path) { return true }
        return false
    }

    public init?(rootElement: String) {
        guard let kind = NexJFileKind.allCases.first(where: { $0.rootElement == rootElement }) else { return nil }
        self = kind
    }
}
