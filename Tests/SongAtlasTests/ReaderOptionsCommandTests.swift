import Foundation
import TestSupport
import XCTest

/// Options that were read wrongly (issue 23, "Smaller"): `--highlight ''` taken as a path, and
/// `--weights` accepted silently where it has no effect, or with every weight 0.
final class ReaderOptionsCommandTests: XCTestCase {
    /// Both models, installed once for the class from the wheel scripts/setup downloads (as EmbeddingCommandTests does).
    nonisolated(unsafe) static var models: TemporaryDirectory?

    override class func setUp() {
        guard case let .success(wheel) = MusicnnWheelLocation.require(),
              let directory = try? TemporaryDirectory(prefix: "songatlas-models"),
              let result = try? CommandRunner.run("songatlas", ["model", "install", wheel.path, "--models", directory.path]),
              result.status == 0
        else { return }
        models = directory
    }

    override class func tearDown() { models?.remove() }

    var directory: TemporaryDirectory!
    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private let tracks = ["SampleAudio/dnb-01.flac", "SampleAudio/ambient-01.flac", "SampleAudio/chiptune-01.flac",
                          "SampleAudio/dnb-02.flac"]

    private func installedModels() throws -> String {
        guard let models = Self.models else {
            _ = try MusicnnWheelLocation.require().get()
            throw XCTSkip("the models could not be installed from the wheel")
        }
        return models.path
    }

    /// `--highlight ''` is the option's (invalid) value, never the track: refused before any work, naming the flag.
    func testEmptyHighlightIsRefusedNamingTheFlag() throws {
        for arguments in [["segment", "SampleAudio/piano-01.flac", "--highlight", ""],
                          ["segment", "--highlight", "", "SampleAudio/piano-01.flac"],
                          ["analyze", "--highlight", "", "SampleAudio/piano-01.flac"]] {
            let before = try FolderSnapshot(directory.url.path)
            let result = try CommandRunner.run("songatlas", arguments + ["-o", directory.file("out.json")])
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.standardError)")
            let firstLine = result.standardError.split(separator: "\n").first.map(String.init) ?? ""
            XCTAssertEqual(firstLine, "Error: The value '' is invalid for '--highlight <seconds>'", "\(arguments)")
            XCTAssertEqual(result.standardOutput, "")
            XCTAssertEqual(try FolderSnapshot(directory.url.path), before)
        }
        // Given alone, --highlight still means 30 s (the value is filled in before parsing).
        let alone = try CommandRunner.run("songatlas", ["segment", "SampleAudio/structured-abab.flac", "--highlight",
                                                        "--format", "audacity"])
        XCTAssertEqual(alone.status, 0, alone.standardError)
        XCTAssertTrue(alone.standardOutput.contains("\thighlight: "), alone.standardOutput)
    }

    func testWeightsAllZeroAreRefused() throws {
        let result = try CommandRunner.run("songatlas", ["playlists"] + tracks + [
            "--weights", "timbre=0,harmony=0,rhythm=0,loudness=0,texture=0", "--out", directory.file("out")])
        XCTAssertEqual(result.status, 64, result.standardError)
        XCTAssertEqual(result.standardError.split(separator: "\n").first.map(String.init),
                       "Error: --weights: every group has weight 0, so no feature would count; "
                           + "give at least one group a weight above 0")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("out")))
        // Some groups at 0 (the others keep their defaults) are fine.
        let some = try CommandRunner.run("songatlas", ["playlists"] + tracks + [
            "-k", "2", "--no-cache", "--weights", "timbre=0,harmony=0", "--out", directory.file("some")])
        XCTAssertEqual(some.status, 0, some.standardError)
        XCTAssertFalse(some.standardError.contains("--weights"), some.standardError)
    }

    /// Weights with the embedding alone (asked for, or chosen because a model is installed) get one note, and
    /// change nothing; with the hand-crafted features they count, with no note.
    func testWeightsWithTheEmbeddingGetOneNoteAndNoEffect() throws {
        let models = try installedModels()
        func playlists(_ extra: [String]) throws -> (note: [Substring], playlists: Any?) {
            let result = try CommandRunner.run("songatlas", ["playlists"] + tracks + [
                "-k", "2", "--no-cache", "--models", models, "--embedding-patches", "2", "--out", directory.file(UUID().uuidString),
                "--json"] + extra)
            XCTAssertEqual(result.status, 0, result.standardError)
            let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
            return (result.standardError.split(separator: "\n").filter { $0.contains("--weights") },
                    (document?["playlists"] as? [[String: Any]])?.map { ($0["tracks"] as? [[String: Any]])?.map { $0["path"] as? String } })
        }
        let plain = try playlists([])
        XCTAssertEqual(plain.note, [])
        let explicit = try playlists(["--features", "embedding", "--weights", "timbre=5,rhythm=0"])
        XCTAssertEqual(explicit.note, ["songatlas: --weights has no effect: songs are compared by the learned embedding; "
            + "the weights apply with --features handcrafted or both"])
        let chosen = try playlists(["--weights", "timbre=5,rhythm=0"])
        XCTAssertEqual(chosen.note, ["songatlas: --weights has no effect: songs are compared by the learned embedding "
            + "(chosen because a model is installed); the weights apply with --features handcrafted or both"])
        XCTAssertEqual("\(String(describing: explicit.playlists))", "\(String(describing: plain.playlists))")
        XCTAssertEqual("\(String(describing: chosen.playlists))", "\(String(describing: plain.playlists))")
        let both = try playlists(["--features", "both", "--weights", "timbre=5,rhythm=0"])
        XCTAssertEqual(both.note, [])
    }
}
