/// Networks an ``EmbeddingExtractor`` can run together: at least one, each
/// reading the shared front end's patches
/// (``EmbeddingNetworkIdentity/readsSharedFrontEnd``). Checked once, so an
/// extractor of them is made without a check (one per worker).
public struct RunnableEmbeddingNetworks: Sendable {
    /// The loaded networks, in output order; never empty.
    public let networks: [any EmbeddingNetwork]

    /// `networks`, checked.
    ///
    /// - Throws: ``EmbeddingNetworkMismatch`` naming the first network of another input rate or patch shape,
    ///   or when `networks` is empty.
    public init(_ networks: [any EmbeddingNetwork]) throws(EmbeddingNetworkMismatch) {
        guard !networks.isEmpty else { throw EmbeddingNetworkMismatch(description: "no embedding network to run") }
        for network in networks where !network.identity.readsSharedFrontEnd {
            let identity = network.identity
            throw EmbeddingNetworkMismatch(description: "\(identity.identifier) reads \(identity.inputSampleRate) Hz patches of "
                + "\(identity.patchFrames) × \(identity.patchBands), not the shared front end's "
                + "\(EmbeddingNetworkIdentity.sharedInputSampleRate) Hz patches of "
                + "\(EmbeddingNetworkIdentity.sharedPatchShape.frames) × \(EmbeddingNetworkIdentity.sharedPatchShape.bands)")
        }
        self.networks = networks
    }

    /// musicnn networks, which all read the shared front end: `first`, then `others`.
    public init(musicnn first: MusicnnWeights, _ others: [MusicnnWeights] = []) {
        networks = [first] + others
    }

    private init(checked networks: [any EmbeddingNetwork]) {
        self.networks = networks
    }

    /// The networks `isIncluded` keeps, in order, or nil when it keeps none.
    public func filter(_ isIncluded: (any EmbeddingNetwork) -> Bool) -> RunnableEmbeddingNetworks? {
        let kept = networks.filter(isIncluded)
        return kept.isEmpty ? nil : RunnableEmbeddingNetworks(checked: kept)
    }
}
