/// A parameter of playlist clustering that only some algorithms use
/// (``PlaylistAlgorithm/parameters`` says which).
///
/// The library names parameters, never command-line flags; the CLI maps each to its flag.
public enum ClusteringParameter: String, Sendable, CaseIterable, Hashable {
    /// ``PlaylistBuilder/clusterCount``: HDBSCAN finds the number itself.
    case clusterCount
    /// ``PlaylistBuilder/countStrategy``: HDBSCAN finds the number itself.
    case countStrategy
    /// Restarts of k-means and of the Gaussian mixture.
    case restarts
    /// Iterations per restart (k-means' Lloyd/Hamerly steps, the mixture's EM steps).
    case maximumIterations
    /// Convergence threshold (k-means: centre shift; the mixture: log-likelihood change).
    case tolerance
    /// The mixture's covariance shape.
    case covariance
    /// The principal components a full-covariance mixture is fitted on.
    case principalComponents
    /// The mixture's bridge threshold.
    case bridgeThreshold
    /// Agglomerative linkage.
    case linkage
    /// HDBSCAN's smallest cluster.
    case minimumClusterSize
    /// HDBSCAN's core neighbours.
    case minimumSamples

    /// The algorithms that use this parameter, in ``PlaylistAlgorithm/allCases`` order.
    public var algorithms: [PlaylistAlgorithm] {
        PlaylistAlgorithm.allCases.filter { $0.parameters.contains(self) }
    }
}
