import AudioDecoding
import Export
import Foundation
import TestSupport
import XCTest

/// `playlists`, `map`, `similar` and `path` use one copy of each recording: a small library of
/// SampleAudio tracks holds a FLAC, its MP3 and an exact copy of the FLAC under a later name, and
/// no playlist, map, song list or path holds two of them. `--keep-copies` brings them back.
final class OneCopyCommandTests: XCTestCase {
    var directory: TemporaryDirectory!
    var music: String { directory.file("music") }
    var cache: String { directory.file("cache.sqlite") }
    var original: String { music + "/piano-01.flac" }
    var mp3: String { music + "/piano-01.mp3" }
    var exactCopy: String { music + "/piano-01_copy.flac" }
    var copies: Set<String> { [original, mp3, exactCopy] }
    static let others = ["piano-02", "dnb-01", "dnb-02", "chiptune-01", "ambient-01", "percussion-01"]
    let setAsideLine = "songatlas: set aside 2 duplicate copies (songatlas duplicates lists them)"

    override func setUpWithError() throws {
        guard FFmpegEncoder.executable != nil else { throw XCTSkip("no ffmpeg") }
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        let sample = { (name: String) in repositoryRoot.appendingPathComponent("SampleAudio/\(name).flac").path }
        try FileManager.default.copyItem(atPath: sample("piano-01"), toPath: original)
        try FileManager.default.copyItem(atPath: sample("piano-01"), toPath: exactCopy)
        try FFmpegEncoder.run(["-nostdin", "-v", "error", "-y", "-i", original, "-c:a", "libmp3lame", "-b:a", "192k", mp3])
        for name in Self.others { try FileManager.default.copyItem(atPath: sample(name), toPath: music + "/\(name).flac") }
    }

    override func tearDown() { directory?.remove() }

    private func songatlas(_ arguments: [String]) throws -> CommandResult {
        let result = try CommandRunner.run("songatlas", arguments + ["--cache", cache, "--embedding", "none"])
        XCTAssertEqual(result.status, 0, "\(arguments): \(result.standardError)")
        return result
    }

    /// The copies of piano-01 among `paths`.
    private func copiesIn(_ paths: [String]) -> [String] { paths.filter(copies.contains) }

    func testPlaylistsHoldOneCopy() throws {
        let result = try songatlas(["playlists", music, "--out", directory.file("out"), "-k", "3"])
        XCTAssertTrue(result.standardError.contains(setAsideLine), result.standardError)
        let document = try PlaylistDocument.read(directory.file("out/playlists.json"))
        let paths = document.playlists.flatMap { $0.tracks.map(\.path) }
        XCTAssertEqual(paths.count, Self.others.count + 1, "\(paths)")
        XCTAssertEqual(copiesIn(paths), [original], "lossless, then path order: the FLAC that sorts first")

        let quiet = try songatlas(["playlists", music, "--out", directory.file("quiet"), "-k", "3", "-q"])
        XCTAssertFalse(quiet.standardError.contains("set aside"), quiet.standardError)

        let every = try songatlas(["playlists", music, "--out", directory.file("every"), "-k", "3", "--keep-copies"])
        XCTAssertFalse(every.standardError.contains("set aside"), every.standardError)
        let all = try PlaylistDocument.read(directory.file("every/playlists.json")).playlists.flatMap { $0.tracks.map(\.path) }
        XCTAssertEqual(Set(copiesIn(all)), copies)
    }

    func testASeedSongIsKeptInPlaceOfItsCopies() throws {
        let result = try songatlas(["playlists", music, "--out", directory.file("out"), "--seed-song", mp3])
        XCTAssertTrue(result.standardError.contains(setAsideLine), result.standardError)
        let paths = try PlaylistDocument.read(directory.file("out/playlists.json")).playlists.flatMap { $0.tracks.map(\.path) }
        XCTAssertEqual(copiesIn(paths), [mp3])
    }

    func testTheMapHoldsOneCopy() throws {
        struct Summary: Decodable { var songs: Int }
        let result = try songatlas(["map", music, "--out", directory.file("map.html"), "--json"])
        XCTAssertTrue(result.standardError.contains(setAsideLine), result.standardError)
        XCTAssertEqual(try JSONDecoder().decode(Summary.self, from: Data(result.standardOutput.utf8)).songs,
                       Self.others.count + 1)
        let page = try String(contentsOfFile: directory.file("map.html"), encoding: .utf8)
        XCTAssertFalse(page.contains("piano-01.mp3") || page.contains("piano-01_copy"), "a copy is on the map")
        let every = try songatlas(["map", music, "--out", directory.file("every.html"), "--json", "--keep-copies"])
        XCTAssertEqual(try JSONDecoder().decode(Summary.self, from: Data(every.standardOutput.utf8)).songs,
                       Self.others.count + 3)
        let everyPage = try String(contentsOfFile: directory.file("every.html"), encoding: .utf8)
        XCTAssertTrue(everyPage.contains("piano-01.mp3") && everyPage.contains("piano-01_copy"), "the page names its files")
    }

    func testSimilarListsNoCopyOfASeedOrOfAListedSong() throws {
        let all = ["-n", "100", "--max-per-artist", "0", "--max-per-album", "0", "--keep-duplicates", "--format", "json"]
        func list(_ arguments: [String]) throws -> (paths: [String], standardError: String) {
            let result = try songatlas(["similar"] + arguments + all)
            let document = try JSONDecoder().decode(SongListDocument.self, from: Data(result.standardOutput.utf8))
            return (document.paths, result.standardError)
        }
        // Near-duplicates kept (--keep-duplicates), copies still not: the seed's copies are set aside.
        let fromLibrary = try list([original, "--library", music])
        XCTAssertEqual(copiesIn(fromLibrary.paths), [original], "\(fromLibrary.paths)")
        XCTAssertEqual(fromLibrary.paths.count, Self.others.count + 1)
        XCTAssertTrue(fromLibrary.standardError.contains(setAsideLine), fromLibrary.standardError)
        // A copy as the seed, and the cache (filled above as a library) as the library.
        let fromCache = try list([mp3])
        XCTAssertEqual(copiesIn(fromCache.paths), [mp3], "\(fromCache.paths)")
        XCTAssertEqual(fromCache.paths.count, Self.others.count + 1)
        let every = try list([original, "--library", music, "--keep-copies"])
        XCTAssertEqual(Set(copiesIn(every.paths)), copies)
    }

    func testAPathHoldsOneCopy() throws {
        func path(_ arguments: [String]) throws -> [String] {
            let result = try songatlas(["path"] + arguments + ["--library", music, "--format", "json"])
            return try JSONDecoder().decode(SongListDocument.self, from: Data(result.standardOutput.utf8)).paths
        }
        let dnb = music + "/dnb-01.flac"
        // Asking for more songs than the library has gives all of it: one copy of piano-01.
        let whole = try path([dnb, music + "/ambient-01.flac", "-n", "20"])
        XCTAssertEqual(copiesIn(whole), [original], "\(whole)")
        XCTAssertEqual(whole.count, Self.others.count + 1)
        let fromCopy = try path([mp3, dnb, "-n", "20"])
        XCTAssertEqual(copiesIn(fromCopy), [mp3], "\(fromCopy)")
        let every = try path([dnb, music + "/ambient-01.flac", "-n", "20", "--keep-copies"])
        XCTAssertEqual(Set(copiesIn(every)), copies)
    }
}
