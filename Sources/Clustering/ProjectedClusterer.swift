import Foundation

/// Any ``Clusterer`` fitted on the first principal components of the data
/// (when the data have more dimensions than that): a Gaussian mixture with
/// full covariances needs it, as its parameters grow with the square of the dimension.
///
/// New rows are projected the same way before the base clusterer places them.
public struct ProjectedClusterer<Base: Clusterer>: Clusterer {
    public var base: Base
    /// Principal components kept, ≥ 1.
    public var dimension: Int
    /// What the note says was fitted, e.g. `full covariances`.
    public var subject: String

    /// - Parameters:
    ///   - base: the clusterer to run on the projection.
    ///   - dimension: principal components kept, ≥ 1.
    ///   - subject: what the note says was fitted on them; default the base's name.
    public init(_ base: Base, dimension: Int, subject: String? = nil) {
        self.base = base
        self.dimension = dimension
        self.subject = subject ?? base.name
    }

    public var name: String { base.name }
    public var countStrategy: ClusterCountStrategy? { base.countStrategy }
    public var allowsEmptyClusters: Bool { base.allowsEmptyClusters }

    public func prepare(_ data: FeatureMatrix, jobs: Int) throws(ClusteringError) -> PreparedClustering {
        guard dimension >= 1 else { throw .invalidParameter("principalComponents=\(dimension) must be at least 1") }
        guard data.columnCount > dimension else { return try base.prepare(data, jobs: jobs) }
        let projection = PrincipalComponents(fitting: data, dimension: dimension)
        let inner = try base.prepare(projection.transform(data), jobs: jobs)
        let note = subject + String(format: " fitted on the first %d principal components (%.0f%% of the variance)",
                                    projection.dimension, 100 * projection.explainedVarianceRatio.reduce(0, +))
        return PreparedClustering(notes: [note] + inner.notes, mergeTree: inner.mergeTree) { clusterCount throws(ClusteringError) in
            var partition = try inner.fit(clusterCount)
            partition.placement = .projected(projection, then: partition.placement)
            return partition
        }
    }
}
