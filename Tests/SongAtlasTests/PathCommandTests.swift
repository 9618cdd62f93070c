import Export
import Foundation
import TestSupport
import XCTest

/// `songatlas path` on a small generated library.
final class PathCommandTests: XCTestCase {
    var directory: TemporaryDirectory!
    var fixture: SongListFixture!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        fixture = try SongListFixture(in: directory)
    }

    override func tearDown() { directory.remove() }

    /// The fixture holds an exact copy of sine-220 on purpose (`sine-220 copy.wav`), which the duplicate search
    /// groups: `--keep-copies` keeps every file (OneCopyCommandTests covers the rule).
    func path(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.run("songatlas", ["path"] + arguments + ["--library", fixture.music, "--cache", directory.file("c.sqlite"),
                                                                "--keep-copies"])
    }

    func testAPathFromASineToADrumLoop() throws {
        let result = try path([fixture.sine220, fixture.drums174, "-n", "8", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let list = try JSONDecoder().decode(SongListDocument.self, from: Data(result.standardOutput.utf8))
        XCTAssertEqual(list.kind, .path)
        XCTAssertEqual(list.songs.count, 8)
        XCTAssertEqual(list.songs.first?.path, fixture.sine220)
        XCTAssertEqual(list.songs.first?.role, .from)
        XCTAssertEqual(list.songs.last?.path, fixture.drums174)
        XCTAssertEqual(list.songs.last?.role, .to)
        XCTAssertEqual(Set(list.paths).count, 8, "no song twice")
        let steps = list.songs.dropFirst().map { $0.distance! }
        let summary = try XCTUnwrap(list.steps)
        XCTAssertEqual(summary.largest, steps.max()!, accuracy: 1e-6)
        XCTAssertEqual(summary.mean, steps.reduce(0, +) / 7, accuracy: 1e-6)
        XCTAssertTrue(result.standardError.contains("songatlas: 8 songs, mean step"), result.standardError)
    }

    func testAWaypointSitsBetweenTheEnds() throws {
        let via = fixture.music + "/noise-2.wav"
        let result = try path([fixture.sine220, fixture.drums174, "--via", via, "-n", "9", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let list = try JSONDecoder().decode(SongListDocument.self, from: Data(result.standardOutput.utf8))
        let position = try XCTUnwrap(list.songs.firstIndex { $0.path == via })
        XCTAssertEqual(list.songs[position].role, .via)
        XCTAssertTrue((1...7).contains(position), "\(position)")
        XCTAssertEqual(Set(list.paths).count, list.songs.count)
    }

    func testFromEqualToToAndRepeatedAnchors() throws {
        let same = try path([fixture.sine220, fixture.sine220, "-q"])
        XCTAssertEqual(same.status, 0, same.standardError)
        XCTAssertTrue(same.standardOutput.hasPrefix("path of 1 song"), same.standardOutput)
        let quietNotes = try path([fixture.sine220, fixture.sine220])
        XCTAssertTrue(quietNotes.standardError.contains("note: FROM and TO are the same song: the path is that one song"),
                      quietNotes.standardError)
        let loop = try path([fixture.sine220, fixture.sine220, "--via", fixture.drums174])
        XCTAssertEqual(loop.status, 64)
        XCTAssertTrue(loop.standardError.contains("FROM, TO and each --via must be different songs"), loop.standardError)
        let bad = try path([fixture.sine220, fixture.drums174, "-n", "0"])
        XCTAssertTrue(bad.standardError.hasPrefix("Error: -n must be at least 1, got 0\n"), bad.standardError)
        // -n below the songs a path must hold is refused (it once returned 2 songs for -n 1).
        let one = try path([fixture.sine220, fixture.drums174, "-n", "1"])
        XCTAssertEqual(one.status, 64)
        XCTAssertTrue(one.standardError.hasPrefix("Error: -n 1 is fewer than the 2 songs FROM and TO already make; "
            + "a path holds them all, so -n must be at least 2\n"), one.standardError)
        let withVia = try path([fixture.sine220, fixture.drums174, "--via", fixture.music + "/noise-2.wav", "-n", "2"])
        XCTAssertTrue(withVia.standardError.hasPrefix("Error: -n 2 is fewer than the 3 songs FROM, TO and each --via "
            + "already make"), withVia.standardError)
        // FROM = TO alone is a one-song path, which -n 1 asks for exactly.
        let single = try path([fixture.sine220, fixture.sine220, "-n", "1", "--format", "json", "-q"])
        XCTAssertEqual(single.status, 0, single.standardError)
        XCTAssertEqual(try JSONDecoder().decode(SongListDocument.self, from: Data(single.standardOutput.utf8)).songs.count, 1)
        // Longer than the library: every song once.
        let whole = try path([fixture.sine220, fixture.drums174, "-n", "500", "--format", "json", "-q"])
        let list = try JSONDecoder().decode(SongListDocument.self, from: Data(whole.standardOutput.utf8))
        XCTAssertEqual(Set(list.paths).count, fixture.files.count)
    }
}
