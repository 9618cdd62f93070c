import AudioDecoding
import Features
import Foundation
@testable import Library
import TestSupport
import XCTest

/// A fused embedding through the cache: each part is kept on its own, so a
/// fused run after a run of one part computes only the other.
final class CachedFusedEmbeddingTests: XCTestCase {
    var directory: TemporaryDirectory!
    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    private let files = ["dnb-01.flac", "ambient-01.flac", "chiptune-01.flac"]
        .map { root.appendingPathComponent("SampleAudio/\($0)").path }

    private func weights() throws -> (mtt: MusicnnWeights, msd: MusicnnWeights) {
        let wheel = try MusicnnWheelLocation.require().get()
        let store = ModelStore(directory: URL(fileURLWithPath: directory.file("models")))
        _ = try store.install(wheel: wheel)
        return (try store.loadWeights(.mtt), try store.loadWeights(.msd))
    }

    func testFusedRunAfterAnMTTRunComputesOnlyMSD() throws {
        let (mtt, msd) = try weights()
        let budget = PatchBudget.evenlySpaced(1)
        let cachePath = directory.file("library.sqlite")
        let first = LibraryAnalyzer.analyze(paths: files, cache: try FeatureCache(path: cachePath),
                                            embedding: EmbeddingSetup(weights: mtt, patchBudget: budget), jobs: 2)
        XCTAssertEqual(first.analyzedCount, files.count)

        // Mark each cached MTT embedding: a recomputed one would not carry the mark.
        let cache = try FeatureCache(path: cachePath)
        var marks: [String: [Float]] = [:]
        for (path, entry) in try cache.loadAll() {
            guard case var .analyzed(track) = entry.outcome, var value = track.embedding(.mtt, patchBudget: budget) else {
                return XCTFail("\(path) has no cached MTT embedding")
            }
            value.values = (0..<value.values.count).map { Float($0 % 7) * 0.25 + Float(path.count % 5) }
            marks[path] = value.values
            track.setEmbedding(value)
            try cache.store(.analyzed(track), for: entry.key)
        }
        XCTAssertEqual(marks.count, files.count)

        let fused = EmbeddingSetup(model: .mttMSD, weights: mtt, otherWeights: [msd], patchBudget: budget)
        let second = LibraryAnalyzer.analyze(paths: files, cache: try FeatureCache(path: cachePath), embedding: fused, jobs: 2)
        XCTAssertEqual(second.analyzedCount, 0)
        XCTAssertEqual(second.cachedCount, files.count)
        XCTAssertEqual(second.embeddedCount, files.count, "the MSD part is computed for every cached track")
        for track in second.tracks {
            let parts = try XCTUnwrap(track.embeddings(.mttMSD, patchBudget: budget), track.path)
            XCTAssertEqual(parts.map(\.model), [.mtt, .msd])
            XCTAssertEqual(parts[0].values, marks[track.path], "the MTT part comes from the cache, not the network")
            XCTAssertEqual(parts[1].values.count, MusicnnModel.msd.dimension)
            XCTAssertGreaterThan(parts[1].values.map(abs).max() ?? 0, 0)
        }

        // Both parts are now cached: a third run computes nothing.
        let third = LibraryAnalyzer.analyze(paths: files, cache: try FeatureCache(path: cachePath), embedding: fused, jobs: 2)
        XCTAssertEqual(third.embeddedCount, 0)
        XCTAssertEqual(third.cachedCount, files.count)
    }

    func testSetupRunningOnlyMissingPartsKeepsTheModel() throws {
        let (mtt, msd) = try weights()
        let fused = EmbeddingSetup(model: .mttMSD, weights: mtt, otherWeights: [msd])
        let onlyMSD = try XCTUnwrap(fused.running(only: [.msd]))
        XCTAssertNil(fused.running(only: []), "no network to run")
        XCTAssertEqual(onlyMSD.model, .mttMSD)
        XCTAssertEqual(onlyMSD.parts.map(\.identity), [EmbeddingNetworkIdentity.msd])
        XCTAssertEqual(onlyMSD.makeExtractor().models, [.msd])
    }
}
