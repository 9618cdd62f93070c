/// One network SongAtlas knows by name: its identity and the
/// ``EmbeddingNetwork`` type that loads and runs it.
///
/// ``EmbeddingModel/networks`` lists them; the cache and the analysis JSON
/// read a stored network's name back through it, and a chosen model loads
/// each of its parts through it.
public struct RegisteredEmbeddingNetwork: Sendable {
    /// What the network is (name, identifier, version, dimension, tags).
    public let identity: EmbeddingNetworkIdentity
    /// The type that loads the network from the models folder and runs it.
    public let type: any EmbeddingNetwork.Type

    /// A registration of `identity`, loaded and run by `type`.
    public init(_ identity: EmbeddingNetworkIdentity, type: any EmbeddingNetwork.Type) {
        self.identity = identity
        self.type = type
    }

    /// The network, loaded from the models folder `store` (``EmbeddingNetwork/load(_:from:)``).
    ///
    /// - Throws: ``ModelError`` when it is not installed, unreadable, or not a network of ``type``.
    public func load(from store: ModelStore) throws(ModelError) -> any EmbeddingNetwork {
        try type.load(identity, from: store)
    }

    /// Whether the network is installed in `store` (``EmbeddingNetwork/isInstalled(_:in:)``).
    public func isInstalled(in store: ModelStore) -> Bool {
        type.isInstalled(identity, in: store)
    }
}

extension EmbeddingModel {
    /// Every network a model can be made of, each with its type. A network of
    /// another architecture is one entry here (then one model in ``registry``).
    public static let networks: [RegisteredEmbeddingNetwork] =
        MusicnnModel.allCases.map { RegisteredEmbeddingNetwork($0.identity, type: MusicnnWeights.self) }

    /// The network of `networks` named `name` or identified by it ("mtt" or
    /// "musicnn-mtt"), or nil when none is.
    ///
    /// - Parameters:
    ///   - name: an ``EmbeddingNetworkIdentity/name`` or ``EmbeddingNetworkIdentity/identifier``.
    ///   - networks: the networks to look in; default ``networks``.
    public static func network(named name: String,
                               in networks: [RegisteredEmbeddingNetwork] = networks) -> RegisteredEmbeddingNetwork? {
        networks.first { $0.identity.name == name || $0.identity.identifier == name }
    }

    /// The registration of `identity` in `networks`, or nil when it is not registered.
    ///
    /// - Parameters:
    ///   - identity: the network wanted.
    ///   - networks: the networks to look in; default ``networks``.
    public static func network(_ identity: EmbeddingNetworkIdentity,
                               in networks: [RegisteredEmbeddingNetwork] = networks) -> RegisteredEmbeddingNetwork? {
        networks.first { $0.identity == identity }
    }
}
