/// k-means as a ``Clusterer``: ``KMeans/clusterCount`` is replaced by the number asked for.
///
/// The partition has the centroids as ``Partition/centres`` and places new rows at the nearest one.
extension KMeans: Clusterer {
    public var name: String { "kmeans" }
    /// By silhouette.
    public var countStrategy: ClusterCountStrategy? { .silhouette }
    public var allowsEmptyClusters: Bool { false }

    public func prepare(_ data: FeatureMatrix, jobs: Int) throws(ClusteringError) -> PreparedClustering {
        PreparedClustering { clusterCount throws(ClusteringError) in
            var model = self
            model.clusterCount = clusterCount
            let result = try model.fit(data, jobs: jobs)
            return Partition(labels: result.labels, clusterCount: result.centroids.rowCount, centres: result.centroids,
                             placement: .nearestCentre(result.centroids))
        }
    }
}
