extension GaussianMixtureResult {
    /// Each row's responsibilities under the fitted weights, means and covariances
    /// (scikit-learn's `predict_proba`): m × ``componentCount``, row-major, rows summing to 1.
    ///
    /// - Parameter data: m rows of ``dimension`` finite values.
    /// - Complexity: O(m k d) diagonal, O(m k d²) full.
    public func responsibilities(_ data: FeatureMatrix) -> [Double] {
        guard data.rowCount > 0 else { return [] }
        var model = MixtureModel(kind: covariance, componentCount: componentCount, dimension: dimension,
                                 weights: weights, means: means, covariances: covariances)
        model.prepare()
        var responsibilities = [Double](repeating: 0, count: data.rowCount * componentCount)
        _ = model.expect(data: data.values.map(Double.init), rowCount: data.rowCount,
                         responsibilities: &responsibilities, jobs: 1)
        return responsibilities
    }

    /// The component of highest responsibility of each row, ties to the lower index
    /// (scikit-learn's `predict`; on the fitted items it gives ``labels``).
    public func predict(_ data: FeatureMatrix) -> [Int] {
        let responsibilities = responsibilities(data)
        let k = componentCount
        return (0..<data.rowCount).map { row in
            var best = 0
            for component in 1..<max(k, 1) where responsibilities[row * k + component] > responsibilities[row * k + best] {
                best = component
            }
            return best
        }
    }
}
