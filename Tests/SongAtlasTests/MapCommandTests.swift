import AudioDecoding
import Clustering
import Export
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `songatlas map`, checked in a real browser.
final class MapCommandTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testAGridTooLargeForTheSongsIsRefusedBeforeTraining() throws {
        let out = directory.file("maps/map.html")
        let result = try CommandRunner.run("songatlas", ["map", "SampleAudio", "--grid", "500x500", "--out", out,
                                                         "--cache", directory.file("cache.sqlite"), "--quiet"])
        XCTAssertEqual(result.status, 64, result.standardError)
        XCTAssertEqual(result.standardError,
                       "songatlas: --grid 500x500 has 250000 units; a map of 18 songs may have at most 1800 (100 per song, "
                        + "at least 400): training time and memory grow with the units, and most would stay empty\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testSampleAudioMapRendersInABrowser() throws {
        let page = directory.file("map.html")
        let result = try CommandRunner.run("songatlas", ["map", "SampleAudio", "--out", page, "--cache",
                                                         directory.file("cache.sqlite")])
        XCTAssertEqual(result.status, 0, result.standardError)
        for name in ["map.html", "map.svg", "map.json", "map.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file(name)), name)
        }
        let document = try JSONDecoder().decode(SongMapDocument.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("map.json"))))
        XCTAssertEqual(document.songs.count, 18)
        XCTAssertEqual(document.codebook.count, document.width * document.height)
        XCTAssertEqual(document.uMatrix.count, document.width * document.height)
        XCTAssertTrue(document.uMatrix.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        // Ten neighbours per song by default, nearest first, never the song itself.
        for (index, song) in document.songs.enumerated() {
            XCTAssertEqual(song.neighbours.count, 10, song.path)
            XCTAssertFalse(song.neighbours.contains { $0.song == index }, song.path)
            XCTAssertEqual(song.neighbours.map(\.distance), song.neighbours.map(\.distance).sorted(), song.path)
        }
        // Written outside the music folder: songs play through absolute file URLs.
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.contains("file:///"), "expected absolute audio URLs")
        XCTAssertFalse(html.contains("http://") && html.contains("<script src"), "the page must not load anything")

        let browser = try browserSelfTest(page)
        XCTAssertEqual(browser.errors, [])
        XCTAssertEqual(browser.songs, 18)
        let first = document.songs[0]
        XCTAssertTrue(browser.tooltip?.contains(first.title!) == true, "tooltip \(browser.tooltip ?? "nil")")
        try checkSongMapSelfTest(browser, document: document, pageFolder: directory.path)
        // The player plays, or says why not: never silence without a word.
        let player = browser.text("player") ?? ""
        let audio = browser.report["audio"] as? [String: Any] ?? [:]
        if browser.number("playing") != Double(document.songs.count - 1) {
            // Headless Chromium may never reach "playing" without a sound card: then the element must still be
            // trying (not paused, no error), or the page must say why it cannot play.
            XCTAssertTrue(player.hasPrefix("Cannot play") || (audio["paused"] as? Bool == false && audio["error"] as? Int == 0),
                          "player line: \(player), audio \(audio)")
        }
        XCTAssertEqual(player.hasPrefix("Cannot play"), browser.report["playerProblem"] as? Bool, player)
        // Zoomed in, the first song's title shows without hovering.
        XCTAssertTrue((browser.report["labels"] as? [String])?.contains(first.displayTitle) == true,
                      "labels \(browser.report["labels"] ?? "none")")
    }

    func testNeighboursAreTheSongsSimilarFinds() throws {
        let cache = directory.file("cache.sqlite")
        let result = try CommandRunner.run("songatlas", ["map", "SampleAudio", "--out", directory.file("map.html"),
                                                         "--cache", cache, "--neighbours", "5", "--quiet"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let document = try JSONDecoder().decode(SongMapDocument.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("map.json"))))
        for seed in [0, 7] {
            let song = document.songs[seed]
            let similar = try CommandRunner.run("songatlas", ["similar", song.path, "--library", "SampleAudio", "-n", "5",
                                                              "--max-per-artist", "0", "--max-per-album", "0",
                                                              "--format", "json", "--cache", cache])
            XCTAssertEqual(similar.status, 0, similar.standardError)
            let list = try JSONDecoder().decode(SongListDocument.self, from: Data(similar.standardOutput.utf8))
            let found = list.songs.filter { $0.role == .similar }
            XCTAssertEqual(song.neighbours.map { URL(fileURLWithPath: document.songs[$0.song].path).lastPathComponent },
                           found.map { URL(fileURLWithPath: $0.path).lastPathComponent }, song.path)
            for (neighbour, match) in zip(song.neighbours, found) {
                XCTAssertEqual(neighbour.similarity, match.similarity ?? -1, accuracy: 1e-9)
                XCTAssertEqual(neighbour.distance, match.distance ?? -1, accuracy: 1e-6)
            }
        }
        let none = try CommandRunner.run("songatlas", ["map", "SampleAudio", "--out", directory.file("none.html"),
                                                       "--cache", cache, "--neighbours", "0", "--quiet"])
        XCTAssertEqual(none.status, 0, none.standardError)
        let bare = try JSONDecoder().decode(SongMapDocument.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("none.json"))))
        XCTAssertTrue(bare.songs.allSatisfy(\.neighbours.isEmpty))
        let refused = try CommandRunner.run("songatlas", ["map", "SampleAudio", "--out", directory.file("bad.html"),
                                                          "--neighbours", "101"])
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.standardError.contains("--neighbours must be between 0 and 100, got 101"), refused.standardError)
    }

    func testHostileTitlesAreEscapedAndTheMapStaysValid() throws {
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        let hostile = "<script>alert(1)</script>"
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 3), to: music + "/quote \"it's\" & <b>.wav",
                                  sampleRate: 22050, title: hostile, artist: "\"Bobby\" </title><img src=x onerror=alert(2)>")
        // A second song identical to the first (--keep-copies keeps both): they share one spot, with a note.
        try FileManager.default.copyItem(atPath: music + "/quote \"it's\" & <b>.wav", toPath: music + "/copy.wav")
        let page = music + "/map.html"
        let result = try CommandRunner.run("songatlas", ["map", music, "--out", page, "--no-cache", "--grid", "6x6",
                                                         "--keep-copies"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("most units will stay empty"), result.standardError)
        XCTAssertTrue(result.standardError.contains("same features"), result.standardError)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertFalse(html.contains(hostile))
        XCTAssertFalse(html.contains("<img src=x"))
        // Inside the music folder: relative, percent-encoded audio URLs.
        XCTAssertTrue(html.contains("quote%20%22it's%22%20&%20%3Cb%3E.wav") || html.contains("quote%20%22it"), html)

        let browser = try browserSelfTest(page)
        XCTAssertEqual(browser.errors, [])
        XCTAssertEqual(browser.songs, 2)
        XCTAssertTrue(browser.tooltip?.contains(hostile) == true, "the title shows as text: \(browser.tooltip ?? "nil")")
    }

    /// A WMA song: Chromium cannot play it, and the player line says so, with the reason, instead of silence.
    func testASongTheBrowserCannotPlaySaysWhyInThePlayerLine() throws {
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        let flac = music + "/a.flac"
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 4, sampleRate: 22050, amplitude: 0.3), to: flac,
                                  sampleRate: 22050, channelCount: 1, format: .flac16)
        try AudioFileWriter.write(Signals.sine(frequency: 1320, seconds: 4, sampleRate: 22050, amplitude: 0.3), to: music + "/b.flac",
                                  sampleRate: 22050, channelCount: 1, format: .flac16)
        // Last in path order, so the self-test's second click plays it.
        try FFmpegEncoder.encode(flac, to: music + "/z windows.wma", .wma)
        let page = directory.file("map.html")
        let result = try CommandRunner.run("songatlas", ["map", music, "--out", page, "--no-cache", "--quiet"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let document = try JSONDecoder().decode(SongMapDocument.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("map.json"))))
        XCTAssertEqual(document.songs.last.map { URL(fileURLWithPath: $0.path).lastPathComponent }, "z windows.wma")

        let browser = try browserSelfTest(page)
        XCTAssertEqual(browser.errors, [])
        let player = browser.text("player") ?? ""
        XCTAssertTrue(player.hasPrefix("Cannot play z windows: this browser cannot play this format"), player)
        XCTAssertTrue(player.contains("convert z windows.wma to one of them"), player)
        XCTAssertEqual(browser.report["playerProblem"] as? Bool, true)
        let errors = browser.report["mediaErrors"] as? [[String: Any]] ?? []
        XCTAssertEqual(errors.first?["song"] as? Int, document.songs.count - 1, "\(errors)")
        XCTAssertEqual(errors.first?["code"] as? Int, 4, "MEDIA_ERR_SRC_NOT_SUPPORTED: \(errors)")
    }

    /// With `--previews`, the WMA song gets a preview beside the page (map-previews/), and the page plays it.
    func testPreviewsMakeTheWMASongPlayInTheBrowser() throws {
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        let flac = music + "/a.flac"
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 4, sampleRate: 22050, amplitude: 0.3), to: flac,
                                  sampleRate: 22050, channelCount: 1, format: .flac16)
        try AudioFileWriter.write(Signals.sine(frequency: 1320, seconds: 4, sampleRate: 22050, amplitude: 0.3), to: music + "/b.flac",
                                  sampleRate: 22050, channelCount: 1, format: .flac16)
        try FFmpegEncoder.encode(flac, to: music + "/z windows.wma", .wma)
        let page = directory.file("map.html")
        let result = try CommandRunner.run("songatlas", ["map", music, "--out", page, "--no-cache", "--quiet",
                                                         "--previews", "--preview-seconds", "2"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let previews = try FileManager.default.contentsOfDirectory(atPath: directory.file("map-previews"))
            .filter { !$0.hasPrefix(".") }
        XCTAssertEqual(previews.count, 1, "only the WMA song needs a preview: \(previews)")
        let preview = directory.file("map-previews/" + (previews.first ?? ""))
        let seconds = Double(try AudioDecoder(path: preview).decodeAll().count) / Double(AnalysisRate.sampleRate)
        XCTAssertEqual(seconds, 2, accuracy: 0.06)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.contains("map-previews/" + (previews.first ?? "?")), "the page plays the preview")

        let browser = try browserSelfTest(page)
        XCTAssertEqual(browser.errors, [])
        let document = try JSONDecoder().decode(SongMapDocument.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("map.json"))))
        XCTAssertEqual(browser.report["playing"] as? Int, document.songs.count - 1,
                       "the WMA song's preview plays: \(browser.text("player") ?? "")")
        XCTAssertEqual((browser.report["mediaErrors"] as? [Any])?.count ?? 0, 0)
    }

    func testOneSongGivesAValidMapAndANote() throws {
        let result = try CommandRunner.run("songatlas", ["map", "SampleAudio/piano-01.flac", "--out",
                                                         directory.file("one.html"), "--no-cache"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("one song"), result.standardError)
        let document = try JSONDecoder().decode(SongMapDocument.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("one.json"))))
        XCTAssertEqual(document.songs.count, 1)
    }
}

