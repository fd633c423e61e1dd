/// How the files of a run are split so that each can be checked and released in turn:
/// sync-target files first (small, and they apply across items), then work items, each a set
/// of files that can form units only with each other: a `.environment` on its own, or all the
/// `.server`, `.connections` and `.config` files of one directory together; items in the
/// order of their first path.
struct WorkPlan: Sendable {
    var syncTargetPaths: [String]
    var items: [[String]]

    init(paths: [String], globalSyncTargets: [String: SyncTarget.Reach]) {
        var targets: [String] = []
        var splitUnits: [String: [String]] = [:]
        var items: [[String]] = []
        for path in paths {
            switch NexJFileKind(path: path) {
            case .syncTargets?:
                targets.append(path)
            case _ where globalSyncTargets[path] != nil:
                targets.append(path)
            case .server?, .connections?:
                splitUnits[PathNames.directory(of: path), default: []].append(path)
            case nil where NexJFileKind.isSharedConfiguration(path):
                // Its kind is known once it is read: it goes with the directory's servers and connections.
                splitUnits[PathNames.directory(of: path), default: []].append(path)
            case .environment?, nil:
                items.append([path])
            }
        }
        items += splitUnits.values
        syncTargetPaths = targets
        // In the order their files are reported, so that a file's item is checked when the
        // report comes to it, not after every other.
        self.items = items.map { ($0.min()!, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
