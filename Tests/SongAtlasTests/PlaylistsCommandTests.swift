import Clustering
import Export
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `songatlas playlists` and `songatlas evaluate clusters`.
final class PlaylistsCommandTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testACacheNamedWithoutAFolderLivesInTheCurrentFolder() throws {
        // `--cache c.sqlite` once failed ("cannot create folder ''") and ran without a cache.
        let music = repositoryRoot.appendingPathComponent("SampleAudio").path
        let arguments = ["map", music, "--out", "map/map.html", "--cache", "c.sqlite", "--quiet"]
        let here = URL(fileURLWithPath: directory.path)
        let first = try CommandRunner.run("songatlas", arguments, in: here)
        XCTAssertEqual(first.status, 0, first.standardError)
        XCTAssertFalse(first.standardError.contains("without a cache"), first.standardError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("c.sqlite")))
        let second = try CommandRunner.run("songatlas", ["playlists", music, "--out", "lists", "--cache", "c.sqlite"], in: here)
        XCTAssertTrue(second.standardError.contains("analysed 0, cached 18, failed 0"), second.standardError)
    }

    func testPlaylistsOfSampleAudioThenCachedRerunThenEvaluate() throws {
        let out = directory.file("out")
        let cache = directory.file("cache.sqlite")
        let arguments = ["playlists", "SampleAudio", "--out", out, "--cache", cache, "--labels", "SampleAudio/labels.csv",
                         "--seed", "3"]
        let first = try CommandRunner.run("songatlas", arguments)
        XCTAssertEqual(first.status, 0, first.standardError)
        XCTAssertTrue(first.standardError.contains("analysed 18, cached 0, failed 0"), first.standardError)
        XCTAssertTrue(first.standardOutput.contains("against 18 labelled tracks: ARI"), first.standardOutput)

        let document = try JSONDecoder().decode(
            PlaylistDocument.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/playlists.json")))
        XCTAssertEqual(document.playlists.map(\.tracks.count).reduce(0, +), 18)
        XCTAssertGreaterThanOrEqual(document.playlists.count, 3)
        for playlist in document.playlists {
            let m3u = try String(contentsOfFile: out + "/" + playlist.file, encoding: .utf8)
            XCTAssertTrue(m3u.hasPrefix("#EXTM3U\n#EXTINF:"))
            // Written outside the music folder: absolute paths that exist.
            for line in m3u.split(separator: "\n") where !line.hasPrefix("#") {
                XCTAssertTrue(FileManager.default.fileExists(atPath: String(line)), String(line))
            }
        }
        let csv = try String(contentsOfFile: out + "/playlists.csv", encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 19)
        // The style groups come out mostly intact.
        XCTAssertGreaterThan(document.metrics.agreement!.adjustedRandIndex, 0.5)

        let second = try CommandRunner.run("songatlas", arguments)
        XCTAssertTrue(second.standardError.contains("analysed 0, cached 18, failed 0"), second.standardError)
        // The same library again: an update that changes nothing, with the same playlists.
        XCTAssertTrue(second.standardOutput.hasPrefix("kept \(document.playlists.count) playlists: +0 songs, −0 gone, "
            + "0 moved\n"), second.standardOutput)
        let listing = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("  ") } }
        XCTAssertEqual(listing(second.standardOutput), listing(first.standardOutput))

        let evaluation = try CommandRunner.run(
            "songatlas", ["evaluate", "clusters", out + "/playlists.json", "--labels", "SampleAudio/labels.csv", "--json"])
        XCTAssertEqual(evaluation.status, 0, evaluation.standardError)
        let scores = try JSONDecoder().decode(PlaylistDocument.Agreement.self, from: Data(evaluation.standardOutput.utf8))
        XCTAssertEqual(scores, document.metrics.agreement)
    }

    func testEmptyFolderAndTooLargeKGiveClearErrors() throws {
        let empty = directory.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let none = try CommandRunner.run("songatlas", ["playlists", empty, "--out", directory.file("o"), "--no-cache"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.standardError.contains("no tracks could be analysed; no playlists written"), none.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("o")))

        let tooMany = try CommandRunner.run("songatlas", [
            "playlists", "SampleAudio/piano-01.flac", "SampleAudio/dnb-01.flac", "-k", "3", "--no-cache",
            "--out", directory.file("o")])
        XCTAssertEqual(tooMany.status, 64)
        XCTAssertTrue(tooMany.standardError.contains("-k 3 asks for more playlists than there are songs (2)"),
                      tooMany.standardError)
        let badK = try CommandRunner.run("songatlas", ["playlists", "SampleAudio", "-k", "many"])
        XCTAssertEqual(badK.status, 64)
    }

    func testACacheThatIsNotOursIsReportedAndLeftAlone() throws {
        let cache = directory.file("cache.sqlite")
        let text = "this is not a database, it is a text file that happens to be here"
        try text.write(toFile: cache, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run("songatlas", [
            "playlists", "SampleAudio/piano-01.flac", "SampleAudio/piano-02.flac", "--cache", cache,
            "--out", directory.file("o")])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("this is not a SongAtlas cache"), result.standardError)
        XCTAssertTrue(result.standardError.contains("analysed 2, cached 0"), result.standardError)
        XCTAssertEqual(try String(contentsOfFile: cache, encoding: .utf8), text)
    }
}
