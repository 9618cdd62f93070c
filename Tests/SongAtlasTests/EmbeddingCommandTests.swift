import Foundation
import TestSupport
import XCTest

/// The learned embedding through the commands a user runs: shown by
/// `analyze`, compared by `playlists`, kept per model in the cache, and a
/// missing or damaged model that never fails a run.
final class EmbeddingCommandTests: XCTestCase {
    /// Both models, installed once for the whole class from the wheel scripts/setup downloads.
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

    private func installedModels() throws -> String {
        guard let models = Self.models else {
            _ = try MusicnnWheelLocation.require().get()     // fails with how to get the wheel
            throw XCTSkip("the models could not be installed from the wheel")
        }
        return models.path
    }

    private func songatlas(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.run("songatlas", arguments)
    }

    private let tracks = ["SampleAudio/dnb-01.flac", "SampleAudio/ambient-01.flac", "SampleAudio/chiptune-01.flac",
                          "SampleAudio/dnb-02.flac", "SampleAudio/ambient-02.flac", "SampleAudio/chiptune-02.flac"]

    func testAnalyzeShowsTheEmbeddingAndEveryTagHighestFirst() throws {
        let models = try installedModels()
        let result = try songatlas(["analyze", tracks[0], "--models", models, "--quiet"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as! [String: Any]
        let track = (document["tracks"] as! [[String: Any]])[0]
        let embedding = track["embedding"] as! [String: Any]
        XCTAssertEqual(embedding["model"] as? String, "musicnn-mtt", "MTT is the default when installed")
        let values = embedding["values"] as! [Double]
        XCTAssertEqual(values.count, 200)
        XCTAssertTrue(values.allSatisfy(\.isFinite))
        XCTAssertGreaterThan(values.map(abs).max()!, 0)
        let tags = track["tags"] as! [[String: Any]]
        XCTAssertEqual(tags.count, 50)
        let probabilities = tags.map { $0["probability"] as! Double }
        XCTAssertEqual(probabilities, probabilities.sorted(by: >), "highest first")
        XCTAssertTrue(probabilities.allSatisfy { (0...1).contains($0) })

        let csv = try songatlas(["analyze", tracks[0], "--models", models, "--embedding", "msd", "--format", "csv", "--quiet"])
        XCTAssertEqual(csv.status, 0, csv.standardError)
        let lines = csv.standardOutput.split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        XCTAssertEqual(header.filter { $0.hasPrefix("emb_") }.count, 200)
        XCTAssertEqual(Array(header.suffix(4)), ["tag_1", "tag_2", "tag_3", "error"])
        let row = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(row.count, header.count)
        let topTags = ["tag_1", "tag_2", "tag_3"].map { row[header.firstIndex(of: $0)!] }
        XCTAssertEqual(Set(topTags).count, 3, "three different tags")
        XCTAssertTrue(topTags.allSatisfy { !$0.isEmpty })
    }

    func testPlaylistsCompareByTheEmbeddingAndCacheEveryModel() throws {
        let models = try installedModels()
        let cache = directory.file("library.sqlite")
        func playlists(_ extra: [String]) throws -> (CommandResult, [String: Any]) {
            // Each run changes the model or the features: a recluster, not an update.
            let result = try songatlas(["playlists"] + tracks + ["-k", "3", "--cache", cache, "--models", models,
                                                                 "--out", directory.file("out"), "--json", "--recluster"] + extra)
            XCTAssertEqual(result.status, 0, result.standardError)
            let json = (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))) as? [String: Any] ?? [:]
            return (result, json)
        }
        let (first, document) = try playlists([])
        XCTAssertEqual(document["features"] as? String, "embedding")
        XCTAssertEqual(document["embeddingModel"] as? String, "musicnn-mtt")
        XCTAssertFalse(first.standardError.contains("no embedding model"), first.standardError)
        XCTAssertTrue(first.standardError.contains("analysed 6, cached 0, failed 0"), first.standardError)

        // Another model: the summaries come from the cache, only the embeddings are computed.
        let (second, msd) = try playlists(["--embedding", "msd"])
        XCTAssertEqual(msd["embeddingModel"] as? String, "musicnn-msd")
        XCTAssertTrue(second.standardError.contains("analysed 0, cached 6, embedding computed for 6 cached, failed 0"),
                      second.standardError)
        // Back to MTT: both are kept, nothing is computed.
        let (third, _) = try playlists(["--embedding", "mtt"])
        XCTAssertTrue(third.standardError.contains("analysed 0, cached 6, failed 0"), third.standardError)
        // The hand-crafted features on request.
        let (_, handcrafted) = try playlists(["--features", "handcrafted"])
        XCTAssertEqual(handcrafted["features"] as? String, "handcrafted")
        XCTAssertNil(handcrafted["embeddingModel"])
    }

