/// A learned embedding SongAtlas can compute and compare songs by: one
/// network's (an ``EmbeddingNetworkIdentity`` of ``networks``), or several
/// networks' concatenated.
///
/// The ``registry`` is the one list every layer reads: the CLI's
/// `--embedding` values, the automatic choice, the cache's records (one per
/// part) and the analysis JSON. A model of several ``parts`` runs every part's
/// network on one shared 16 kHz log-mel front end (the same input, computed
/// once per patch), keeps each part's embedding on its own (so the cache reuses
/// a part computed by an earlier run), and is compared with each part scaled
/// to unit spread over the library (``FeatureSpace``).
public struct EmbeddingModel: Sendable, Hashable, CustomStringConvertible {
    /// The name used on the command line: "mtt", "msd", "mtt+msd".
    public let name: String
    /// The first network (its tags name playlists).
    public let first: EmbeddingNetworkIdentity
    /// The networks whose embeddings make this one, in order: ``first``, then the others.
    public let parts: [EmbeddingNetworkIdentity]

    /// A model of `first` and then `others`, named by their names joined with "+".
    ///
    /// - Parameters:
    ///   - first: the first network.
    ///   - others: the other networks, in order, none repeating one before it.
    public init(_ first: EmbeddingNetworkIdentity, _ others: EmbeddingNetworkIdentity...) {
        self.init(first: first, others: others)
    }

    /// A model of `first` and then `others` (see ``init(_:_:)``).
    public init(first: EmbeddingNetworkIdentity, others: [EmbeddingNetworkIdentity]) {
        self.first = first
        parts = [first] + others
        name = parts.map(\.name).joined(separator: "+")
    }

    /// The name used in records and files: "musicnn-mtt", "musicnn-mtt+msd"
    /// (one network's ``EmbeddingNetworkIdentity/identifier``; several
    /// musicnn networks' shared prefix, others' identifiers joined with "+").
    public var identifier: String {
        if parts.count == 1 { return first.identifier }
        let musicnn = parts.allSatisfy { $0.identifier == "musicnn-\($0.name)" }
        return musicnn ? "musicnn-\(name)" : parts.map(\.identifier).joined(separator: "+")
    }

    /// Values in the (concatenated) embedding: the sum of the parts' dimensions.
    public var dimension: Int { parts.reduce(0) { $0 + $1.dimension } }

    /// Whether this is more than one network.
    public var isFused: Bool { parts.count > 1 }

    public var description: String { name }

    /// musicnn trained on MagnaTagATune.
    public static let mtt = EmbeddingModel(.mtt)
    /// musicnn trained on the Million Song Dataset.
    public static let msd = EmbeddingModel(.msd)
    /// Both musicnn networks on one front end, each part at unit spread.
    public static let mttMSD = EmbeddingModel(.mtt, .msd)

    /// Every model, in the order the CLI lists them and the automatic choice
    /// tries them. A new network is one entry in ``networks`` (its identity
    /// and its ``EmbeddingNetwork`` type) plus one entry here.
    public static let registry: [EmbeddingModel] = [.mtt, .msd, .mttMSD]

    /// The preference order of the automatic choice: the first whose parts
    /// are all installed is used (MTT measured best alone on held-out real music).
    public static let automaticPreference: [EmbeddingModel] = [.mtt, .msd]

    /// The registered model named `name` ("mtt", "msd", "mtt+msd") or identified by it ("musicnn-mtt").
    public static func named(_ name: String) -> EmbeddingModel? {
        registry.first { $0.name == name || $0.identifier == name }
    }
}
