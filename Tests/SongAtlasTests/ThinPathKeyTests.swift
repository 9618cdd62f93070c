import FilePaths
import Foundation
import XCTest

/// SongAtlas's one path normalisation, ``PathKey``, against what it replaced
/// (`URL(fileURLWithPath:).standardizedFileURL.path`): the cache's keys must not
/// change, or every cached song would be analysed again.
final class ThinPathKeyTests: XCTestCase {
    func testPathKeyGivesWhatFoundationStandardisingGives() {
        let here = FileManager.default.currentDirectoryPath
        let latin1 = RawPath.string([0x43, 0x61, 0x66, 0xE9, 0x2E, 0x66, 0x6C, 0x61, 0x63])   // "Caf\xE9.flac"
        let paths = [
            "/music/a.flac", "/music/./a.flac", "/music//a.flac", "/music/x/../a.flac", "/music/a/", "/",
            "/..", "/../music/a.flac", "a.flac", "./a.flac", "sub/../a.flac", "sub/./b/c.flac", "sub//b/", ".",
            "/music/.hidden.flac", "/music/..dots..flac", "/music/a b/ç é.flac", "/music/" + latin1, latin1,
        ]
        for path in paths {
            XCTAssertEqual(PathKey.of(path, currentDirectory: here), URL(fileURLWithPath: path).standardizedFileURL.path,
                           path)
        }
    }

    func testRelativePathsStartFromTheGivenFolder() {
        XCTAssertEqual(PathKey.of("b/../c.flac", currentDirectory: "/music/a"), "/music/a/c.flac")
        XCTAssertEqual(PathKey.of("../c.flac", currentDirectory: "/music/a"), "/music/c.flac")
        XCTAssertEqual(PathKey.of("/abs.flac", currentDirectory: "/music/a"), "/abs.flac")
    }

    func testFolderOfAKey() {
        XCTAssertEqual(PathKey.folder(of: "/music/a/b.flac"), "/music/a")
        XCTAssertEqual(PathKey.folder(of: "/b.flac"), "/")
        XCTAssertEqual(PathKey.folder(of: "/"), "/")
    }
}
