import Clustering
import Features
import Library
@testable import SongAtlas
import XCTest

/// The feature space with a learned embedding: used raw, combined with the
/// hand-crafted summary at equal spread, or replaced by the summary with a note.
final class EmbeddingSpaceTests: XCTestCase {
    private let key = FeatureSpace.EmbeddingKey(model: .mtt)

    /// A track whose summary varies with `index` and whose embedding is `values` (padded with zeros).
    private func track(_ index: Int, embedding values: [Float]?, tags: [Int: Float] = [:]) -> TrackAnalysis {
        var summary = [Float](repeating: 0, count: SummaryLayout.current.dimensionCount)
        for column in summary.indices { summary[column] = Float((index * 7 + column * 3) % 11) }
        summary[SummaryLayout.current.index(of: .tempoBPM)] = 120
        let embeddings: [SongEmbedding] = values.map { values in
            var probabilities = [Float](repeating: 0.05, count: MusicnnModel.mtt.tags.count)
            for (tag, probability) in tags { probabilities[tag] = probability }
            return [SongEmbedding(model: .mtt, values: values + [Float](repeating: 0, count: 200 - values.count),
                                  tagProbabilities: probabilities, patchCount: 5)]
        } ?? []
        return TrackAnalysis(path: "/music/\(index).flac", format: "FLAC", durationSeconds: 60, sampleRate: 44100,
                             channelCount: 2, analyzedSeconds: 60, summary: SongSummary(values: summary),
                             embeddings: embeddings)
    }

    func testEmbeddingIsUsedAsTheNetworkGivesIt() {
        let tracks = [track(0, embedding: [3, 4]), track(1, embedding: [0, 0]), track(2, embedding: [1, 1])]
        let placed = FeatureSpace(features: .embedding, embedding: key).place(tracks)
        XCTAssertEqual(placed.features, .embedding)
        XCTAssertEqual(placed.points.columnCount, 200)
        XCTAssertEqual(Array(placed.points.row(0).prefix(2)), [3, 4], "not z-scored")
        XCTAssertEqual(placed.notes, [])
    }

    func testBothGivesEachBlockUnitSpread() {
        let tracks = (0..<6).map { track($0, embedding: [Float($0) * 10, 1]) }
        let placed = FeatureSpace(features: .both, embedding: key).place(tracks)
        let handcraftedCount = SummaryLayout.current.dimensionCount
        XCTAssertEqual(placed.points.columnCount, handcraftedCount + 200)
        func spread(_ columns: Range<Int>) -> Double {
            var total = 0.0
            for column in columns {
                let values = (0..<6).map { Double(placed.points[$0, column]) }
                let mean = values.reduce(0, +) / 6
                total += values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 6
            }
            return total
        }
        XCTAssertEqual(spread(0..<handcraftedCount), 1, accuracy: 1e-4)
        XCTAssertEqual(spread(handcraftedCount..<(handcraftedCount + 200)), 1, accuracy: 1e-4)
    }

    func testMissingEmbeddingFallsBackWithANote() {
        let tracks = [track(0, embedding: [1]), track(1, embedding: nil), track(2, embedding: [2])]
        let placed = FeatureSpace(features: .embedding, embedding: key).place(tracks)
        XCTAssertEqual(placed.features, .handcrafted)
        XCTAssertEqual(placed.points.columnCount, SummaryLayout.current.dimensionCount)
        XCTAssertEqual(placed.notes.count, 1)
        XCTAssertTrue(placed.notes[0].contains("1 of 3 songs have no musicnn-mtt embedding"), placed.notes[0])

        let noModel = FeatureSpace(features: .embedding, embedding: nil).place(tracks)
        XCTAssertEqual(noModel.features, .handcrafted)
        XCTAssertEqual(noModel.notes.count, 1)
    }

    func testEmbeddingOfAnotherBudgetIsNotUsed() {
        let tracks = [track(0, embedding: [1]), track(1, embedding: [2])]
        let placed = FeatureSpace(features: .embedding, embedding: .init(model: .mtt, patchBudget: .all)).place(tracks)
        XCTAssertEqual(placed.features, .handcrafted)
    }

    func testPlaylistsAreNamedByTheTagsThatSetThemApart() throws {
        let tags = MusicnnModel.mtt.tags
        let techno = tags.firstIndex(of: "techno")!, electronic = tags.firstIndex(of: "electronic")!
        let piano = tags.firstIndex(of: "piano")!, classical = tags.firstIndex(of: "classical")!
        let classic = tags.firstIndex(of: "classic")!, quiet = tags.firstIndex(of: "quiet")!
        // Two well-separated groups; "quiet" is equally high everywhere, so it names neither.
        let tracks = (0..<4).map { track($0, embedding: [10, Float($0) * 0.1], tags: [techno: 0.9, electronic: 0.8, quiet: 0.7]) }
            + (4..<8).map { track($0, embedding: [-10, Float($0) * 0.1], tags: [piano: 0.9, classical: 0.6, classic: 0.5, quiet: 0.7]) }
        var builder = PlaylistBuilder()
        builder.clusterCount = 2
        builder.space = FeatureSpace(features: .embedding, embedding: key)
        let set = try builder.build(tracks)
        XCTAssertEqual(Set(set.playlists.map { String($0.name.dropFirst("01 - ".count)) }),
                       ["techno, electronic", "piano, classical"],
                       "synonyms (classical, classic) name once; a tag high everywhere names nothing")
    }

    func testWithoutDistinctiveTagsTheDescriptorWordsRemain() throws {
        let tracks = (0..<6).map { track($0, embedding: [Float($0 % 2) * 20, 0]) }
        var builder = PlaylistBuilder()
        builder.clusterCount = 2
        builder.space = FeatureSpace(features: .embedding, embedding: key)
        let set = try builder.build(tracks)
        let descriptorWords: Set<String> = ["beatless", "slow", "fast", "mid-tempo", "bright", "dark", "percussive",
                                            "smooth", "loud", "quiet", "sparse", "dense", "noisy", "tonal"]
        XCTAssertEqual(set.playlists.count, 2)
        for playlist in set.playlists {
            let words = playlist.name.dropFirst("01 - ".count).components(separatedBy: ", ")
            XCTAssertTrue(words.allSatisfy(descriptorWords.contains), playlist.name)
        }
    }
}

/// ``FeatureWeights/problem``: the rule `--weights` applies, in the library.
final class FeatureWeightsProblemTests: XCTestCase {
    func testWeightsThatCountNothingOrAreNotNumbersAreNamed() {
        XCTAssertNil(FeatureWeights().problem)
        XCTAssertNil(FeatureWeights(timbre: 0, harmony: 0, rhythm: 0, loudness: 0, texture: 0.001).problem)
        XCTAssertEqual(FeatureWeights(timbre: 0, harmony: 0, rhythm: 0, loudness: 0, texture: 0).problem,
                       "every group has weight 0, so no feature would count; give at least one group a weight above 0")
        XCTAssertEqual(FeatureWeights(rhythm: -1).problem, "rhythm must be a finite weight ≥ 0, got -1.0")
        XCTAssertEqual(FeatureWeights(harmony: .nan).problem, "harmony must be a finite weight ≥ 0, got nan")
        XCTAssertEqual(FeatureWeights(texture: .infinity).problem, "texture must be a finite weight ≥ 0, got inf")
    }
}
