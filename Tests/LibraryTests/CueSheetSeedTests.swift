@testable import Library
import XCTest

/// The seed form `FILE.cue#3` / `FILE.flac#3` (``CueSheetSeed``).
final class CueSheetSeedTests: XCTestCase {
    private func parse(_ text: String, existing: Set<String> = []) throws -> CueSheetSeed {
        try CueSheetSeed.parse(text) { existing.contains($0) }
    }

    func testTrackOfASheetOrOfAnAudioFile() throws {
        XCTAssertEqual(try parse("Album/album.cue#3"), .track(path: "Album/album.cue", track: 3))
        XCTAssertEqual(try parse("/m/Image.FLAC#03"), .track(path: "/m/Image.FLAC", track: 3))
        XCTAssertEqual(try parse("a b/c.CUE#12").path, "a b/c.CUE")
    }

    func testWholeFiles() throws {
        XCTAssertEqual(try parse("song.flac"), .file("song.flac"))
        XCTAssertEqual(try parse("take#2.flac"), .file("take#2.flac"), "the number must come last")
        XCTAssertEqual(try parse("notes.txt#3"), .file("notes.txt#3"), "neither a sheet nor audio")
        XCTAssertEqual(try parse("a.flac#"), .file("a.flac#"))
        XCTAssertEqual(try parse("a.flac#x1"), .file("a.flac#x1"))
        XCTAssertEqual(try parse("a.flac#2", existing: ["a.flac#2"]), .file("a.flac#2"), "an existing file is taken as written")
    }

    func testTrackNumbersOutOfRange() {
        XCTAssertThrowsError(try parse("a.cue#0")) { error in
            XCTAssertTrue("\(error)".hasPrefix("a.cue#0: a cue track is written FILE.cue#N"), "\(error)")
        }
        XCTAssertThrowsError(try parse("a.cue#\(CueSheet.trackLimit + 1)"))
        XCTAssertThrowsError(try parse("a.cue#99999999999999999999999"))
    }
}

extension CueSheetSeedTests {
    func testHiddenFilesAreSeedsToo() throws {
        XCTAssertEqual(try parse(".hidden.flac#2"), .track(path: ".hidden.flac", track: 2))
    }
}
