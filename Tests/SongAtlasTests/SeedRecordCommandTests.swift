import AudioDecoding
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// Songs named only as seeds go into the cache as seed records: `similar` and
/// `path` without `--library` never recommend them, they still serve as seeds,
/// and a seed's failure is never reported as a change to the library.
final class SeedRecordCommandTests: XCTestCase {
    var directory: TemporaryDirectory!
    var music: String { directory.file("music") }
    var outsideSeed: String { directory.file("elsewhere/seed.wav") }
    var cache: String { directory.file("cache/library.sqlite") }

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.file("elsewhere"), withIntermediateDirectories: true)
        for (index, frequency) in [220.0, 262, 330, 392, 440].enumerated() {
            try AudioFileWriter.write(Signals.sine(frequency: frequency, seconds: 1), to: music + "/song\(index).wav",
                                      sampleRate: 22050)
        }
        // Nearest of all to song0: recommended first if it ever were a candidate.
        try AudioFileWriter.write(Signals.sine(frequency: 221, seconds: 1), to: outsideSeed, sampleRate: 22050)
        let library = try songatlas(["playlists", music, "--cache", cache, "--out", directory.file("lists"), "-k", "2", "-q"])
        XCTAssertEqual(library.status, 0, library.standardError)
    }

    override func tearDown() { directory.remove() }

    private func songatlas(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.run("songatlas", arguments)
    }

    /// The paths of a `similar` or `path` JSON document, by role.
    private func songs(_ result: CommandResult) throws -> [(path: String, role: String)] {
        struct Document: Decodable {
            struct Song: Decodable { var path: String; var role: String }
            var songs: [Song]
        }
        XCTAssertEqual(result.status, 0, result.standardError)
        return try JSONDecoder().decode(Document.self, from: Data(result.standardOutput.utf8)).songs.map { ($0.path, $0.role) }
    }

    func testASeedFromOutsideTheLibraryIsUsedAsASeedButNeverRecommended() throws {
        let seeded = try songs(songatlas(["similar", outsideSeed, "--cache", cache, "-n", "10", "--format", "json"]))
        XCTAssertEqual(seeded.first?.path, outsideSeed)
        XCTAssertEqual(seeded.first?.role, "seed")
        XCTAssertEqual(seeded.count, 6, "the seed and the five library songs: \(seeded)")

        // Later runs without --library search the library records only.
        let similar = try songs(songatlas(["similar", music + "/song0.wav", "--cache", cache, "-n", "10", "--format", "json"]))
        XCTAssertFalse(similar.contains { $0.path.hasSuffix("seed.wav") }, "\(similar)")
        XCTAssertEqual(similar.count, 5)
        let path = try songs(songatlas(["path", music + "/song0.wav", music + "/song4.wav", "--cache", cache, "-n", "10",
                                        "--format", "json"]))
        XCTAssertFalse(path.contains { $0.path.hasSuffix("seed.wav") }, "\(path)")
        XCTAssertEqual(path.count, 5)

        // The seed is still a seed: found in the cache, not analysed again.
        let again = try songs(songatlas(["similar", outsideSeed, "--cache", cache, "-n", "2", "--format", "json"]))
        XCTAssertEqual(again.first?.path, outsideSeed)

        // Once a library scan reaches it, it is a library song like any other.
        XCTAssertEqual(try songatlas(["analyze", directory.file("elsewhere"), "--cache", cache, "-q"]).status, 0)
        let nowLibrary = try songs(songatlas(["similar", music + "/song0.wav", "--cache", cache, "-n", "10",
                                              "--format", "json"]))
        XCTAssertTrue(nowLibrary.contains { $0.path == outsideSeed && $0.role == "similar" }, "\(nowLibrary)")
    }

    func testASeedsFailureIsNotReportedAsALibraryChange() throws {
        let notes = music + "/notes.txt"
        try "my notes".write(toFile: notes, atomically: true, encoding: .utf8)
        let seeded = try songatlas(["similar", notes, "--cache", cache, "-n", "3"])
        XCTAssertEqual(seeded.status, 1)
        XCTAssertTrue(seeded.standardError.contains("notes.txt: cannot be analysed"), seeded.standardError)

        let again = try songatlas(["playlists", music, "--cache", cache, "--out", directory.file("lists2"), "-k", "2"])
        XCTAssertEqual(again.status, 0, again.standardError)
        XCTAssertTrue(again.standardError.contains("analysed 0, cached 5, failed 0"), again.standardError)
        XCTAssertFalse(again.standardError.contains("dropped"), again.standardError)
        let listed = try songatlas(["cache", "list", notes, "--cache", cache])
        XCTAssertTrue(listed.standardOutput.hasPrefix("failed  seed"), listed.standardOutput)

        // Gone, it is dropped without a word too.
        try FileManager.default.removeItem(atPath: notes)
        let third = try songatlas(["playlists", music, "--cache", cache, "--out", directory.file("lists3"), "-k", "2"])
        XCTAssertFalse(third.standardError.contains("dropped"), third.standardError)
        XCTAssertEqual(try songatlas(["cache", "list", notes, "--cache", cache]).standardOutput, "no records\n")
    }
}
