import Export
import Foundation
import TestSupport
import XCTest

/// `songatlas similar` on a small generated library.
final class SimilarCommandTests: XCTestCase {
    var directory: TemporaryDirectory!
    var fixture: SongListFixture!
    var cache: String { directory.file("cache.sqlite") }

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        fixture = try SongListFixture(in: directory)
    }

    override func tearDown() { directory.remove() }

    /// The fixture holds an exact copy of sine-220 on purpose (`sine-220 copy.wav`), which the duplicate search
    /// groups: `--keep-copies` keeps every file (OneCopyCommandTests covers the rule).
    func similar(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.run("songatlas", ["similar"] + arguments + ["--cache", cache, "--keep-copies"])
    }

    func document(_ result: CommandResult) throws -> SongListDocument {
        try JSONDecoder().decode(SongListDocument.self, from: Data(result.standardOutput.utf8))
    }

    func testNearestSongsWithoutTheSeedsCopies() throws {
        let result = try similar([fixture.sine220, "--library", fixture.music, "-n", "5", "--format", "json",
                                  "--max-per-artist", "0", "--max-per-album", "0"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let list = try document(result)
        XCTAssertEqual(list.kind, .similar)
        XCTAssertEqual(list.features, .handcrafted)
        XCTAssertEqual(list.songs.first?.role, .seed)
        XCTAssertEqual(list.songs.first?.path, fixture.sine220)
        let found = list.songs.dropFirst()
        XCTAssertEqual(found.count, 5)
        XCTAssertFalse(found.contains { $0.path == fixture.copy }, "the copy of the seed is a near-duplicate")
        // The nearest songs of a sine are the other sines.
        XCTAssertTrue(found.prefix(3).allSatisfy { $0.path.contains("/sine-") }, "\(found.map(\.path))")
        let similarities = found.map { $0.similarity! }
        XCTAssertTrue(similarities.allSatisfy { (0...1).contains($0) })
        XCTAssertEqual(similarities, similarities.sorted(by: >))
        XCTAssertTrue(found.allSatisfy { $0.seed == fixture.sine220 })

        // Kept when asked: the copy is the nearest song, at distance 0 and similarity 1.
        let kept = try document(try similar([fixture.sine220, "--library", fixture.music, "-n", "2", "--format", "json",
                                             "--keep-duplicates", "--max-per-artist", "0", "--max-per-album", "0"]))
        XCTAssertEqual(kept.songs[1].path, fixture.copy)
        XCTAssertEqual(kept.songs[1].similarity!, 1, accuracy: 1e-9)
    }

    func testMoreThanTheLibraryGivesTheWholeLibraryAndCapsApply() throws {
        let all = try similar([fixture.sine220, "--library", fixture.music, "-n", "1000", "--format", "json",
                               "--max-per-artist", "0", "--max-per-album", "0"])
        XCTAssertEqual(all.status, 0, all.standardError)
        // Every song but the seed and its copy.
        XCTAssertEqual(try document(all).songs.count - 1, fixture.files.count - 2)
        XCTAssertTrue(all.standardError.contains("only 13 of the 1000 songs asked for were found; left out: 1 near-duplicates"),
                      all.standardError)
        // Default caps: 3 per artist, 2 per album.
        let capped = try document(try similar([fixture.sine220, "--library", fixture.music, "-n", "1000", "--format", "json"]))
        let found = capped.songs.dropFirst()
        for artist in Set(found.compactMap(\.artist)) { XCTAssertLessThanOrEqual(found.count { $0.artist == artist }, 3) }
        for album in Set(found.compactMap(\.album)) { XCTAssertLessThanOrEqual(found.count { $0.album == album }, 2) }
        XCTAssertEqual(found.count { $0.artist == "Sines" }, 3)
    }

    func testSeveralSeedsTakeTurnsAndASeedTwiceCountsOnce() throws {
        let result = try similar([fixture.sine220, fixture.drums174, fixture.sine220, "--library", fixture.music, "-n", "6",
                                  "--format", "json", "--max-per-artist", "0", "--max-per-album", "0"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let list = try document(result)
        XCTAssertEqual(list.songs.filter { $0.role == .seed }.map(\.path), [fixture.sine220, fixture.drums174])
        let found = list.songs.filter { $0.role == .similar }
        XCTAssertEqual(found.map(\.seed), [fixture.sine220, fixture.drums174, fixture.sine220, fixture.drums174,
                                           fixture.sine220, fixture.drums174])
    }

    func testASeedOutsideTheLibraryIsAnalysedAndAnUndecodableOneIsAnError() throws {
        let outside = try SongListFixture(in: directory, folder: "elsewhere")
        let result = try similar([outside.drums174, "--library", fixture.music, "-n", "3", "--format", "json",
                                  "--max-per-artist", "0", "--max-per-album", "0", "--keep-duplicates"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let list = try document(result)
        XCTAssertEqual(list.songs[0].path, outside.drums174)
        // Its twin in the library is the nearest song.
        XCTAssertEqual(list.songs[1].path, fixture.drums174)

        let broken = directory.file("broken.wav")
        try Data("not audio".utf8).write(to: URL(fileURLWithPath: broken))
        let failed = try similar([broken, "--library", fixture.music])
        XCTAssertEqual(failed.status, 1)
        XCTAssertEqual(failed.standardError.split(separator: "\n").last.map(String.init)?.hasPrefix("songatlas: \(broken): cannot be analysed"),
                       true, failed.standardError)
        XCTAssertEqual(failed.standardOutput, "")
    }

    func testBadCountsAndNoCacheAreOneLineErrors() throws {
        for count in ["0", "-3"] {
            let result = try similar([fixture.sine220, "--library", fixture.music, "-n", count])
            XCTAssertEqual(result.status, 64)
            XCTAssertTrue(result.standardError.hasPrefix("Error: -n must be at least 1, got \(count)\n"), result.standardError)
        }
        let folder = try similar([fixture.music, "--library", fixture.music, "-q"])
        XCTAssertEqual(folder.status, 1)
        XCTAssertEqual(folder.standardError, "songatlas: \(fixture.music) is a folder; name songs (audio files) here, "
            + "folders with --library\n")
        let noCache = try CommandRunner.run("songatlas", ["similar", fixture.sine220, "--no-cache"])
        XCTAssertEqual(noCache.status, 64)
        XCTAssertTrue(noCache.standardError.contains("--no-cache needs --library"), noCache.standardError)
    }

    func testWithoutALibraryTheCacheIsSearchedAndOutputsGoToFiles() throws {
        // Fill the cache once.
        XCTAssertEqual(try similar([fixture.sine220, "--library", fixture.music, "-q"]).status, 0)
        let playlist = directory.file("radio.m3u8")
        let result = try similar([fixture.sine220, "-n", "4", "-o", playlist])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("songatlas: \(fixture.files.count) songs from the feature cache"),
                      result.standardError)
        XCTAssertEqual(result.standardOutput, "")
        let text = try String(contentsOfFile: playlist, encoding: .utf8)
        let entries = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        XCTAssertEqual(entries.first, fixture.sine220, text)
        XCTAssertEqual(entries.count, 5)
        XCTAssertTrue(entries.allSatisfy { FileManager.default.fileExists(atPath: $0) })

        let csv = directory.file("radio.csv")
        XCTAssertEqual(try similar([fixture.sine220, "-n", "4", "-o", csv, "-q"]).status, 0)
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.first, "position,role,similarity,distance,artist,title,album,durationSeconds,path,uri")
        XCTAssertEqual(rows.count, 6)

        let text2 = try similar([fixture.sine220, "-n", "2", "-q"])
        XCTAssertTrue(text2.standardOutput.hasPrefix("2 songs like Sines - Tone 220 (hand-crafted features)"), text2.standardOutput)
    }

    func testAnUnreachableMPDIsOneLineAfterTheOutputIsWritten() throws {
        let output = directory.file("list.json")
        let port = try PlayerCompatibilityTests.freePort()
        let result = try similar([fixture.sine220, "--library", fixture.music, "-n", "3", "-o", output, "--mpd",
                                  "--mpd-host", "127.0.0.1:\(port)", "-q"])
        XCTAssertEqual(result.status, 1)
        let lines = result.standardError.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.standardError)
        XCTAssertTrue(lines[0].hasPrefix("songatlas: cannot reach MPD at 127.0.0.1:\(port): "), result.standardError)
        XCTAssertTrue(lines[0].hasSuffix("; the other outputs are written"), result.standardError)
        let written = try JSONDecoder().decode(SongListDocument.self, from: Data(contentsOf: URL(fileURLWithPath: output)))
        XCTAssertEqual(written.songs.count, 4)
        let replaceAlone = try similar([fixture.sine220, "--mpd-replace"])
        XCTAssertTrue(replaceAlone.standardError.hasPrefix("Error: --mpd-replace needs --mpd\n"), replaceAlone.standardError)
    }
}
