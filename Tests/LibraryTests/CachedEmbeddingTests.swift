import Features
@testable import Library
import TestSupport
import XCTest

/// The cache keeps every model's embedding next to the summary, and trusts
/// none of another model, version or patch budget.
final class CachedEmbeddingTests: XCTestCase {
    var directory: TemporaryDirectory!
    var cachePath: String { directory.file("library.sqlite") }

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func embedding(_ model: MusicnnModel, offset: Float, budget: PatchBudget = .default,
                           version: Int = SongEmbedding.version) -> SongEmbedding {
        SongEmbedding(model: model, version: version,
                      values: (0..<MusicnnModel.embeddingDimensionCount).map { Float($0) * 0.01 + offset },
                      tagProbabilities: (0..<model.tags.count).map { Float($0) / 50 }, patchCount: 4,
                      isPadded: false, patchBudget: budget)
    }

    private func track(_ embeddings: [SongEmbedding]) -> TrackAnalysis {
        TrackAnalysis(path: "/music/a.flac", format: "FLAC/PCM_16", durationSeconds: 200, sampleRate: 44100,
                      channelCount: 2, analyzedSeconds: 200,
                      summary: SongSummary(values: [Float](repeating: 0.5, count: SummaryLayout.current.dimensionCount)),
                      embeddings: embeddings)
    }

    private let key = CacheKey(path: "/music/a.flac", sizeBytes: 1, modifiedSeconds: 0,
                               featureVersion: SongSummary.version, excerptSeconds: 0)

    private func stored(_ track: TrackAnalysis) throws -> TrackAnalysis {
        try FeatureCache(path: cachePath).store(.analyzed(track), for: key)
        guard case let .analyzed(loaded)? = try FeatureCache(path: cachePath).loadAll()[key.path]?.outcome else {
            XCTFail("no analysed entry")
            return track
        }
        return loaded
    }

    func testBothModelsComeBackBitForBit() throws {
        let original = track([embedding(.msd, offset: -1), embedding(.mtt, offset: 2, budget: .all)])
        let loaded = try stored(original)
        XCTAssertEqual(loaded, original)
        XCTAssertEqual(loaded.embedding(.mtt, patchBudget: .all)?.values.map(\.bitPattern),
                       original.embeddings[1].values.map(\.bitPattern))
        XCTAssertNil(loaded.embedding(.mtt, patchBudget: .evenlySpaced(5)), "another budget is not the same embedding")
    }

    func testEmbeddingOfAnotherVersionIsDropped() throws {
        let loaded = try stored(track([embedding(.msd, offset: 0, version: SongEmbedding.version + 1)]))
        XCTAssertEqual(loaded.embeddings, [], "another version may not be trusted")
        XCTAssertEqual(loaded.summary.values.count, SummaryLayout.current.dimensionCount, "the summary stays")
    }

    func testAnEmbeddingOfTheWrongShapeMakesTheRecordDamaged() throws {
        var short = embedding(.mtt, offset: 0)
        short.values.removeLast()
        try FeatureCache(path: cachePath).store(.analyzed(track([embedding(.msd, offset: 0), short])), for: key)
        let cache = try FeatureCache(path: cachePath)
        XCTAssertNil(try cache.loadAll()[key.path], "a record SongAtlas could not have written is analysed again")
        XCTAssertEqual(cache.notes.count, 1, cache.notes.joined(separator: "\n"))
        XCTAssertTrue(cache.notes[0].contains("the musicnn-mtt embedding has 796 bytes"), cache.notes[0])
    }

    func testRecordWithoutEmbeddingsStillDecodes() throws {
        // A record written before there were embeddings has no "embeddings" key.
        var record = try JSONSerialization.jsonObject(with: JSONEncoder().encode(CachedTrack(track([])))) as! [String: Any]
        XCTAssertNil(record["embeddings"])
        record["embeddings"] = nil
        let data = try JSONSerialization.data(withJSONObject: record)
        let decoded = try JSONDecoder().decode(CachedTrack.self, from: data)
        XCTAssertEqual(decoded.track(path: "/music/a.flac")?.embeddings, [])
    }

    func testSettingAnEmbeddingReplacesOnlyItsModel() {
        var value = track([embedding(.msd, offset: 0), embedding(.mtt, offset: 0)])
        value.setEmbedding(embedding(.mtt, offset: 9, budget: .all))
        XCTAssertEqual(value.embeddings.map(\.model), [.msd, .mtt])
        XCTAssertEqual(value.embeddings[1].patchBudget, .all)
        XCTAssertEqual(value.embeddings[0].values.first, 0)
    }

    func testPatchBudgetRoundTripsThroughItsDescription() {
        for budget in [PatchBudget.all, .evenlySpaced(1), .evenlySpaced(37)] {
            XCTAssertEqual(PatchBudget(description: budget.description), budget)
        }
        for text in ["0", "-3", "", "five", "All"] { XCTAssertNil(PatchBudget(description: text), text) }
    }
}
