@testable import NexlintCore
import Testing

/// Absolute paths are made without splitting when nothing needs normalising; these pin the
/// paths on either side of that line.
@Suite struct PathNamesTests {
    @Test(arguments: [
        ("a/b", "/w", "/w/a/b"), (".hidden/a", "/w", "/w/.hidden/a"), ("..x/y.", "/w", "/w/..x/y."),
        ("a/./b", "/w", "/w/a/b"), ("a/../b", "/w", "/w/b"), ("./a", "/w", "/w/a"), ("../a", "/w", "/a"),
        ("a/", "/w", "/w/a"), ("a//b", "/w", "/w/a/b"), ("a/..", "/w", "/w"), ("", "/w", "/w"),
        ("/abs/x", "/w", "/abs/x"), ("a", "/", "/a"), ("a", "/w/", "/w/a"), ("a", "/w/./v", "/w/v/a"),
        ("a", "/w/../v", "/v/a"), ("a", "//w", "/w/a"),
    ])
    func absolutePathsAreNormalised(_ path: String, _ base: String, _ expected: String) {
        #expect(PathNames.absolute(path, base: base) == expected)
    }

    /// A directory's entries come in the order `<` gives their names, whether the eight-byte
    /// prefixes of ASCII names decide or the names must be compared whole: prefixes of one
    /// another, names equal in their first eight bytes, every printable byte, and a directory
    /// with a name that is not ASCII (compared as strings, which a decomposed `é` sorts
    /// differently from its bytes).
    @Test func directoryEntriesSortAsTheirNamesDo() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array((0x20...0x7E).map { Character(Unicode.Scalar(UInt8($0))) })
        for round in 0..<300 {
            var names = Set<String>()
            for _ in 0..<Int.random(in: 1...40, using: &generator) {
                let stem = round.isMultiple(of: 2) ? "crm0000" : ""
                names.insert(stem + String((0..<Int.random(in: 1...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }))
            }
            if round.isMultiple(of: 3) { names.formUnion(["a", "ab", "abcdefgh", "abcdefghi", "abcdefgh.server"]) }
            if round.isMultiple(of: 5) { names.formUnion(["e\u{301}z.environment", "\u{E9}a.environment", "f.environment"]) }
            let entries = names.shuffled(using: &generator).map { FileSystem.DirectoryEntry(name: $0, kind: .regularFile) }
            #expect(FileSystem.sortedByName(entries).map(\.name) == names.sorted(), "round \(round)")
        }
    }

    @Test(arguments: [
        ("a.environment", NexJFileKind.environment), ("dir/b.server", .server), ("x.y.connections", .connections),
        (".synctargets", .syncTargets), ("a.Environment", nil), ("a.environment.", nil), ("a.environments", nil),
        ("a.configs", nil), ("env.environment/readme", nil), ("environment", nil), ("a.\u{E9}nvironment", nil),
    ] as [(String, NexJFileKind?)])
    func fileKindsComeFromTheExtension(_ path: String, _ kind: NexJFileKind?) {
        #expect(NexJFileKind(path: path) == kind)
        #expect(NexJFileKind.isSharedConfiguration(path) == false)
        #expect(NexJFileKind.isLintCandidate(path) == (kind != nil))
    }

    @Test(arguments: ["default.config", "d/shared.config", ".config"])
    func configFilesAreSharedConfigurations(_ path: String) {
        #expect(NexJFileKind(path: path) == nil)
        #expect(NexJFileKind.isSharedConfiguration(path))
        #expect(NexJFileKind.isLintCandidate(path))
    }

    @Test(arguments: [("a/b/c.environment", "a/b"), ("c.environment", "."), ("/c.environment", "/"),
                      ("/x/c", "/x"), ("caf\u{E9}/c", "caf\u{E9}"), ("a/\u{10FEE9}/c", "a/\u{10FEE9}")])
    func aPathsDirectoryIsWhatComesBeforeItsLastSlash(_ path: String, _ directory: String) {
        #expect(PathNames.directory(of: path) == directory)
    }

    @Test func directoriesComeOnceForEachRunOfPaths() {
        #expect(PathNames.directories(of: []) == [])
        #expect(PathNames.directories(of: ["a/x.environment", "a/y.server", "b/z.environment", "c.environment", "d.environment", "a/w"])
                == ["a", "b", ".", "a"])
    }
}
