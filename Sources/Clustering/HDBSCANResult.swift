/// The outcome of ``HDBSCAN``: a cluster or noise for every item.
public struct HDBSCANResult: Sendable, Equatable {
    /// The cluster of each item in `0..<clusterCount`, or ``Partition/noise`` (−1, as scikit-learn's).
    public var labels: [Int]
    /// Clusters found (0 when every item is noise).
    public var clusterCount: Int
    /// Each selected cluster's stability (excess of mass), by label.
    public var stabilities: [Double]
    /// The `minSamples` actually used (clamped to the number of items).
    public var minimumSamples: Int

    /// Items labelled noise.
    public var noiseCount: Int { labels.count { $0 == Partition.noise } }
}
