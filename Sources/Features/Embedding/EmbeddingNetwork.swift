/// What one embedding network is: the values a ``SongEmbedding`` records as
/// its ``SongEmbedding/model``, and what the cache and the analysis JSON name.
///
/// Every network reads the shared front end (``LogMelFrontEnd``: 16 kHz,
/// 96-band log-mel, patches of 187 frames); an ``EmbeddingExtractor`` refuses
/// a network that declares another input rate or patch shape.
public struct EmbeddingNetworkIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The short name used on the command line and in the cache: "mtt".
    public let name: String
    /// The name used in records and files: "musicnn-mtt".
    public let identifier: String
    /// The version of the network's values: a cached embedding of another version is recomputed.
    public let version: Int
    /// Values in the network's embedding.
    public let dimension: Int
    /// The rate of the network's input, in Hz.
    public let inputSampleRate: Int
    /// Log-mel frames in one patch the network reads.
    public let patchFrames: Int
    /// Mel bands in one frame of a patch.
    public let patchBands: Int
    /// The network's tags, in the order of its tag outputs.
    public let tags: [String]

    /// An identity from its parts.
    ///
    /// - Parameters:
    ///   - name: the short name ("mtt").
    ///   - identifier: the name in records and files ("musicnn-mtt").
    ///   - version: the version of the values, ≥ 1.
    ///   - dimension: values in the embedding, ≥ 1.
    ///   - inputSampleRate: the input rate in Hz; default the shared front end's, 16,000.
    ///   - patchShape: frames × bands of one patch; default the shared front end's, 187 × 96.
    ///   - tags: the tag vocabulary, in output order (may be empty).
    public init(name: String, identifier: String, version: Int, dimension: Int,
                inputSampleRate: Int = EmbeddingNetworkIdentity.sharedInputSampleRate,
                patchShape: (frames: Int, bands: Int) = EmbeddingNetworkIdentity.sharedPatchShape,
                tags: [String]) {
        self.name = name
        self.identifier = identifier
        self.version = version
        self.dimension = dimension
        self.inputSampleRate = inputSampleRate
        patchFrames = patchShape.frames
        patchBands = patchShape.bands
        self.tags = tags
    }

    /// The shared front end's rate: 16,000 Hz (``LogMelFrontEnd``).
    public static let sharedInputSampleRate = LogMelFrontEnd.configuration.sampleRate
    /// The shared front end's patch: 187 frames (2.992 s) × 96 mel bands.
    public static let sharedPatchShape = (frames: MusicnnNetwork.frames, bands: MusicnnNetwork.melBands)

    /// One patch the network reads: frames × mel bands.
    public var patchShape: (frames: Int, bands: Int) { (patchFrames, patchBands) }

    /// Whether the network reads the shared front end's patches (16 kHz, 187 × 96).
    public var readsSharedFrontEnd: Bool {
        inputSampleRate == Self.sharedInputSampleRate
            && patchFrames == Self.sharedPatchShape.frames && patchBands == Self.sharedPatchShape.bands
    }

    /// The short name, as ``MusicnnModel`` printed itself.
    public var description: String { name }
}

/// A value that names one embedding network: ``MusicnnModel`` and
/// ``EmbeddingNetworkIdentity`` itself.
public protocol EmbeddingNetworkIdentifying: Sendable {
    /// The network's identity.
    var identity: EmbeddingNetworkIdentity { get }
}

extension EmbeddingNetworkIdentity: EmbeddingNetworkIdentifying {
    public var identity: EmbeddingNetworkIdentity { self }
}

extension EmbeddingNetworkIdentifying where Self == EmbeddingNetworkIdentity {
    /// musicnn trained on MagnaTagATune.
    public static var mtt: EmbeddingNetworkIdentity { MusicnnModel.mtt.identity }
    /// musicnn trained on the Million Song Dataset.
    public static var msd: EmbeddingNetworkIdentity { MusicnnModel.msd.identity }
}

