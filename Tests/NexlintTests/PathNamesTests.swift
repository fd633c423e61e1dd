import NexlintCore
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
}
