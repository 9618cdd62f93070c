import Features
import Library
@testable import SongAtlas
import XCTest

/// The kept-copy rule's last step: path order as a person reads file names (stem before extension,
/// a prefix first, numbers by value), not byte by byte.
final class DuplicatePathOrderTests: XCTestCase {
    func testAStemThatIsAPrefixComesFirstWhateverTheCharacterAfterIt() {
        // Byte by byte, " (copy).flac" sorts before ".flac": a space (0x20) before a dot (0x2E).
        XCTAssertTrue("/m/dnb-01 (copy).flac" < "/m/dnb-01.flac")
        XCTAssertTrue(DuplicateFinder.pathPrecedes("/m/dnb-01.flac", "/m/dnb-01 (copy).flac"))
        XCTAssertFalse(DuplicateFinder.pathPrecedes("/m/dnb-01 (copy).flac", "/m/dnb-01.flac"))
        XCTAssertTrue(DuplicateFinder.pathPrecedes("/m/song.mp3", "/m/song-2.mp3"))
        XCTAssertTrue(DuplicateFinder.pathPrecedes("/m/song.mp3", "/m/song_copy.mp3"))
        // Same stem: the extension decides.
        XCTAssertTrue(DuplicateFinder.pathPrecedes("/m/song.flac", "/m/song.mp3"))
        // Numbers by value.
        XCTAssertTrue(DuplicateFinder.pathPrecedes("/m/track 2.flac", "/m/track 10.flac"))
        // The folder first: a file in /m/a comes before one in /m/b whatever the names.
        XCTAssertTrue(DuplicateFinder.pathPrecedes("/m/a/zz.flac", "/m/b/aa.flac"))
        // A total order: a path never precedes itself, and of two different paths exactly one comes first.
        XCTAssertFalse(DuplicateFinder.pathPrecedes("/m/x.flac", "/m/x.flac"))
        let paths = ["/m/dnb-01 (copy).flac", "/m/dnb-01.flac", "/m/.hidden", "/m/a.b.c", "/m/a.b", "x", "/m/track 02.flac",
                     "/m/track 2.flac"]
        for first in paths {
            for second in paths where first != second {
                XCTAssertNotEqual(DuplicateFinder.pathPrecedes(first, second), DuplicateFinder.pathPrecedes(second, first),
                                  "\(first) / \(second)")
            }
        }
    }

    func testAnExactCopyNamedWithASuffixIsNotKeptOverItsOriginal() {
        func track(_ path: String) -> TrackAnalysis {
            TrackAnalysis(path: path, format: "FLAC/PCM_16", durationSeconds: 200, sampleRate: 44100, channelCount: 2,
                          analyzedSeconds: 200, summary: SongSummary(values: []))
        }
        let original = track("/m/dnb-01.flac"), copy = track("/m/dnb-01 (copy).flac")
        let size: (String) -> Int64? = { _ in 20_000_000 }
        XCTAssertTrue(DuplicateFinder.keptFirst(original, copy, fileSize: size))
        XCTAssertFalse(DuplicateFinder.keptFirst(copy, original, fileSize: size))
        let ordered = [copy, original].sorted { DuplicateFinder.keptFirst($0, $1, fileSize: size) }
        XCTAssertEqual(ordered.map(\.path), ["/m/dnb-01.flac", "/m/dnb-01 (copy).flac"])
    }
}
