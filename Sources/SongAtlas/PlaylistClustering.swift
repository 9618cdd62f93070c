import Clustering

/// Which algorithm groups the songs into playlists.
public enum PlaylistAlgorithm: String, Sendable, Codable, CaseIterable {
    /// ``KMeans``: hard, roughly spherical groups of similar size.
    case kmeans
    /// ``GaussianMixture``: soft membership; songs between two styles can bridge them.
    case gmm
    /// ``AgglomerativeClustering``: the collection's family tree, cut into playlists.
    case agglomerative
    /// ``HDBSCAN``: finds the number of playlists itself and leaves misfits unsorted.
    case hdbscan
}

/// How ``PlaylistBuilder`` clusters: the algorithm and its own parameters
/// (those of the other algorithms are ignored).
public struct PlaylistClustering: Sendable, Equatable {
    public var algorithm = PlaylistAlgorithm.kmeans
    /// GMM: the covariance shape.
    public var covariance = CovarianceKind.diagonal
    /// GMM with full covariances: the data are first projected on this many
    /// principal components (when they have more dimensions). The default, 16,
    /// was chosen by measurement on the project's real-music set (see README).
    public var principalComponents = 16
    /// GMM: a song whose second-best membership is at least this (in (0, 0.5])
    /// also appears in that second playlist, marked as a bridge; nil for none.
    public var bridgeThreshold: Double?
    /// Agglomerative: the linkage.
    public var linkage = Linkage.ward
    /// HDBSCAN: the smallest playlist, ≥ 2.
    public var minimumClusterSize = 5
    /// HDBSCAN: neighbours that make a song a core song; nil uses ``minimumClusterSize``.
    public var minimumSamples: Int?

    public init() {}

    /// The algorithm and the settings that apply to it, e.g. `gmm (diag)`, `agglomerative (ward)`.
    public var summary: String {
        switch algorithm {
        case .kmeans: return "kmeans"
        case .gmm:
            return "gmm (\(covariance.rawValue)" + (covariance == .full ? ", \(principalComponents) principal components" : "")
                + (bridgeThreshold.map { ", bridges at \($0)" } ?? "") + ")"
        case .agglomerative: return "agglomerative (\(linkage.rawValue))"
        case .hdbscan:
            return "hdbscan (min cluster size \(minimumClusterSize)"
                + (minimumSamples.map { ", min samples \($0)" } ?? "") + ")"
        }
    }
}
