@testable import Features
import Foundation
import TestSupport
import XCTest

/// The checkpoint reader and the network against TensorFlow 2.15.1 (graph
/// mode through tf.compat.v1, the wheel's own models.py) on the same inputs.
final class MusicnnNetworkTests: XCTestCase {
    /// Every model tensor read by Swift from the wheel is bit-identical to
    /// TensorFlow's reader: same shape, same CRC-32 of the bytes, same sampled bit patterns.
    func testCheckpointTensorsAreBitIdenticalToTensorFlow() throws {
        let wheel = try MusicnnWheelLocation.require().get()
        let source = try MusicnnWheel(url: wheel)
        for model in MusicnnModel.allCases {
            let expected = try XCTUnwrap(MusicnnFixture.reference.checkpoint[model.rawValue])
            let bundle = try source.checkpoint(model)
            XCTAssertEqual(bundle.entryNames.count, expected.entryCount, "\(model) entries in the index")
            XCTAssertEqual(expected.tensors.count, 64)
            let weights = try source.weights(model)
            XCTAssertEqual(weights.tensors.count, 64)
            for tensor in expected.tensors {
                let read = try XCTUnwrap(weights.tensors[tensor.name], "\(model) \(tensor.name)")
                XCTAssertEqual(read.shape, tensor.shape, tensor.name)
                XCTAssertEqual(ZlibCRC32.checksum(read.values), tensor.crc32, "\(model) \(tensor.name) bytes")
                for sample in tensor.samples {
                    XCTAssertEqual(read.values[Int(sample[0])].bitPattern, sample[1], "\(model) \(tensor.name)[\(sample[0])]")
                }
            }
        }
    }

    /// The weights file written by install and read back holds the same bits as the checkpoint.
    func testWeightsFileRoundTripsTheCheckpoint() throws {
        let wheel = try MusicnnWheelLocation.require().get()
        let fromWheel = try MusicnnWheel(url: wheel).weights(.msd)
        let fromFile = try MusicnnFixture.weights(.msd)
        XCTAssertEqual(fromFile, fromWheel)
        XCTAssertTrue(fromFile.licence.contains("Permission to use, copy, modify, and/or distribute this software"))
        XCTAssertEqual(MusicnnWeights.parameterCount, 792_079)
    }

    /// Per patch, from the same log-mel input: embedding within 1e-3, tags within 1e-4, both models.
    func testPatchesMatchTensorFlow() throws {
        for model in MusicnnModel.allCases {
            let extractor = EmbeddingExtractor(weights: try MusicnnFixture.weights(model), patchBudget: .evenlySpaced(3))
            let patches = MusicnnFixture.reference.patches
            let results = extractor.embed(patches: patches.map(MusicnnFixture.input))
            XCTAssertEqual(results.count, patches.count)
            var worstEmbedding: Float = 0, worstTag: Float = 0
            for (patch, result) in zip(patches, results) {
                let expected = model == .mtt ? patch.mtt : patch.msd
                XCTAssertEqual(result.embedding.count, 200)
                XCTAssertEqual(result.tags.count, 50)
                for (a, b) in zip(result.embedding, expected.embedding) { worstEmbedding = max(worstEmbedding, abs(a - b)) }
                for (a, b) in zip(result.tags, expected.tags) { worstTag = max(worstTag, abs(a - b)) }
                XCTAssertTrue(result.embedding.allSatisfy(\.isFinite), patch.name)
            }
            XCTAssertLessThanOrEqual(worstEmbedding, 1e-3, "\(model) embedding")
            XCTAssertLessThanOrEqual(worstTag, 1e-4, "\(model) tags")
            print("musicnn \(model) per patch: worst |Δ| embedding \(worstEmbedding), tags \(worstTag)")
        }
    }
}
