@testable import Export
import XCTest

/// M3U8 entries for a track inside a file: VLC's start/stop options, and the sheet form.
final class M3U8RangeTests: XCTestCase {
    func testRangeEntryCarriesVLCOptionsAfterEXTINF() {
        let playlist = M3U8Playlist(entries: [
            .init(path: "/music/Album/album.flac", durationSeconds: 180.16, displayTitle: "Band - Two",
                  location: .range(startSeconds: 180.16, endSeconds: 435.0 + 74.0 / 75)),
            .init(path: "/music/Album/loose.flac", durationSeconds: 61.6, displayTitle: "Band - Loose"),
        ])
        XCTAssertEqual(playlist.rendered(playlistFolder: "/music", relativeRoot: "/music"), """
            #EXTM3U
            #EXTINF:180,Band - Two
            #EXTVLCOPT:start-time=180.16
            #EXTVLCOPT:stop-time=435.986667
            Album/album.flac
            #EXTINF:62,Band - Loose
            Album/loose.flac

            """)
    }

    func testOptionSecondsKeepFramePrecision() {
        // Every CD frame (1/75 s) of the first minute survives the text to within half a microsecond.
        for frame in 0..<(75 * 60) {
            let seconds = Double(frame) / 75
            let text = M3U8Playlist.optionSeconds(seconds)
            XCTAssertEqual(Double(text)!, seconds, accuracy: 0.5e-6, text)
            XCTAssertFalse(text.hasSuffix("0") && text.contains("."), text)
        }
        XCTAssertEqual(M3U8Playlist.optionSeconds(0), "0")
        XCTAssertEqual(M3U8Playlist.optionSeconds(-.infinity), "0")
        XCTAssertEqual(M3U8Playlist.optionSeconds(.nan), "0")
        XCTAssertEqual(M3U8Playlist.optionSeconds(3600), "3600")
    }

    func testSheetFormNamesTheSheetAndTheTrack() {
        let playlist = M3U8Playlist(entries: [
            .init(path: "/music/Album/album.cue", durationSeconds: 255.8, displayTitle: "Band - Two\nlines",
                  location: .sheetTrack(3)),
        ])
        XCTAssertEqual(playlist.rendered(playlistFolder: "/lists", relativeRoot: "/music"), """
            #EXTM3U
            #EXTINF:256,3. Band - Two lines
            /music/Album/album.cue

            """)
    }

    func testARangeOfAFileNamePlayersMisreadStaysAURI() {
        let playlist = M3U8Playlist(entries: [
            .init(path: "/music/#1 hits.flac", durationSeconds: 10, displayTitle: "t", location: .range(startSeconds: 1, endSeconds: 11)),
        ])
        let lines = playlist.rendered(playlistFolder: "/music", relativeRoot: "/music").split(separator: "\n")
        XCTAssertEqual(lines.last, "file:///music/%231%20hits.flac")
        XCTAssertEqual(Array(lines.dropFirst(2).prefix(2)), ["#EXTVLCOPT:start-time=1", "#EXTVLCOPT:stop-time=11"])
    }
}