extension MapCommandTests {
    /// ``syntheticSongMap(songCount:playlistFolder:)`` with its playlist entries relative to the test's folder.
    func syntheticDrawing(songCount: Int) -> (drawing: SongMapDrawing, songs: [SongMapDocument.Song]) {
        syntheticSongMap(songCount: songCount, playlistFolder: directory.path)
    }

    /// A page with 20,000 songs loads without a script error, draws every dot, answers a hover and a
    /// search, lists neighbours, draws a path and saves a lasso selection. Prints the page's own timings.
    func testTwentyThousandSongsRender() throws {
        let (drawing, songs) = syntheticDrawing(songCount: 20_000)
        let page = directory.file("large.html")
        let html = try drawing.html()
        try OutputDestination.resolve(page).write(html)
        let browser = try browserSelfTest(page)
        XCTAssertEqual(browser.errors, [])
        XCTAssertEqual(browser.songs, 20_000)
        XCTAssertEqual(browser.number("matches"), Double(songs.filter { $0.title!.contains(songs[0].title!) }.count))
        let document = SongMapDocument(featureVersion: 0, width: 70, height: 70, topology: SongMapDocument.Topology.rectangular, training: SongMapDocument.Training.batch,
                                       quantizationError: 0, topographicError: nil, clusters: [], notes: [], songs: songs,
                                       codebook: [], uMatrix: [])
        try checkSongMapSelfTest(browser, document: document, pageFolder: directory.path)
        print(String(format: "map page, 20000 songs: %d bytes; first render %.0f ms, script %.0f ms, hover %.1f ms, "
                        + "search %.1f ms, path of %d songs in %.1f ms", html.utf8.count, browser.milliseconds("firstRender") ?? -1,
                     browser.milliseconds("script") ?? -1, browser.milliseconds("hover") ?? -1,
                     browser.milliseconds("search") ?? -1, browser.integers("path")?.count ?? 0,
                     browser.milliseconds("path") ?? -1))
    }

    /// The page grows by the same number of bytes for every song added: linear in the songs.
    func testMapPageSizeGrowsLinearlyWithTheSongs() throws {
        let sizes = try [2_500, 5_000, 10_000].map { try syntheticDrawing(songCount: $0).drawing.html().utf8.count }
        let early = Double(sizes[1] - sizes[0]) / 2_500, late = Double(sizes[2] - sizes[1]) / 5_000
        print(String(format: "map page bytes per song: %.1f (2500→5000), %.1f (5000→10000)", early, late))
        XCTAssertEqual(late / early, 1, accuracy: 0.05)
    }
}
