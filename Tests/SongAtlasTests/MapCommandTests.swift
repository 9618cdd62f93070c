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
        try checkNeighboursPathAndSelection(browser, document: document, pageFolder: directory.path)
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

    /// What the page's self-test did after clicking the first song: its neighbours listed, a walk to the
    /// first of them, a path to the last song, and a lasso around the left half saved as a playlist.
    func checkNeighboursPathAndSelection(_ browser: BrowserSelfTestResult, document: SongMapDocument, pageFolder: String,
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        let songs = document.songs
        XCTAssertEqual(browser.integers("neighbours"), songs[0].neighbours.map(\.song), file: file, line: line)
        if let nearest = songs[0].neighbours.first {
            XCTAssertTrue(browser.text("neighbourText")?.contains(String(format: "similarity %.2f", nearest.similarity)) == true,
                          browser.text("neighbourText") ?? "nil", file: file, line: line)
            XCTAssertEqual(browser.number("walked"), Double(nearest.song), file: file, line: line)
        }
        let from = Int(browser.number("pathFrom") ?? -1), to = Int(browser.number("pathTo") ?? -1)
        let path = try XCTUnwrap(browser.integers("path"), "no path: \(browser.text("pathNote") ?? "")", file: file, line: line)
        XCTAssertEqual(path.first, from, file: file, line: line)
        XCTAssertEqual(path.last, to, file: file, line: line)
        XCTAssertEqual(browser.number("pathPoints"), Double(path.count), "the line goes through every song of the path",
                       file: file, line: line)
        for (a, b) in zip(path, path.dropFirst()) {
            XCTAssertTrue(songs[a].neighbours.contains { $0.song == b } || songs[b].neighbours.contains { $0.song == a },
                          "step \(a) → \(b) is not between neighbours", file: file, line: line)
        }
        // The self-test drew a rectangle (lassoRight is its intended right edge); mouse events carry whole
        // pixels, so the songs inside are those inside the rectangle the page reports it drew.
        let right = try XCTUnwrap(browser.number("lassoRight"), file: file, line: line)
        let corners = try XCTUnwrap(browser.report["lasso"] as? [[Double]], file: file, line: line)
        let xs = corners.map { $0[0] }, ys = corners.map { $0[1] }
        let inside = songs.indices.filter {
            songs[$0].x > xs.min()! && songs[$0].x < xs.max()! && songs[$0].y > ys.min()! && songs[$0].y < ys.max()!
        }
        XCTAssertEqual(xs.max()!, right, accuracy: 0.5, "the lasso's right edge", file: file, line: line)
        XCTAssertFalse(inside.isEmpty, file: file, line: line)
        let picked = browser.integers("picked") ?? []
        XCTAssertEqual(picked.count, inside.count, file: file, line: line)
        XCTAssertEqual(Array(Set(picked).symmetricDifference(inside).sorted().prefix(10)), [],
                       "songs picked or left out wrongly (lasso right edge \(right)): "
                        + Set(picked).symmetricDifference(inside).sorted().prefix(5).map { "\(songs[$0].x),\(songs[$0].y)" }
                        .joined(separator: " "), file: file, line: line)
        // Relative paths in map.json are relative to where songatlas ran.
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : repositoryRoot.path + "/" + path }
        let expected = M3U8Playlist(entries: inside.map {
            M3U8Playlist.Entry(path: absolute(songs[$0].path), durationSeconds: songs[$0].durationSeconds ?? -1,
                               displayTitle: SongTitle.display(title: songs[$0].title, artist: songs[$0].artist, path: songs[$0].path))
        }).rendered(playlistFolder: pageFolder, relativeRoot: nil)
        XCTAssertTrue(browser.text("download") == expected, "the saved playlist differs from M3U8Playlist's:\n"
                        + String((browser.text("download") ?? "nil").prefix(400)), file: file, line: line)
        // The file the browser saved, when it finished before the browser closed.
        if let saved = browser.downloads["selection.m3u8"] {
            XCTAssertTrue(saved == expected, "the downloaded file differs: " + String(saved.prefix(400)), file: file, line: line)
        }
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
    /// A synthetic map of `songCount` songs spread over a 69×69 plane, each with its ten nearest songs on
    /// the plane as neighbours (found through 1×1 buckets), and its playlist entry.
    func syntheticDrawing(songCount: Int) -> (drawing: SongMapDrawing, songs: [SongMapDocument.Song]) {
        var generator = SeededGenerator(seed: 3)
        let side = 70
        let cells = (0..<(side * side)).map { index in
            SongMapDrawing.Cell(x: Double(index / side), y: Double(index % side), height: generator.nextUnit())
        }
        var songs = (0..<songCount).map { index in
            SongMapDocument.Song(path: "/music/\(index).flac", title: "Song \(index)", artist: "Artist \(index % 97)",
                                 cluster: index % 9, unit: 0, gridX: 0, gridY: 0,
                                 x: generator.nextUnit() * 69, y: generator.nextUnit() * 69, durationSeconds: 180)
        }
        var buckets: [Int: [Int]] = [:]
        func bucket(_ x: Double, _ y: Double) -> Int { Int(x) * 100 + Int(y) }
        for (index, song) in songs.enumerated() { buckets[bucket(song.x, song.y), default: []].append(index) }
        for index in songs.indices {
            let song = songs[index]
            var candidates: [(distance: Double, song: Int)] = []
            for dx in -2...2 {
                for dy in -2...2 {
                    for other in buckets[bucket(song.x, song.y) + dx * 100 + dy] ?? [] where other != index {
                        candidates.append(((songs[other].x - song.x).magnitude + (songs[other].y - song.y).magnitude, other))
                    }
                }
            }
            songs[index].neighbours = candidates.sorted { $0 < $1 }.prefix(10).map {
                SongMapDocument.Neighbour(song: $0.song, similarity: exp(-($0.distance / 3) * ($0.distance / 3)),
                                          distance: $0.distance)
            }
        }
        let entries = songs.map {
            String(M3U8Playlist(entries: [M3U8Playlist.Entry(path: $0.path, durationSeconds: 180,
                                                             displayTitle: SongTitle.display(title: $0.title, artist: $0.artist, path: $0.path))])
                .rendered(playlistFolder: directory.path, relativeRoot: nil).dropFirst("#EXTM3U\n".count))
        }
        let drawing = SongMapDrawing(title: "Large", hexagonal: false, cells: cells, songs: songs,
                                     sources: songs.map { "file://" + $0.path }, clusterNames: (0..<9).map { "Playlist \($0)" },
                                     playlistEntries: entries)
        return (drawing, songs)
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
        XCTAssertEqual(browser.tooltip?.hasPrefix("Artist 0 – Song 0"), true, browser.tooltip ?? "nil")
        XCTAssertEqual(browser.number("matches"), Double(songs.filter { $0.title!.contains(songs[0].title!) }.count))
        let document = SongMapDocument(featureVersion: 0, width: 70, height: 70, topology: SongMapDocument.Topology.rectangular, training: SongMapDocument.Training.batch,
                                       quantizationError: 0, topographicError: nil, clusters: [], notes: [], songs: songs,
                                       codebook: [], uMatrix: [])
        try checkNeighboursPathAndSelection(browser, document: document, pageFolder: directory.path)
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