    func testFusedModelAfterAnMTTRunComputesOnlyTheMissingPart() throws {
        let models = try installedModels()
        let cache = directory.file("library.sqlite")
        func playlists(_ extra: [String]) throws -> (CommandResult, [String: Any]) {
            let result = try songatlas(["playlists"] + tracks + ["-k", "3", "--cache", cache, "--models", models,
                                                                 "--embedding-patches", "2", "--recluster",
                                                                 "--out", directory.file("out"), "--json"] + extra)
            XCTAssertEqual(result.status, 0, result.standardError)
            let json = (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))) as? [String: Any] ?? [:]
            return (result, json)
        }
        let (first, _) = try playlists(["--embedding", "mtt"])
        XCTAssertTrue(first.standardError.contains("analysed 6, cached 0, failed 0"), first.standardError)
        let (second, fused) = try playlists(["--embedding", "mtt+msd"])
        XCTAssertEqual(fused["embeddingModel"] as? String, "musicnn-mtt+msd")
        XCTAssertEqual(fused["features"] as? String, "embedding")
        XCTAssertTrue(second.standardError.contains("analysed 0, cached 6, embedding computed for 6 cached, failed 0"),
                      second.standardError)
        // Both parts cached now; MSD alone needs nothing either.
        for model in ["mtt+msd", "msd"] {
            let (again, _) = try playlists(["--embedding", model])
            XCTAssertTrue(again.standardError.contains("analysed 0, cached 6, failed 0"), again.standardError)
        }

        let analyze = try songatlas(["analyze", tracks[0], "--models", models, "--embedding", "mtt+msd",
                                     "--embedding-patches", "2", "--quiet"])
        XCTAssertEqual(analyze.status, 0, analyze.standardError)
        let document = try JSONSerialization.jsonObject(with: Data(analyze.standardOutput.utf8)) as! [String: Any]
        let track = (document["tracks"] as! [[String: Any]])[0]
        let parts = try XCTUnwrap(track["embeddingParts"] as? [[String: Any]])
        XCTAssertEqual(parts.map { $0["model"] as? String }, ["musicnn-mtt", "musicnn-msd"])
        XCTAssertEqual(parts.map { ($0["values"] as? [Double])?.count }, [200, 200])
        XCTAssertEqual(parts.map { ($0["tags"] as? [Any])?.count }, [50, 50])
        XCTAssertEqual((track["embedding"] as? [String: Any])?["model"] as? String, "musicnn-mtt")

        let csv = try songatlas(["analyze", tracks[0], "--models", models, "--embedding", "mtt+msd",
                                 "--embedding-patches", "2", "--format", "csv", "--quiet"])
        let header = csv.standardOutput.split(separator: "\n")[0].split(separator: ",")
        XCTAssertEqual(header.filter { $0.hasPrefix("emb_") }.count, 400)
    }

    func testTheAutomaticChoiceIsMSDWhenOnlyMSDIsInstalled() throws {
        let models = try installedModels()
        let onlyMSD = try TemporaryDirectory(prefix: "songatlas-msd-only")
        defer { onlyMSD.remove() }
        try FileManager.default.copyItem(atPath: models + "/musicnn-msd.weights", toPath: onlyMSD.file("musicnn-msd.weights"))
        let result = try songatlas(["analyze", tracks[0], "--models", onlyMSD.path, "--embedding-patches", "1"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertFalse(result.standardError.contains("no embedding model"), result.standardError)
        let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as! [String: Any]
        let track = (document["tracks"] as! [[String: Any]])[0]
        XCTAssertEqual((track["embedding"] as? [String: Any])?["model"] as? String, "musicnn-msd")

        // Asking for the fused model with one network missing names the missing file and goes on.
        let fused = try songatlas(["analyze", tracks[0], "--models", onlyMSD.path, "--embedding", "mtt+msd"])
        XCTAssertEqual(fused.status, 0, fused.standardError)
        XCTAssertTrue(fused.standardError.contains("musicnn-mtt"), fused.standardError)
        XCTAssertTrue(fused.standardError.contains("going on with the hand-crafted features"), fused.standardError)
    }

    func testNoModelFallsBackToTheHandcraftedFeaturesWithOneLine() throws {
        let empty = try TemporaryDirectory(prefix: "songatlas-no-models")
        defer { empty.remove() }
        let result = try songatlas(["playlists"] + tracks + ["-k", "2", "--no-cache", "--models", empty.path,
                                                             "--out", directory.file("out"), "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let notes = result.standardError.split(separator: "\n").filter { $0.contains("no embedding model is installed") }
        XCTAssertEqual(notes.count, 1, result.standardError)
        XCTAssertTrue(notes[0].contains("songatlas model install"), String(notes[0]))
        let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as! [String: Any]
        XCTAssertEqual(document["features"] as? String, "handcrafted")
    }

    func testDamagedWeightsAreNamedAndTheRunGoesOn() throws {
        let models = try installedModels()
        let copy = try TemporaryDirectory(prefix: "songatlas-damaged-models")
        defer { copy.remove() }
        let weights = copy.file("musicnn-mtt.weights")
        let original = try Data(contentsOf: URL(fileURLWithPath: models + "/musicnn-mtt.weights"))
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: weights))
        let before = try Data(contentsOf: URL(fileURLWithPath: weights))

        let result = try songatlas(["playlists"] + tracks + ["-k", "2", "--no-cache", "--models", copy.path,
                                                             "--embedding", "mtt", "--out", directory.file("out"), "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains(weights), result.standardError)
        XCTAssertTrue(result.standardError.contains("reinstall"), result.standardError)
        XCTAssertTrue(result.standardError.contains("going on with the hand-crafted features"), result.standardError)
        let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as! [String: Any]
        XCTAssertEqual(document["features"] as? String, "handcrafted")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: weights)), before, "the damaged file is left alone")
    }

    func testInvalidEmbeddingOptionsAreOneLine() throws {
        for arguments in [["--embedding", "none", "--embedding-patches", "3"], ["--embedding-patches", "0"],
                          ["--embedding-patches", "some"], ["--embedding", "vggish"], ["--features", "colour"]] {
            let result = try songatlas(["playlists", "SampleAudio", "--no-cache", "--out", directory.file("out")] + arguments)
            XCTAssertNotEqual(result.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(result.standardError.hasPrefix("Error: "), result.standardError)
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("out")))
        }
    }
}
