import Export
import Foundation
import TestSupport
import XCTest

/// The song map page at 100,000 songs, in real headless Chromium: drawn on canvas, it loads without a
/// script error, draws every dot, finds the song under the pointer through its grid index, and answers a
/// search, a click (neighbours), a path and a lasso. Prints the page's own timings; asserts no time.
final class SongMapHundredThousandTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// How many times the browser loads the page: `SONGATLAS_MAP_RUNS`, default 1 (3 or more for medians).
    static var runs: Int { max(1, Int(ProcessInfo.processInfo.environment["SONGATLAS_MAP_RUNS"] ?? "") ?? 1) }

    func testHundredThousandSongsRenderOnCanvas() throws {
        let songCount = 100_000
        let clock = ContinuousClock()
        let generated = clock.now
        let (drawing, songs) = syntheticSongMap(songCount: songCount, playlistFolder: directory.path)
        let page = directory.file("huge.html")
        let written = clock.now
        let html = try drawing.html()
        print("map page, \(songCount) songs: synthetic map made in \(written - generated), page written in \(clock.now - written)")
        try OutputDestination.resolve(page).write(html)
        let document = SongMapDocument(featureVersion: 0, width: 158, height: 158, topology: SongMapDocument.Topology.rectangular, training: SongMapDocument.Training.batch,
                                       quantizationError: 0, topographicError: nil, clusters: [], notes: [], songs: songs,
                                       codebook: [], uMatrix: [])
        // The page holds a fixed number of elements, whatever the songs: no element per dot.
        XCTAssertFalse(html.contains("<circle"), "the page draws on canvas")
        let expectedMatches = Double(songs.filter { $0.title!.contains(songs[0].title!) }.count)
        var timings: [String: [Double]] = [:]
        for run in 1...Self.runs {
            let browser = try browserSelfTest(page)
            XCTAssertEqual(browser.errors, [])
            XCTAssertEqual(browser.songs, songCount, "every dot drawn")
            XCTAssertEqual(browser.number("matches"), expectedMatches)
            XCTAssertEqual(browser.text("player")?.isEmpty, false, "the player line says what happened")
            XCTAssertEqual((browser.report["regions"] as? [String])?.sorted(), (0..<9).map { "Playlist \($0)" })
            XCTAssertTrue((browser.report["labels"] as? [String])?.contains(songs[0].title!) == true,
                          "zoomed in, the first song's title shows: \(browser.report["labels"] ?? "none")")
            try checkSongMapSelfTest(browser, document: document, pageFolder: directory.path)
            for name in ["firstRender", "script", "parse", "index", "draw", "hover", "search", "path"] {
                timings[name, default: []].append(browser.milliseconds(name) ?? .nan)
            }
            print(String(format: "map page, %d songs, run %d: first render %.0f ms, script %.0f ms (parse %.0f, index %.0f, "
                            + "draw %.0f), hover %.1f ms, search %.1f ms, path of %d songs in %.1f ms", songCount, run,
                         browser.milliseconds("firstRender") ?? -1, browser.milliseconds("script") ?? -1,
                         browser.milliseconds("parse") ?? -1, browser.milliseconds("index") ?? -1, browser.milliseconds("draw") ?? -1,
                         browser.milliseconds("hover") ?? -1, browser.milliseconds("search") ?? -1,
                         browser.integers("path")?.count ?? 0, browser.milliseconds("path") ?? -1))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print(String(format: "map page, %d songs: %d bytes (%.0f per song); medians of %d runs: first render %.0f ms, "
                        + "hover %.1f ms, search %.1f ms, path %.1f ms", songCount, html.utf8.count,
                     Double(html.utf8.count) / Double(songCount), Self.runs, median(timings["firstRender"]!),
                     median(timings["hover"]!), median(timings["search"]!), median(timings["path"]!)))
    }
}
