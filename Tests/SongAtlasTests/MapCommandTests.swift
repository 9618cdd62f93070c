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
        // Written outside the music folder: songs play through absolute file URLs.
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.contains("file:///"), "expected absolute audio URLs")
        XCTAssertFalse(html.contains("http://") && html.contains("<script src"), "the page must not load anything")

        let browser = try browserSelfTest(page)
        XCTAssertEqual(browser.errors, [])
        XCTAssertEqual(browser.songs, 18)
        let first = document.songs[0]
        XCTAssertTrue(browser.tooltip?.contains(first.title!) == true, "tooltip \(browser.tooltip ?? "nil")")
    }

    func testHostileTitlesAreEscapedAndTheMapStaysValid() throws {
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        let hostile = "<script>alert(1)</script>"
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 3), to: music + "/quote \"it's\" & <b>.wav",
                                  sampleRate: 22050, title: hostile, artist: "\"Bobby\" </title><img src=x onerror=alert(2)>")
        // A second song identical to the first: they share one spot, with a note.
        try FileManager.default.copyItem(atPath: music + "/quote \"it's\" & <b>.wav", toPath: music + "/copy.wav")
        let page = music + "/map.html"
        let result = try CommandRunner.run("songatlas", ["map", music, "--out", page, "--no-cache", "--grid", "6x6"])
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
    /// A page with 20,000 songs still loads, draws every dot and answers a hover.
    func testTwentyThousandSongsRender() throws {
        var generator = SeededGenerator(seed: 3)
        let side = 700
        let cells = (0..<(side / 10 * side / 10)).map { index in
            SongMapDrawing.Cell(x: Double(index / (side / 10)), y: Double(index % (side / 10)), height: generator.nextUnit())
        }
        let songs = (0..<20_000).map { index in
            SongMapDocument.Song(path: "/music/\(index).flac", title: "Song \(index)", artist: "Artist \(index % 97)",
                                 cluster: index % 9, unit: 0, gridX: 0, gridY: 0,
                                 x: generator.nextUnit() * 69, y: generator.nextUnit() * 69)
        }
        let drawing = SongMapDrawing(title: "Large", hexagonal: false, cells: cells, songs: songs,
                                     sources: songs.map { "file://" + $0.path }, clusterNames: (0..<9).map { "Playlist \($0)" })
        let page = directory.file("large.html")
        try OutputDestination.resolve(page).write(try drawing.html())
        let browser = try browserSelfTest(page)
        XCTAssertEqual(browser.errors, [])
        XCTAssertEqual(browser.songs, 20_000)
        XCTAssertEqual(browser.tooltip?.hasPrefix("Artist 0 – Song 0"), true, browser.tooltip ?? "nil")
    }
}
