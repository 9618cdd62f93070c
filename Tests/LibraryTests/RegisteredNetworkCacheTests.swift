import Features
import Foundation
@testable import Library
import TestSupport
import XCTest

/// A network of another architecture, known only to this test: it loads
/// without a file (under its own identity only) and embeds every patch as zeros.
private struct ZeroNetwork: EmbeddingNetwork {
    static let identity = EmbeddingNetworkIdentity(
        name: "zero", identifier: "test-zero", version: 2, dimension: 3, tags: ["quiet", "loud"])

    var identity: EmbeddingNetworkIdentity { Self.identity }

    static func load(_ identity: EmbeddingNetworkIdentity, from store: ModelStore) throws(ModelError) -> ZeroNetwork {
        guard identity == Self.identity else {
            throw .unreadable(file: store.directory.path, reason: "\(identity.identifier) is not the zero network")
        }
        return ZeroNetwork()
    }

    func makeForwardPass(batchCapacity: Int) -> any EmbeddingForwardPass { Pass(batchCapacity: batchCapacity) }

    final class Pass: EmbeddingForwardPass {
        let batchCapacity: Int
        let input: UnsafeMutablePointer<Float>
        let embeddings: UnsafeMutablePointer<Float>
        let tagProbabilities: UnsafeMutablePointer<Float>

        init(batchCapacity: Int) {
            self.batchCapacity = batchCapacity
            let width = ZeroNetwork.identity.patchFrames * ZeroNetwork.identity.patchBands
            input = .allocate(capacity: batchCapacity * width)
            input.initialize(repeating: 0, count: batchCapacity * width)
            embeddings = .allocate(capacity: batchCapacity * ZeroNetwork.identity.dimension)
            embeddings.initialize(repeating: 0, count: batchCapacity * ZeroNetwork.identity.dimension)
            tagProbabilities = .allocate(capacity: batchCapacity * ZeroNetwork.identity.tags.count)
            tagProbabilities.initialize(repeating: 0, count: batchCapacity * ZeroNetwork.identity.tags.count)
        }

        deinit {
            input.deallocate()
            embeddings.deallocate()
            tagProbabilities.deallocate()
        }

        func run(count: Int) {}
    }
}

/// A network of another architecture is one registry entry away from being
/// named, loaded, and read back from the cache's records.
final class RegisteredNetworkCacheTests: XCTestCase {
    /// The registry with one more network: adding one is one entry.
    private let widened = EmbeddingModel.networks + [RegisteredEmbeddingNetwork(ZeroNetwork.identity, type: ZeroNetwork.self)]

    private func zeroEmbedding(version: Int = ZeroNetwork.identity.version) -> SongEmbedding {
        SongEmbedding(model: ZeroNetwork.identity, version: version, values: [0.25, -0.5, 1.5],
                      tagProbabilities: [0.125, 0.875], patchCount: 3, isPadded: false, patchBudget: .default)
    }

    /// A non-musicnn embedding survives the cache record's encoding and decoding once registered, and only then.
    func testNonMusicnnEmbeddingRoundTripsThroughTheCacheRecord() throws {
        let original = zeroEmbedding()
        let record = CachedEmbedding(original)
        XCTAssertEqual(record.model, "zero")
        let decoded = try JSONDecoder().decode(CachedEmbedding.self, from: JSONEncoder().encode(record))
        XCTAssertEqual(decoded.embedding(networks: widened), original)
        XCTAssertNil(decoded.embedding(), "an unregistered network's record is not trusted")
        XCTAssertNil(CachedEmbedding(zeroEmbedding(version: 1)).embedding(networks: widened),
                     "a record of another version of the network is recomputed")
    }

    /// musicnn's records decode as before through the default registry.
    func testMusicnnRecordDecodesThroughTheRegistry() {
        let mtt = SongEmbedding(model: MusicnnModel.mtt, values: (0..<MusicnnModel.mtt.dimension).map { Float($0) / 100 },
                                tagProbabilities: MusicnnModel.mtt.tags.map { _ in 0.5 }, patchCount: 2,
                                isPadded: true, patchBudget: .default)
        XCTAssertEqual(CachedEmbedding(mtt).model, "mtt")
        XCTAssertEqual(CachedEmbedding(mtt).embedding(), mtt)
    }

    /// The registry finds a network by name or identifier, with the type that loads it.
    func testRegistryLooksUpAndLoadsAnotherArchitecture() throws {
        let byName = try XCTUnwrap(EmbeddingModel.network(named: "zero", in: widened))
        let byIdentifier = try XCTUnwrap(EmbeddingModel.network(named: "test-zero", in: widened))
        XCTAssertEqual(byName.identity, ZeroNetwork.identity)
        XCTAssertEqual(byIdentifier.identity, ZeroNetwork.identity)
        XCTAssertNil(EmbeddingModel.network(named: "zero"), "not in the built-in registry")
        XCTAssertEqual(EmbeddingModel.network(named: "musicnn-msd")?.identity, EmbeddingNetworkIdentity.msd)

        let store = ModelStore(directory: URL(fileURLWithPath: "/nonexistent-songatlas-models"))
        XCTAssertTrue(byName.isInstalled(in: store))
        XCTAssertEqual(try byName.load(from: store).identity, ZeroNetwork.identity)
        XCTAssertFalse(try XCTUnwrap(EmbeddingModel.network(.mtt)).isInstalled(in: store))

        // A model of the new network, alone and beside musicnn, names itself from its parts.
        let alone = EmbeddingModel(ZeroNetwork.identity)
        XCTAssertEqual(alone.name, "zero")
        XCTAssertEqual(alone.identifier, "test-zero")
        XCTAssertEqual(alone.dimension, 3)
        let fused = EmbeddingModel(.mtt, ZeroNetwork.identity)
        XCTAssertEqual(fused.name, "mtt+zero")
        XCTAssertEqual(fused.identifier, "musicnn-mtt+test-zero")
        XCTAssertEqual(EmbeddingModel.mttMSD.identifier, "musicnn-mtt+msd")
    }

    /// A setup of the new network beside musicnn keeps only the missing parts.
    func testSetupHoldsNetworksOfAnyArchitecture() throws {
        let setup = EmbeddingSetup(model: EmbeddingModel(ZeroNetwork.identity),
                                   networks: try RunnableEmbeddingNetworks([ZeroNetwork()]))
        XCTAssertEqual(setup.parts.map(\.identity), [ZeroNetwork.identity])
        XCTAssertNil(setup.running(only: [.mtt]))
        XCTAssertEqual(setup.running(only: [ZeroNetwork.identity])?.parts.count, 1)
        XCTAssertEqual(setup.makeExtractor().models, [ZeroNetwork.identity])
        XCTAssertThrowsError(try RunnableEmbeddingNetworks([]))
    }
}
