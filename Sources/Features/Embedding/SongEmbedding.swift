/// A track's learned embedding and tag probabilities from one musicnn model.
///
/// The embedding is the mean over the analysed patches of the network's
/// penultimate layer (200 values, after its ReLU and batch norm); the tag
/// probabilities are the mean of the patches' sigmoid outputs. Both are used
/// as the network gives them (not z-scored).
public struct SongEmbedding: Sendable, Equatable {
    /// Bumped whenever the front end or the network changes the values, so a
    /// cached embedding of another version is recomputed, never trusted.
    public static let version = 1

    /// The model that made it.
    public var model: MusicnnModel
    /// ``SongEmbedding/version`` of these values.
    public var version: Int
    /// ``MusicnnModel/dimension`` values.
    public var values: [Float]
    /// One probability in [0, 1] per tag, in ``MusicnnModel/tags`` order.
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
    ///   - model: the model that made it.
    ///   - version: the values' version; default ``SongEmbedding/version``.
    ///   - values: the model's ``MusicnnModel/dimension`` embedding values.
    ///   - tagProbabilities: the 50 tag probabilities in the model's tag order.
    ///   - patchCount: patches averaged, ≥ 1.
    ///   - isPadded: whether the only patch was zero-padded; default false.
    ///   - patchBudget: the budget the patches were chosen by; default ``PatchBudget/default``.
    public init(model: MusicnnModel, version: Int = SongEmbedding.version, values: [Float],
                tagProbabilities: [Float], patchCount: Int, isPadded: Bool = false,
                patchBudget: PatchBudget = .default) {
        self.model = model
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

    /// Whether this is a current, well-formed embedding of `model` made with `patchBudget`.
    public func isCurrent(for model: MusicnnModel, patchBudget: PatchBudget) -> Bool {
        self.model == model && version == Self.version && self.patchBudget == patchBudget
            && values.count == model.dimension && tagProbabilities.count == model.tags.count
    }
}
