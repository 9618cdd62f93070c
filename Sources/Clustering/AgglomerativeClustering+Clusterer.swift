/// Agglomerative clustering as a ``Clusterer``: the tree is built once, by ``PreparedClustering``,
/// and cut at the number asked for.
///
/// The partition has the whole tree, an exemplar per cluster, and places new rows in the
/// cluster of the nearest item.
extension AgglomerativeClustering: Clusterer {
    public var name: String { "agglomerative" }
    /// At the largest gap between merge heights.
    public var countStrategy: ClusterCountStrategy? { .largestMergeGap }
    public var allowsEmptyClusters: Bool { false }

    public func prepare(_ data: FeatureMatrix, jobs: Int) throws(ClusteringError) -> PreparedClustering {
        let tree = try fit(data, jobs: jobs)
        return PreparedClustering(mergeTree: tree) { clusterCount throws(ClusteringError) in
            guard clusterCount >= 1 else { throw .invalidParameter("k=\(clusterCount) must be at least 1") }
            let labels = tree.labels(clusterCount: clusterCount)
            return Partition(labels: labels, clusterCount: clusterCount, mergeTree: tree,
                             exemplars: Partition.exemplars(labels: labels, clusterCount: clusterCount, data: data),
                             placement: .nearestMember(items: data, labels: labels))
        }
    }
}
