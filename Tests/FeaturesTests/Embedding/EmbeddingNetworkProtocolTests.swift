import Features
import Foundation
import SyntheticAudio
import TestSupport
import XCTest

/// A third network of another architecture, defined here and nowhere in
/// Features: a fixed random projection of the log-mel patch (no weights
/// file), with two "tags" that are the sigmoids of its first two values.
struct RandomProjectionNetwork: EmbeddingNetwork {
    static let identity = EmbeddingNetworkIdentity(
        name: "projection", identifier: "test-projection", version: 3, dimension: 6, tags: ["first", "second"])

    let identity: EmbeddingNetworkIdentity
    /// [dimension × (187·96)], row-major, drawn from a fixed seed.
    let matrix: [Float]

    init(identity: EmbeddingNetworkIdentity = Self.identity, seed: UInt64 = 7) {
        self.identity = identity
        var state = seed
        let width = identity.patchFrames * identity.patchBands
        matrix = (0..<(identity.dimension * width)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(truncatingIfNeeded: state >> 40) % 2001 - 1000) / 1000 / Float(width)
        }
    }

    /// Needs no file: every store has it, under its own identity only.
    static func load(_ identity: EmbeddingNetworkIdentity, from store: ModelStore) throws(ModelError) -> RandomProjectionNetwork {
        guard identity == Self.identity else {
            throw .unreadable(file: store.directory.path, reason: "\(identity.identifier) is not a projection")
        }
        return RandomProjectionNetwork()
    }

    func makeForwardPass(batchCapacity: Int) -> any EmbeddingForwardPass {
        Pass(network: self, batchCapacity: batchCapacity)
    }

    /// The projection of one time-major patch.
    func project(_ patch: ArraySlice<Float>) -> [Float] {
        let width = identity.patchFrames * identity.patchBands
        return (0..<identity.dimension).map { row in
            var sum: Float = 0
            for (offset, value) in patch.enumerated() { sum += matrix[row * width + offset] * value }
            return sum
        }
    }

    final class Pass: EmbeddingForwardPass {
        let network: RandomProjectionNetwork
        let batchCapacity: Int
        let input: UnsafeMutablePointer<Float>
        let embeddings: UnsafeMutablePointer<Float>
        let tagProbabilities: UnsafeMutablePointer<Float>
        private let width: Int

        init(network: RandomProjectionNetwork, batchCapacity: Int) {
            self.network = network
            self.batchCapacity = batchCapacity
            width = network.identity.patchFrames * network.identity.patchBands
            input = .allocate(capacity: batchCapacity * width)
            input.initialize(repeating: 0, count: batchCapacity * width)
            embeddings = .allocate(capacity: batchCapacity * network.identity.dimension)
            embeddings.initialize(repeating: 0, count: batchCapacity * network.identity.dimension)
            tagProbabilities = .allocate(capacity: batchCapacity * network.identity.tags.count)
            tagProbabilities.initialize(repeating: 0, count: batchCapacity * network.identity.tags.count)
        }

        deinit {
            input.deallocate()
            embeddings.deallocate()
            tagProbabilities.deallocate()
        }

        func run(count: Int) {
            let dimension = network.identity.dimension, tags = network.identity.tags.count
            for patch in 0..<count {
                let values = network.project(Array(UnsafeBufferPointer(start: input + patch * width, count: width))[...])
                for unit in 0..<dimension { embeddings[patch * dimension + unit] = values[unit] }
                for tag in 0..<tags { tagProbabilities[patch * tags + tag] = 1 / (1 + exp(-values[tag])) }
            }
        }
    }
}

