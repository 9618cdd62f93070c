import Clustering
import Features
import Library
@testable import SongAtlas
import XCTest

/// The feature space with a fused embedding (`--embedding mtt+msd`): each
/// part at unit spread, concatenated; a track lacking a part falls back to
/// the hand-crafted features with a note.
final class EmbeddingFusedSpaceTests: XCTestCase {
    private let key = FeatureSpace.EmbeddingKey(model: .mttMSD)

    private func embedding(_ model: MusicnnModel, _ values: [Float]) -> SongEmbedding {
        SongEmbedding(model: model, values: values + [Float](repeating: 0, count: model.dimension - values.count),
                      tagProbabilities: [Float](repeating: 0.1, count: model.tags.count), patchCount: 3)
    }

    private func track(_ index: Int, mtt: [Float], msd: [Float]?) -> TrackAnalysis {
        var summary = [Float](repeating: 0, count: SummaryLayout.current.dimensionCount)
        for column in summary.indices { summary[column] = Float((index * 5 + column * 3) % 13) }
        summary[SummaryLayout.current.index(of: .tempoBPM)] = 100
        let embeddings = [embedding(.mtt, mtt)] + (msd.map { [embedding(.msd, $0)] } ?? [])
        return TrackAnalysis(path: "/music/\(index).flac", format: "FLAC", durationSeconds: 60, sampleRate: 44100,
                             channelCount: 2, analyzedSeconds: 60, summary: SongSummary(values: summary),
                             embeddings: embeddings)
    }

    /// Sum over `columns` of the variance of each column (the mean squared distance from the mean).
    private func spread(_ points: FeatureMatrix, _ columns: Range<Int>) -> Double {
        var total = 0.0
        for column in columns {
            let values = (0..<points.rowCount).map { Double(points[$0, column]) }
            let mean = values.reduce(0, +) / Double(values.count)
            total += values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        }
        return total
    }

    func testFusedEmbeddingConcatenatesEachPartAtUnitSpread() {
        // MTT spreads by tens, MSD by tenths: alone, MTT would swamp MSD.
        let tracks = (0..<6).map { track($0, mtt: [Float($0) * 40, 3], msd: [0.1 * Float($0 % 3), 0.2 * Float($0 % 2)]) }
        let placed = FeatureSpace(features: .embedding, embedding: key).place(tracks)
        XCTAssertEqual(placed.features, .embedding)
        XCTAssertEqual(placed.notes, [])
        XCTAssertEqual(placed.points.columnCount, EmbeddingModel.mttMSD.dimension)
        let mttWidth = MusicnnModel.mtt.dimension
        XCTAssertEqual(spread(placed.points, 0..<mttWidth), 1, accuracy: 1e-4)
        XCTAssertEqual(spread(placed.points, mttWidth..<placed.points.columnCount), 1, accuracy: 1e-4)
        XCTAssertEqual(placed.embeddings.map(\.model), Array(repeating: .mtt, count: 6), "the first part names playlists")
    }

    func testFusedWithHandcraftedGivesEachBlockUnitSpread() {
        let tracks = (0..<6).map { track($0, mtt: [Float($0) * 40, 3], msd: [0.1 * Float($0 % 3), 1]) }
        let placed = FeatureSpace(features: .both, embedding: key).place(tracks)
        let crafted = SummaryLayout.current.dimensionCount
        XCTAssertEqual(placed.points.columnCount, crafted + EmbeddingModel.mttMSD.dimension)
        XCTAssertEqual(spread(placed.points, 0..<crafted), 1, accuracy: 1e-4)
        XCTAssertEqual(spread(placed.points, crafted..<placed.points.columnCount), 1, accuracy: 1e-4)
    }

    func testATrackLackingAPartFallsBackWithANote() {
        let tracks = [track(0, mtt: [1, 2], msd: [1]), track(1, mtt: [2, 1], msd: nil), track(2, mtt: [0, 0], msd: [3])]
        let placed = FeatureSpace(features: .embedding, embedding: key).place(tracks)
        XCTAssertEqual(placed.features, .handcrafted)
        XCTAssertEqual(placed.notes, ["1 of 3 songs have no musicnn-mtt+msd embedding: songs are compared by the "
            + "hand-crafted features"])
    }
}
