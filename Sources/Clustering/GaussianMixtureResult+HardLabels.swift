/// A mixture made from a hard partition, so new items can be placed by the mixture's own rule.
extension GaussianMixtureResult {
    /// The mixture one M-step gives when every item belongs wholly to its cluster: each component's
    /// weight is its share of the items, its mean and covariance those of its items (plus
    /// `regularization` on every variance), as scikit-learn's `_estimate_gaussian_parameters` with
    /// one-hot responsibilities. ``predict(_:)`` then places a new item by its posterior, as the
    /// fitted mixture would; a component without items keeps a weight of about 0 and attracts none.
    ///
    /// - Parameters:
    ///   - labels: each row's cluster in `0..<componentCount`; any other value (``Partition/noise``) counts for none.
    ///   - data: the rows, n ≥ 1, d ≥ 1 finite columns, in the order of `labels`.
    ///   - covariance: the covariance shape.
    ///   - componentCount: k ≥ 1.
    ///   - regularization: added to every variance, ≥ 0 (``GaussianMixture/regularization``).
    public init(hardLabels labels: [Int], in data: FeatureMatrix, covariance: CovarianceKind, componentCount: Int,
                regularization: Double) {
        let k = componentCount
        var responsibilities = [Double](repeating: 0, count: data.rowCount * k)
        for (row, label) in labels.enumerated() where (0..<k).contains(label) { responsibilities[row * k + label] = 1 }
        let model = MixtureModel.estimate(kind: covariance, data: data.values.map(Double.init), rowCount: data.rowCount,
                                          dimension: data.columnCount, responsibilities: responsibilities,
                                          componentCount: k, regularization: regularization, jobs: 1)
        self.init(covariance: covariance, componentCount: k, dimension: data.columnCount, weights: model.weights,
                  means: model.means, covariances: model.covariances, memberships: responsibilities,
                  labels: labels.map { (0..<k).contains($0) ? $0 : Partition.noise }, logLikelihood: 0,
                  iterations: 0, converged: true, restart: 0, notes: [])
    }
}
