/// A track's learned embedding and tag probabilities from one network
/// (``EmbeddingNetwork``; musicnn MTT or MSD, or any other).
///
/// The embedding is the mean over the analysed patches of the network's
/// embedding (for musicnn its penultimate layer: 200 values, after its ReLU and batch norm); the tag
/// probabilities are the mean of the patches' sigmoid outputs. Both are used
/// as the network gives them (not z-scored).
public struct SongEmbedding: Sendable, Equatable {
    /// Bumped whenever the front end or the network changes the values, so a
    /// cached embedding of another version is recomputed, never trusted.
    public static let version = 1

    /// The network that made it.
    public var model: EmbeddingNetworkIdentity
    /// ``SongEmbedding/version`` of these values.
    public var version: Int
    /// ``EmbeddingNetworkIdentity/dimension`` values.
    public var values: [Float]
    /// One probability in [0, 1] per tag, in ``EmbeddingNetworkIdentity/tags`` order.
    public var tagProbabilities: [Float]
    /// Patches the values are the mean of (≥ 1).
    public var patchCount: Int
    /// True when the track was shorter than one patch and was padded with zeros.
    public var isPadded: Bool
    /// The budget the patches were chosen by (a cached embedding is reused only for the same budget).
    public var patchBudget: PatchBudget

    /// An embedding from its parts.
    ///
    /// - Parameters:
    ///   - model: the network that made it (a ``MusicnnModel`` or any ``EmbeddingNetworkIdentity``).
    ///   - version: the values' version; default ``SongEmbedding/version``.
    ///   - values: the network's ``EmbeddingNetworkIdentity/dimension`` embedding values.
    ///   - tagProbabilities: one probability per tag, in the network's tag order.
    ///   - patchCount: patches averaged, ≥ 1.
    ///   - isPadded: whether the only patch was zero-padded; default false.
    ///   - patchBudget: the budget the patches were chosen by; default ``PatchBudget/default``.
    public init(model: some EmbeddingNetworkIdentifying, version: Int = SongEmbedding.version, values: [Float],
                tagProbabilities: [Float], patchCount: Int, isPadded: Bool = false,
                patchBudget: PatchBudget = .default) {
        self.model = model.identity
        self.version = version
        self.values = values
        self.tagProbabilities = tagProbabilities
        self.patchCount = patchCount
        self.isPadded = isPadded
        self.patchBudget = patchBudget
    }

    /// Every tag with its probability, highest first (ties in model order).
    public var rankedTags: [(tag: String, probability: Float)] {
        let tags = model.tags
        return tagProbabilities.indices
            .sorted { tagProbabilities[$0] > tagProbabilities[$1] || (tagProbabilities[$0] == tagProbabilities[$1] && $0 < $1) }
            .map { (tags[$0], tagProbabilities[$0]) }
    }

    /// Whether this is a current (the network's version), well-formed embedding of `network` made with `patchBudget`.
    public func isCurrent(for network: some EmbeddingNetworkIdentifying, patchBudget: PatchBudget) -> Bool {
        let model = network.identity
        return self.model == model && version == model.version && self.patchBudget == patchBudget
            && values.count == model.dimension && tagProbabilities.count == model.tags.count
    }
}
