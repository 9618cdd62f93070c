import Features
import Foundation
import SyntheticAudio
import TestSupport
import XCTest

/// The ``EmbeddingModel`` registry and a fused model's shared front end.
final class FusedEmbeddingModelTests: XCTestCase {
    func testRegistryNamesEveryModelOnceAndGivesItsIdentity() {
        XCTAssertEqual(EmbeddingModel.registry.map(\.name), ["mtt", "msd", "mtt+msd"])
        XCTAssertEqual(Set(EmbeddingModel.registry.map(\.identifier)).count, EmbeddingModel.registry.count)
        XCTAssertEqual(EmbeddingModel.mtt.identifier, "musicnn-mtt", "the records' name of a single model is unchanged")
        XCTAssertEqual(EmbeddingModel.mttMSD.identifier, "musicnn-mtt+msd")
        XCTAssertEqual(EmbeddingModel.mttMSD.parts, [.mtt, .msd])
        XCTAssertEqual(EmbeddingModel.mttMSD.dimension, MusicnnModel.mtt.dimension + MusicnnModel.msd.dimension)
        XCTAssertTrue(EmbeddingModel.mttMSD.isFused)
        XCTAssertFalse(EmbeddingModel.msd.isFused)
        XCTAssertEqual(EmbeddingModel.named("mtt+msd"), .mttMSD)
        XCTAssertEqual(EmbeddingModel.named("musicnn-msd"), .msd)
        XCTAssertNil(EmbeddingModel.named("vggish"))
        for model in MusicnnModel.allCases {
            XCTAssertEqual(model.inputSampleRate, 16000)
            XCTAssertEqual(model.patchShape.frames, 187)
            XCTAssertEqual(model.patchShape.bands, 96)
            XCTAssertEqual(model.tags.count, 50)
        }
    }

    /// One front end feeding two networks gives each network exactly what it gives alone.
    func testFusedExtractorGivesEachPartAsItsNetworkAlone() throws {
        let store = try MusicnnFixture.store()
        let mtt = try store.loadWeights(.mtt), msd = try store.loadWeights(.msd)
        let samples = Signals.drumLoop(bpm: 128, seconds: 9.5)
        for budget in [PatchBudget.evenlySpaced(2), .all] {
            let fused = EmbeddingExtractor(weights: mtt, alongside: [msd], patchBudget: budget)
            XCTAssertEqual(fused.models, [.mtt, .msd])
            let parts = fused.embedAll(samples22050: samples)
            XCTAssertEqual(parts.map(\.model), [.mtt, .msd])
            let alone = [EmbeddingExtractor(weights: mtt, patchBudget: budget).embed(samples22050: samples),
                         EmbeddingExtractor(weights: msd, patchBudget: budget).embed(samples22050: samples)]
            for (part, single) in zip(parts, alone) {
                XCTAssertEqual(part.values.count, part.model.dimension)
                XCTAssertEqual(part.patchCount, single.patchCount, "\(budget)")
                for (a, b) in zip(part.values, single.values) { XCTAssertEqual(a, b, accuracy: 1e-6) }
                for (a, b) in zip(part.tagProbabilities, single.tagProbabilities) { XCTAssertEqual(a, b, accuracy: 1e-6) }
            }
            XCTAssertNotEqual(parts[0].values, parts[1].values, "two networks, two embeddings")
        }
    }
}
