/// A Gaussian mixture as a ``Clusterer``: ``GaussianMixture/componentCount`` is replaced by the number asked for.
///
/// The partition has the memberships, the means as ``Partition/centres``, the BIC and the fit's
/// notes, and places new rows in the component of highest responsibility.
extension GaussianMixture: Clusterer {
    public var name: String { "gmm" }
    /// By the Bayesian information criterion.
    public var countStrategy: ClusterCountStrategy? { .bayesianInformationCriterion }
    /// Extra components stay empty (regularised, weight ≈ 0).
    public var allowsEmptyClusters: Bool { true }

    public func prepare(_ data: FeatureMatrix, jobs: Int) throws(ClusteringError) -> PreparedClustering {
        PreparedClustering { clusterCount throws(ClusteringError) in
            var model = self
            model.componentCount = clusterCount
            let result = try model.fit(data, jobs: jobs)
            let means = FeatureMatrix(rowCount: result.componentCount, columnCount: result.dimension,
                                      values: result.means.map(Float.init))
            return Partition(labels: result.labels, clusterCount: result.componentCount, memberships: result.memberships,
                             centres: means, bayesianInformationCriterion: result.bayesianInformationCriterion,
                             notes: result.notes, placement: .highestResponsibility(result))
        }
    }
}