/// ``EmbeddingNetwork``: a network of another architecture runs through the
/// same extractor path as musicnn, alone or beside it on one front end.
final class EmbeddingNetworkProtocolTests: XCTestCase {
    /// The extractor's embedding of a projection network is the mean of its patches' projections.
    func testThirdArchitectureEmbedsThroughTheExtractor() throws {
        let network = try RandomProjectionNetwork.load(RandomProjectionNetwork.identity,
                                                       from: ModelStore(directory: URL(fileURLWithPath: "/nonexistent")))
        let samples = Signals.drumLoop(bpm: 128, seconds: 9.5)
        let extractor = try EmbeddingExtractor(networks: [network], patchBudget: .all)
        XCTAssertEqual(extractor.models, [network.identity])
        let embedding = extractor.embed(samples22050: samples)

        let rows = extractor.logMelSpectrogram(samples22050: samples)
        let frames = network.identity.patchFrames
        let patches = rows.count / frames
        XCTAssertGreaterThanOrEqual(patches, 2, "the signal spans several patches")
        var expected = [Double](repeating: 0, count: network.identity.dimension)
        for patch in 0..<patches {
            let flat = rows[(patch * frames)..<((patch + 1) * frames)].flatMap { $0 }
            for (unit, value) in network.project(flat[...]).enumerated() { expected[unit] += Double(value) / Double(patches) }
        }

        XCTAssertEqual(embedding.model, RandomProjectionNetwork.identity)
        XCTAssertEqual(embedding.patchCount, patches)
        XCTAssertEqual(embedding.values.count, 6)
        XCTAssertEqual(embedding.tagProbabilities.count, 2)
        XCTAssertTrue(embedding.isCurrent(for: RandomProjectionNetwork.identity, patchBudget: .all))
        XCTAssertFalse(embedding.isCurrent(for: .mtt, patchBudget: .all), "another network's embedding")
        let scale = expected.map(abs).max() ?? 0
        XCTAssertGreaterThan(scale, 0)
        for (value, wanted) in zip(embedding.values, expected) {
            XCTAssertEqual(Double(value), wanted, accuracy: 1e-4 * scale + 1e-6)
        }
        XCTAssertEqual(embedding.rankedTags.count, 2)
    }

    /// One front end feeding musicnn and the projection gives each what it gives alone.
    func testThirdArchitectureRunsBesideMusicnnOnOneFrontEnd() throws {
        let store = try MusicnnFixture.store()
        let mtt = try MusicnnWeights.load(MusicnnModel.mtt.identity, from: store)
        XCTAssertEqual(mtt, try store.loadWeights(.mtt), "musicnn loads through the protocol as through the store")
        let projection = RandomProjectionNetwork()
        let samples = Signals.drumLoop(bpm: 128, seconds: 9.5)
        for budget in [PatchBudget.evenlySpaced(2), .all] {
            let fused = try EmbeddingExtractor(networks: [mtt, projection], patchBudget: budget)
            XCTAssertEqual(fused.models, [.mtt, projection.identity])
            let parts = fused.embedAll(samples22050: samples)
            XCTAssertEqual(parts.map(\.model), [.mtt, projection.identity])
            let alone = [EmbeddingExtractor(weights: mtt, patchBudget: budget).embed(samples22050: samples),
                         try EmbeddingExtractor(networks: [projection], patchBudget: budget).embed(samples22050: samples)]
            for (part, single) in zip(parts, alone) {
                XCTAssertEqual(part.model, single.model)
                XCTAssertEqual(part.values.count, part.model.dimension)
                XCTAssertEqual(part.patchCount, single.patchCount, "\(budget)")
                for (a, b) in zip(part.values, single.values) { XCTAssertEqual(a, b, accuracy: 1e-6) }
                for (a, b) in zip(part.tagProbabilities, single.tagProbabilities) { XCTAssertEqual(a, b, accuracy: 1e-6) }
            }
        }
    }

    /// musicnn declares its identity through the protocol, with the values it always had.
    func testMusicnnIdentityThroughTheProtocol() {
        for model in MusicnnModel.allCases {
            let identity = model.identity
            XCTAssertEqual(identity.name, model.rawValue)
            XCTAssertEqual(identity.identifier, model.identifier)
            XCTAssertEqual(identity.dimension, model.dimension)
            XCTAssertEqual(identity.version, SongEmbedding.version)
            XCTAssertEqual(identity.tags, model.tags)
            XCTAssertTrue(identity.readsSharedFrontEnd)
        }
        XCTAssertEqual(EmbeddingNetworkIdentity.mtt, MusicnnModel.mtt.identity)
        XCTAssertNotEqual(EmbeddingNetworkIdentity.mtt, .msd)
    }

    /// A network of another patch shape or rate is refused with a line naming it; so is none.
    func testNetworkOfAnotherInputIsRefused() {
        let vggishLike = EmbeddingNetworkIdentity(name: "wide", identifier: "test-wide", version: 1, dimension: 4,
                                                  patchShape: (frames: 96, bands: 64), tags: [])
        XCTAssertFalse(vggishLike.readsSharedFrontEnd)
        XCTAssertThrowsError(try EmbeddingExtractor(networks: [RandomProjectionNetwork(identity: vggishLike)])) { error in
            XCTAssertTrue("\(error)".contains("test-wide"), "\(error)")
            XCTAssertTrue("\(error)".contains("96 × 64"), "\(error)")
        }
        XCTAssertThrowsError(try EmbeddingExtractor(networks: []))
        XCTAssertThrowsError(try MusicnnWeights.load(RandomProjectionNetwork.identity,
                                                     from: ModelStore(directory: URL(fileURLWithPath: "/nonexistent"))))
    }
}
