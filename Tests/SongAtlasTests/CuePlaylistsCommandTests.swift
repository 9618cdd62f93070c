import AudioDecoding
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `songatlas playlists` on an album image (one FLAC of four generated tracks and its
/// `.cue`), as a user runs it: one song per cue track, M3U8 range entries (or sheet
/// entries with `--cue-entries sheet`), `track`/`start`/`end` in JSON and CSV, and the
/// same playlists as from the loose track files.
final class CuePlaylistsCommandTests: XCTestCase {
    var directory: TemporaryDirectory!
    let sampleRate = 44100
    let trackSeconds = 3.0

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        let raw: [[Float]] = [
            Signals.sine(frequency: 220, seconds: trackSeconds, sampleRate: sampleRate),
            Signals.drumLoop(bpm: 120, seconds: trackSeconds, sampleRate: sampleRate),
            Signals.sine(frequency: 233, seconds: trackSeconds, sampleRate: sampleRate),
            Signals.noise(seconds: trackSeconds, sampleRate: sampleRate, seed: 9),
        ]
        // Peaks at 0.5: FLAC holds 16-bit integers.
        let tracks = raw.map { samples in
            let peak = samples.map(abs).max() ?? 1
            return samples.map { $0 / max(peak, 1e-6) * 0.5 }
        }
        for folder in ["image", "loose"] {
            try FileManager.default.createDirectory(atPath: directory.file(folder), withIntermediateDirectories: true)
        }
        try AudioFileWriter.write(tracks.flatMap { $0 }, to: directory.file("image/Album.flac"), sampleRate: sampleRate,
                                  format: .flac16, title: "Album", artist: "Band", album: "Album")
        for (index, samples) in tracks.enumerated() {
            try AudioFileWriter.write(samples, to: directory.file("loose/\(index + 1).flac"), sampleRate: sampleRate,
                                      format: .flac16)
        }
        let sheet = "TITLE \"Album\"\nFILE \"Album.flac\" WAVE\n" + (0..<4).map { index in
            "  TRACK 0\(index + 1) AUDIO\n    TITLE \"Song \(index + 1)\"\n    INDEX 01 00:0\(index * 3):00\n"
        }.joined()
        try sheet.write(toFile: directory.file("image/Album.cue"), atomically: true, encoding: .utf8)
    }

    override func tearDown() { directory.remove() }

    private func playlists(_ folder: String, _ extra: [String] = []) throws -> (json: [String: Any], out: String) {
        let out = directory.file("out-\(folder)-\(extra.joined())")
        let result = try CommandRunner.run("songatlas", ["playlists", directory.file(folder), "-o", out, "--no-cache",
                                                         "-k", "2", "--seed", "3", "--features", "handcrafted", "-q"] + extra)
        XCTAssertEqual(result.status, 0, result.standardError)
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/playlists.json"))
        return (try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any]), out)
    }

    private func tracks(_ json: [String: Any]) -> [[[String: Any]]] {
        ((json["playlists"] as? [[String: Any]]) ?? []).map { ($0["tracks"] as? [[String: Any]]) ?? [] }
    }

    func testAnAlbumImageGivesOneEntryPerTrackAndTheLooseTracksPlaylists() throws {
        let image = try playlists("image")
        let imageTracks = tracks(image.json)
        XCTAssertEqual(imageTracks.flatMap { $0 }.count, 4, "one song per cue track, the image not also whole")
        for track in imageTracks.flatMap({ $0 }) {
            let number = try XCTUnwrap(track["track"] as? Int)
            XCTAssertEqual(track["path"] as? String, directory.file("image/Album.flac"))
            XCTAssertEqual(try XCTUnwrap(track["start"] as? Double), Double(number - 1) * trackSeconds, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(track["end"] as? Double), Double(number) * trackSeconds, accuracy: 1e-9)
            XCTAssertEqual(track["title"] as? String, "Song \(number)")
            XCTAssertEqual(track["artist"] as? String, "Band", "the performer falls back to the file's tag")
        }
        // M3U8: each entry carries VLC's range after its #EXTINF line.
        let files = try FileManager.default.contentsOfDirectory(atPath: image.out).filter { $0.hasSuffix(".m3u8") }
        let text = try files.map { try String(contentsOfFile: image.out + "/" + $0, encoding: .utf8) }.joined()
        XCTAssertEqual(text.components(separatedBy: "#EXTVLCOPT:start-time=").count - 1, 4)
        XCTAssertTrue(text.contains("#EXTINF:3,Band - Song 2\n#EXTVLCOPT:start-time=3\n#EXTVLCOPT:stop-time=6\n"), text)
        let csv = try String(contentsOfFile: image.out + "/playlists.csv", encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("playlist,position,path,title,artist,album,duration_seconds,distance_to_centroid,uri,track,start,end\n"), csv)

        // The same songs as loose files make the same playlists, in the same order.
        let loose = tracks(try playlists("loose").json)
        let fromImage = imageTracks.map { $0.compactMap { $0["track"] as? Int } }
        let fromLoose = loose.map { $0.compactMap { Int((($0["path"] as? String ?? "") as NSString).lastPathComponent.prefix(1)) } }
        XCTAssertEqual(fromImage, fromLoose)
        XCTAssertEqual(fromImage.flatMap { $0 }.sorted(), [1, 2, 3, 4])
    }

    func testSheetEntriesNameTheCueFileAndTheTrack() throws {
        let image = try playlists("image", ["--cue-entries", "sheet"])
        let files = try FileManager.default.contentsOfDirectory(atPath: image.out).filter { $0.hasSuffix(".m3u8") }
        let text = try files.map { try String(contentsOfFile: image.out + "/" + $0, encoding: .utf8) }.joined()
        XCTAssertFalse(text.contains("#EXTVLCOPT"))
        XCTAssertTrue(text.contains("#EXTINF:3,2. Band - Song 2\n"), text)
        XCTAssertEqual(text.components(separatedBy: "Album.cue\n").count - 1, 4, text)
    }

    func testAnalyzeWritesEachCueTracksNumberAndRange() throws {
        let report = directory.file("report.json")
        let result = try CommandRunner.run("songatlas", ["analyze", directory.file("image"), "--no-cache", "-q", "-o", report])
        XCTAssertEqual(result.status, 0, result.standardError)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        let tracks = try XCTUnwrap(object?["tracks"] as? [[String: Any]])
        XCTAssertEqual(tracks.compactMap { $0["track"] as? Int }, [1, 2, 3, 4])
        for track in tracks {
            let number = try XCTUnwrap(track["track"] as? Int)
            XCTAssertEqual(try XCTUnwrap(track["start"] as? Double), Double(number - 1) * trackSeconds, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(track["end"] as? Double), Double(number) * trackSeconds, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(track["durationSeconds"] as? Double), trackSeconds, accuracy: 1e-9)
        }
        let whole = directory.file("whole.json")
        XCTAssertEqual(try CommandRunner.run("songatlas", ["analyze", directory.file("image"), "--no-cache", "-q",
                                                           "--ignore-cue", "-o", whole]).status, 0)
        let wholeTracks = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: whole)))
            as? [String: Any])?["tracks"] as? [[String: Any]])
        XCTAssertEqual(wholeTracks.count, 1)
        XCTAssertNil(wholeTracks.first?["track"], "a whole file has no cue track")
    }

    func testSimilarTakesACueTrackAsItsSeed() throws {
        let result = try CommandRunner.run("songatlas", [
            "similar", directory.file("image/Album.cue") + "#2", "--library", directory.file("loose"), "--no-cache",
            "-q", "--features", "handcrafted", "--format", "m3u8", "-n", "2"])
        XCTAssertEqual(result.status, 0, result.standardError)
        // The seed comes first: the image's second track, with its range.
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines.dropFirst().prefix(4)), [
            "#EXTINF:3,Band - Song 2", "#EXTVLCOPT:start-time=3", "#EXTVLCOPT:stop-time=6",
            directory.file("image/Album.flac"),
        ], result.standardOutput)
        XCTAssertEqual(lines.count, 1 + 4 + 2 * 2, "the seed (a range entry) and two whole songs")
        let missing = try CommandRunner.run("songatlas", [
            "similar", directory.file("image/Album.cue") + "#9", "--library", directory.file("loose"), "--no-cache", "-q",
            "--features", "handcrafted"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.standardError.contains("no audio track 9"), missing.standardError)
    }

    /// `similar` and `path` over an album image: M3U8 range entries, `track`/`start`/`end` in
    /// JSON and CSV (CSV columns only when a cue track is listed).
    func testSimilarAndPathListCueTracksWithTheirRanges() throws {
        func run(_ arguments: [String]) throws -> String {
            let result = try CommandRunner.run("songatlas", arguments + ["--no-cache", "-q", "--features", "handcrafted"])
            XCTAssertEqual(result.status, 0, result.standardError)
            return result.standardOutput
        }
        let image = directory.file("image")
        // The image's tracks share their artist and album: no caps. The seed is a copy of the image's
        // first track: the one-copy rule sets that track aside, and only that one (a song is its file and
        // track number), so the other three are found.
        let uncapped = ["--max-per-artist", "0", "--max-per-album", "0"]
        let json = try run(["similar", directory.file("loose/1.flac"), "--library", image, "--format", "json", "-n", "3"]
                           + uncapped)
        let songs = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["songs"]
            as? [[String: Any]])
        XCTAssertEqual(songs.count, 4, json)
        XCTAssertNil(songs[0]["track"], "the seed is a whole file")
        let found = songs.dropFirst()
        XCTAssertEqual(Set(found.compactMap { $0["track"] as? Int }), [2, 3, 4], json)
        for song in found {
            let number = try XCTUnwrap(song["track"] as? Int)
            XCTAssertEqual(try XCTUnwrap(song["start"] as? Double), Double(number - 1) * trackSeconds, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(song["end"] as? Double), Double(number) * trackSeconds, accuracy: 1e-9)
            XCTAssertEqual(song["title"] as? String, "Song \(number)")
        }

        let csv = try run(["similar", directory.file("loose/1.flac"), "--library", image, "--format", "csv", "-n", "3"]
                          + uncapped)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        XCTAssertEqual(rows.first?.suffix(3).map(String.init), ["track", "start", "end"], csv)
        XCTAssertEqual(rows.dropFirst().first?.suffix(3).map(String.init), ["", "", ""], "the whole-file seed")
        XCTAssertEqual(rows.dropFirst(2).map { Int($0[$0.count - 3]) != nil }, [true, true, true], csv)
        let looseCSV = try run(["similar", directory.file("loose/1.flac"), "--library", directory.file("loose"),
                                "--format", "csv", "-n", "2"])
        XCTAssertFalse(looseCSV.split(separator: "\n").first?.contains("track") ?? true, "no cue columns without cue tracks")

        let m3u8 = try run(["path", image + "/Album.cue#1", image + "/Album.cue#4", "--library", image,
                            "--format", "m3u8"])
        let lines = m3u8.split(separator: "\n").map(String.init)
        let starts = lines.filter { $0.hasPrefix("#EXTVLCOPT:start-time=") }
        let stops = lines.filter { $0.hasPrefix("#EXTVLCOPT:stop-time=") }
        XCTAssertEqual(starts.first, "#EXTVLCOPT:start-time=0", m3u8)
        XCTAssertEqual(stops.last, "#EXTVLCOPT:stop-time=12", m3u8)
        XCTAssertEqual(starts.count, lines.filter { $0.hasPrefix("#EXTINF:") }.count, "every entry is a range")
        XCTAssertGreaterThanOrEqual(starts.count, 2, m3u8)
    }
}