/// A loaded embedding network of any architecture: its identity, how it
/// loads from the models folder, and its forward pass.
///
/// The loaded value is shared, read-only, by every worker of a batch; each
/// worker makes its own ``EmbeddingForwardPass`` (buffers for a batch of
/// patches). ``MusicnnWeights`` conforms (musicnn MTT and MSD); a network of
/// another architecture is one type conforming to this protocol, and is
/// run by ``EmbeddingExtractor/init(networks:patchBudget:)`` alongside any
/// other, on the same log-mel patches.
public protocol EmbeddingNetwork: EmbeddingNetworkIdentifying {
    /// The network `identity` names, loaded from the models folder `store`.
    ///
    /// - Throws: ``ModelError`` when it is not installed, unreadable, or not a network of this type.
    static func load(_ identity: EmbeddingNetworkIdentity, from store: ModelStore) throws(ModelError) -> Self

    /// Whether the network `identity` names is installed in `store`; by
    /// default, whether it loads (a type with a weights file answers from the file's presence).
    static func isInstalled(_ identity: EmbeddingNetworkIdentity, in store: ModelStore) -> Bool

    /// A new forward pass with buffers for `batchCapacity` patches (one per worker thread).
    ///
    /// - Parameter batchCapacity: patches per batch, ≥ 1.
    func makeForwardPass(batchCapacity: Int) -> any EmbeddingForwardPass
}

extension EmbeddingNetwork {
    public static func isInstalled(_ identity: EmbeddingNetworkIdentity, in store: ModelStore) -> Bool {
        (try? load(identity, from: store)) != nil
    }
}

/// One worker's forward pass of an ``EmbeddingNetwork``: the caller fills
/// ``input`` with up to ``batchCapacity`` log-mel patches (time-major,
/// frames × bands each), calls ``run(count:)``, and reads ``embeddings`` and
/// ``tagProbabilities``. Not thread-safe: one per worker.
public protocol EmbeddingForwardPass: AnyObject {
    /// Patches one ``run(count:)`` can take.
    var batchCapacity: Int { get }
    /// The batch's patches, [batchCapacity × frames × bands]; the caller fills it.
    var input: UnsafeMutablePointer<Float> { get }
    /// The embeddings of the last run, [count × dimension].
    var embeddings: UnsafeMutablePointer<Float> { get }
    /// The tag probabilities of the last run, [count × tags].
    var tagProbabilities: UnsafeMutablePointer<Float> { get }
    /// Runs the network on the first `count` patches of ``input``.
    ///
    /// - Parameter count: patches, in `1...batchCapacity`.
    func run(count: Int)
}

/// A network an ``EmbeddingExtractor`` cannot run on the shared front end, as one line.
public struct EmbeddingNetworkMismatch: Error, CustomStringConvertible, Equatable {
    public var description: String

    /// A mismatch described by `description`, one line naming the network.
    public init(description: String) {
        self.description = description
    }
}

extension MusicnnModel: EmbeddingNetworkIdentifying {
    /// The model's identity (the values ``SongEmbedding/model`` records).
    public var identity: EmbeddingNetworkIdentity {
        EmbeddingNetworkIdentity(name: rawValue, identifier: identifier, version: version, dimension: dimension,
                                 inputSampleRate: inputSampleRate, patchShape: patchShape, tags: tags)
    }
}

extension MusicnnWeights: EmbeddingNetwork {
    public var identity: EmbeddingNetworkIdentity { model.identity }

    /// The weights of the musicnn model named `identity` (``ModelStore/loadWeights(_:)``).
    ///
    /// - Throws: ``ModelError/unreadable(file:reason:)`` when `identity` names no musicnn model, or what loading throws.
    public static func load(_ identity: EmbeddingNetworkIdentity, from store: ModelStore) throws(ModelError) -> MusicnnWeights {
        guard let model = MusicnnModel(rawValue: identity.name), model.identifier == identity.identifier else {
            throw .unreadable(file: store.directory.path, reason: "\(identity.identifier) is not a musicnn model")
        }
        return try store.loadWeights(model)
    }

    /// Whether `identity` is a musicnn model whose weights file is in `store` (``ModelStore/isInstalled(_:)``).
    public static func isInstalled(_ identity: EmbeddingNetworkIdentity, in store: ModelStore) -> Bool {
        guard let model = MusicnnModel(rawValue: identity.name), model.identifier == identity.identifier else {
            return false
        }
        return store.isInstalled(model)
    }

    public func makeForwardPass(batchCapacity: Int) -> any EmbeddingForwardPass {
        MusicnnNetwork(weights: self, batchCapacity: batchCapacity)
    }
}

extension MusicnnNetwork: EmbeddingForwardPass {}
