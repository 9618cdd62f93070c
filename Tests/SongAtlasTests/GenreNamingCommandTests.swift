import AudioDecoding
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `songatlas playlists` on files that carry genre tags, and on an album image whose cue sheet names a
/// performer per track: the tags name the playlists.
final class GenreNamingCommandTests: XCTestCase {
    var directory: TemporaryDirectory!
    let sampleRate = 22050

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// Three tones, three drum loops and three noises (3 s each, peak 0.5).
    func sounds() -> [(name: String, samples: [Float])] {
        let raw: [(String, [Float])] = [
            ("tone-1", Signals.sine(frequency: 220, seconds: 3, sampleRate: sampleRate)),
            ("tone-2", Signals.sine(frequency: 247, seconds: 3, sampleRate: sampleRate)),
            ("tone-3", Signals.sine(frequency: 262, seconds: 3, sampleRate: sampleRate)),
            ("drums-1", Signals.drumLoop(bpm: 110, seconds: 3, sampleRate: sampleRate, seed: 1)),
            ("drums-2", Signals.drumLoop(bpm: 120, seconds: 3, sampleRate: sampleRate, seed: 2)),
            ("drums-3", Signals.drumLoop(bpm: 130, seconds: 3, sampleRate: sampleRate, seed: 3)),
            ("noise-1", Signals.noise(seconds: 3, sampleRate: sampleRate, seed: 11)),
            ("noise-2", Signals.noise(seconds: 3, sampleRate: sampleRate, seed: 12)),
            ("noise-3", Signals.noise(seconds: 3, sampleRate: sampleRate, seed: 13)),
        ]
        return raw.map { name, samples in
            let peak = samples.map(abs).max() ?? 1
            return (name, samples.map { $0 / max(peak, 1e-6) * 0.5 })
        }
    }

    /// The playlists of `folder` (k = `k`, hand-crafted features): each one's name without its number, and the
    /// members' file names (or cue track titles).
    func playlists(_ folder: String, k: Int, _ extra: [String] = []) throws -> [(name: String, members: [String])] {
        let out = directory.file("out")
        let result = try CommandRunner.run("songatlas", ["playlists", folder, "-o", out, "--no-cache", "-k", String(k),
                                                         "--seed", "3", "--features", "handcrafted", "-q"] + extra)
        XCTAssertEqual(result.status, 0, result.standardError)
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/playlists.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return ((json["playlists"] as? [[String: Any]]) ?? []).map { playlist in
            let tracks = (playlist["tracks"] as? [[String: Any]]) ?? []
            return (String((playlist["name"] as? String ?? "").dropFirst(5)), tracks.map { track in
                track["title"] as? String ?? ((track["path"] as? String ?? "") as NSString).lastPathComponent
            })
        }
    }

    func testTaggedFilesNameTheirPlaylistsAndAMinorityTagDoesNot() throws {
        let folder = directory.file("music")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let genres = ["tone-1": "Classical", "tone-2": "classical", "tone-3": "Classical", "drums-1": "Hip-Hop",
                      "drums-2": "Hip Hop", "drums-3": "Hip-Hop", "noise-1": "Polka"]
        for sound in sounds() {
            try AudioFileWriter.write(sound.samples, to: "\(folder)/\(sound.name).flac", sampleRate: sampleRate,
                                      format: .flac16, genre: genres[sound.name])
        }
        let sets = try playlists(folder, k: 3)
        XCTAssertEqual(sets.map { Set($0.members.map { $0.prefix(4) }).count }, [1, 1, 1],
                       "one kind of sound a playlist: \(sets)")
        for playlist in sets {
            let words = playlist.name.components(separatedBy: ", ")
            switch playlist.members.first?.prefix(4) {
            case "tone": XCTAssertEqual(words.first, "classical", playlist.name)
            case "drum": XCTAssertEqual(words.first, "hip-hop", "the spelling most files use: \(playlist.name)")
            default: XCTAssertFalse(playlist.name.contains("polka"), "one of three is a minority: \(playlist.name)")
            }
        }
    }

    func testCueTracksAreNamedByTheirPerformerAndTheImagesGenre() throws {
        let folder = directory.file("image")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let tracks = sounds().filter { !$0.name.hasPrefix("drums") }
        try AudioFileWriter.write(tracks.flatMap(\.samples), to: folder + "/Album.flac", sampleRate: sampleRate,
                                  format: .flac16, title: "Album", artist: "Band", album: "Album", genre: "Folk")
        let sheet = "TITLE \"Album\"\nFILE \"Album.flac\" WAVE\n" + tracks.indices.map { index in
            "  TRACK 0\(index + 1) AUDIO\n    TITLE \"\(tracks[index].name)\"\n"
                + "    PERFORMER \"\(index < 3 ? "Anna" : "Bert")\"\n    INDEX 01 00:\(String(format: "%02d", index * 3)):00\n"
        }.joined()
        try sheet.write(toFile: folder + "/Album.cue", atomically: true, encoding: .utf8)
        // --keep-copies: tracks this short have no fingerprint, and the waveform check of proposed copies reads
        // the image's first seconds for every track of it (a known fault of the duplicates search), so
        // similar tracks of one image would be set aside as copies.
        let sets = try playlists(folder, k: 2, ["--keep-copies"])
        XCTAssertEqual(sets.map { Set($0.members.map { $0.prefix(4) }).count }, [1, 1],
                       "one kind of sound a playlist: \(sets)")
        XCTAssertEqual(sets.count, 2)
        for playlist in sets {
            XCTAssertEqual(playlist.members.count, 3, "\(sets)")
            let performer = playlist.members.allSatisfy { $0.hasPrefix("tone") } ? "Anna" : "Bert"
            XCTAssertTrue(playlist.name.hasPrefix("Mostly \(performer): "), "the sheet's performer: \(playlist.name)")
            XCTAssertTrue(playlist.name.contains("folk"), "the image's genre tag: \(playlist.name)")
        }
        let firstWords = sets.map { $0.name.components(separatedBy: ": ").last!.components(separatedBy: ", ")[0] }
        XCTAssertEqual(firstWords.filter { $0 == "folk" }.count, 1, "\(sets.map(\.name))")
        XCTAssertEqual(Set(firstWords).count, 2)
    }
}
