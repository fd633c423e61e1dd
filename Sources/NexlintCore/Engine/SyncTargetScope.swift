/// What a sync-target rule knows of the units a target applies to, without holding them:
/// the units are checked and released before the targets are.
public struct SyncTargetScope: Sendable, Equatable {
    /// The `channel` names of the HTTP connections in those units that a sync target of the
    /// run names as its `ewsSender` (the only question asked of them).
    public var httpConnectionNames: Set<String> = []
    /// Those of them that name a connection not switched off (`enabled="false"`).
    public var enabledHTTPConnectionNames: Set<String> = []
    public var unitCount = 0
    /// Files of those directories that could not be checked (NXJ001, NXJ002, NXJ005, NXJ008):
    /// a sender may be in one of them.
    public var uncheckedFiles = 0

    public init() {}

    mutating func add(httpConnection name: String, isEnabled: Bool) {
        httpConnectionNames.insert(name)
        if isEnabled { enabledHTTPConnectionNames.insert(name) }
    }

    mutating func merge(_ other: SyncTargetScope) {
        enabledHTTPConnectionNames.formUnion(other.enabledHTTPConnectionNames)
        httpConnectionNames.formUnion(other.httpConnectionNames)
        unitCount += other.unitCount
        uncheckedFiles += other.uncheckedFiles
    }

    /// One scope covering all of them.
    static func union(_ scopes: some Sequence<SyncTargetScope>) -> SyncTargetScope {
        scopes.reduce(into: SyncTargetScope()) { $0.merge($1) }
    }
}
