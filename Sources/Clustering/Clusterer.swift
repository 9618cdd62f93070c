import Foundation

/// A clustering algorithm behind one contract, after scikit-learn's estimators:
/// configure a value, fit a ``FeatureMatrix``, read one ``Partition``.
///
/// Fitting is in two steps so that choosing the number of clusters
/// (``ClusterCountStrategy``) does not repeat work that does not depend on
/// it: ``prepare(_:jobs:)`` learns what it can from the data once (a
/// projection, a merge tree; all of it for an algorithm that finds the
/// number itself), and the ``PreparedClustering`` it returns fits any
/// number of clusters. ``KMeans``, ``GaussianMixture``,
/// ``AgglomerativeClustering`` and ``HDBSCAN`` conform, and
/// ``ProjectedClusterer`` fits any of them on principal components.
public protocol Clusterer: Sendable {
    /// The algorithm's name in messages, e.g. `kmeans`.
    var name: String { get }
    /// How the number of clusters is chosen when the caller gives none; nil when the
    /// algorithm finds the number itself (HDBSCAN) and takes none.
    var countStrategy: ClusterCountStrategy? { get }
    /// Whether more clusters than distinct items may be asked for (the extra ones stay
    /// empty, as a mixture's regularised components); otherwise callers reduce the
    /// number to the distinct items.
    var allowsEmptyClusters: Bool { get }

    /// Learns from `data` what does not depend on the number of clusters, once.
    ///
    /// - Parameters:
    ///   - data: the items, one per row, finite.
    ///   - jobs: threads.
    /// - Throws: ``ClusteringError`` for bad parameters or data, ``ClusteringError/cancelled``.
    func prepare(_ data: FeatureMatrix, jobs: Int) throws(ClusteringError) -> PreparedClustering
}

extension Clusterer {
    /// Whether the caller chooses the number of clusters (false: the algorithm finds it).
    public var takesClusterCount: Bool { countStrategy != nil }

    /// Fits `data` with `clusterCount` clusters (ignored by an algorithm that finds the number itself).
    ///
    /// - Throws: as ``prepare(_:jobs:)`` and the algorithm's own fit.
    public func fit(_ data: FeatureMatrix, clusterCount: Int,
                    jobs: Int = ProcessInfo.processInfo.activeProcessorCount) throws(ClusteringError) -> Partition {
        try prepare(data, jobs: jobs).fit(clusterCount)
    }
}

/// A ``Clusterer`` bound to one data set: it fits that data with any number of clusters.
public struct PreparedClustering: Sendable {
    /// What preparing found worth saying (e.g. the share of the variance a projection keeps).
    public var notes: [String]
    /// The merge tree, for algorithms that build one (``ClusterCountStrategy/largestMergeGap`` reads it).
    public var mergeTree: Dendrogram?
    private let fitter: @Sendable (Int) throws(ClusteringError) -> Partition

    /// - Parameters:
    ///   - notes: default none.
    ///   - mergeTree: default nil.
    ///   - fit: fits the prepared data with the given number of clusters.
    public init(notes: [String] = [], mergeTree: Dendrogram? = nil,
                fit: @escaping @Sendable (Int) throws(ClusteringError) -> Partition) {
        self.notes = notes
        self.mergeTree = mergeTree
        fitter = fit
    }

    /// Fits the prepared data with `clusterCount` clusters.
    ///
    /// - Throws: the algorithm's ``ClusteringError`` (a count out of its range, ``ClusteringError/cancelled``).
    public func fit(_ clusterCount: Int) throws(ClusteringError) -> Partition {
        try fitter(clusterCount)
    }
}
