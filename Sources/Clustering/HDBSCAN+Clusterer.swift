/// HDBSCAN as a ``Clusterer``: it finds the number of clusters itself, so preparing fits,
/// and the number asked for is ignored.
///
/// Noise is ``Partition/noise``. The partition has an exemplar per cluster and places new rows
/// in the cluster of the nearest clustered item (a simple stand-in for the reference
/// implementation's `approximate_predict`, which scikit-learn does not have).
extension HDBSCAN: Clusterer {
    public var name: String { "hdbscan" }
    /// None: HDBSCAN finds the number itself.
    public var countStrategy: ClusterCountStrategy? { nil }
    public var allowsEmptyClusters: Bool { false }

    public func prepare(_ data: FeatureMatrix, jobs: Int) throws(ClusteringError) -> PreparedClustering {
        let result = try fit(data, jobs: jobs)
        let partition = Partition(
            labels: result.labels, clusterCount: result.clusterCount,
            exemplars: Partition.exemplars(labels: result.labels, clusterCount: result.clusterCount, data: data),
            placement: .nearestMember(items: data, labels: result.labels))
        return PreparedClustering { _ in partition }
    }
}
