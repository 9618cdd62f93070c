import Foundation

/// A Gaussian mixture fitted by expectation–maximisation: soft clustering,
/// where every item belongs to every component with some probability.
///
/// Follows scikit-learn's `GaussianMixture` (1.9): each restart starts from
/// one k-means run (k-means++ seeding, as ``KMeans``) whose hard labels give
/// the first weights, means and covariances; EM then alternates the E-step
/// and the M-step until the mean log-likelihood changes by less than
/// ``tolerance``; ``regularization`` is added to every variance, as
/// `reg_covar`. Given the same initial means (``fit(_:initialMeans:jobs:)``)
/// it reaches scikit-learn's log-likelihood and labels (checked on committed
/// fixtures). Restarts keep the best final log-likelihood.
///
/// Degenerate input never gives NaN: a component with no items keeps a weight
/// of about 1e-15 and a variance of ``regularization``, and identical items
/// get a variance of ``regularization``; the result's notes say so.
public struct GaussianMixture: Sendable {
    /// Components k, ≥ 1 (may exceed the number of items: the extra ones stay empty).
    public var componentCount: Int
    /// Diagonal or full covariances. Default diagonal.
    public var covariance: CovarianceKind
    /// Added to every variance, ≥ 0. Default 1e-6 (scikit-learn's `reg_covar`).
    public var regularization: Double
    /// Independent restarts, ≥ 1; the best final log-likelihood wins. Default 1.
    public var restarts: Int
    /// EM iterations per restart at most, ≥ 1. Default 100.
    public var maximumIterations: Int
    /// Stop when the mean log-likelihood changes by less than this, ≥ 0. Default 1e-3.
    public var tolerance: Double
    /// Restart r's k-means uses `SeededGenerator(seed: seed, stream: r)`.
    public var seed: UInt64
    /// Asked between iterations; when it returns true, fitting throws ``ClusteringError/cancelled``.
    public var shouldStop: (@Sendable () -> Bool)?

    /// A configuration; ``fit(_:jobs:)`` checks the values.
    public init(componentCount: Int, covariance: CovarianceKind = .diagonal, regularization: Double = 1e-6,
                restarts: Int = 1, maximumIterations: Int = 100, tolerance: Double = 1e-3, seed: UInt64 = 0) {
        self.componentCount = componentCount
        self.covariance = covariance
        self.regularization = regularization
        self.restarts = restarts
        self.maximumIterations = maximumIterations
        self.tolerance = tolerance
        self.seed = seed
    }

    /// Fits the mixture to the rows of `data`.
    ///
    /// - Parameter jobs: threads for the E- and M-steps; the result does not depend on it.
    /// - Throws: ``ClusteringError`` for bad parameters, no rows or non-finite values,
    ///   ``ClusteringError/cancelled`` when ``shouldStop`` says so.
    /// - Complexity: O(restarts × iterations × n k d) diagonal; n k d² full.
    public func fit(_ data: FeatureMatrix, jobs: Int = ProcessInfo.processInfo.activeProcessorCount)
        throws(ClusteringError) -> GaussianMixtureResult
    {
        try check(data)
        let distinct = Set((0..<data.rowCount).map { Array(data.row($0)) }).count
        let seeded = min(componentCount, distinct)
        let threshold = 1e-4 * KMeans.meanVariance(data)
        var best: GaussianMixtureResult?
        for restart in 0..<restarts {
            if shouldStop?() == true { throw .cancelled }
            var generator = SeededGenerator(seed: seed, stream: restart)
            var run = HamerlyRun(data: data, clusterCount: seeded)
            run.seedCentres(using: &generator)
            guard run.iterate(maximumIterations: 300, shiftThreshold: threshold, shouldStop: shouldStop ?? { false }) != nil
            else { throw .cancelled }
            let result = try expectationMaximisation(data, initialLabels: run.labels, restart: restart, jobs: jobs)
            if best.map({ result.logLikelihood > $0.logLikelihood }) ?? true { best = result }
        }
        var result = best!
        if componentCount > distinct {
            result.notes.insert("\(componentCount) components for \(distinct) distinct items: "
                + "\(componentCount - distinct) stay empty (regularised, weight ≈ 0)", at: 0)
        }
        return result
    }

    /// Fits the mixture starting from given means: each row goes to its nearest
    /// mean, those hard labels give the first parameters, then EM runs once.
    ///
    /// This is what scikit-learn does given `weights_init`, `means_init` and
    /// `precisions_init` computed the same way from the same means.
    ///
    /// - Parameter initialMeans: k rows, as many columns as `data`.
    /// - Throws: as ``fit(_:jobs:)``, and ``ClusteringError/invalidParameter(_:)`` for mismatched means.
    public func fit(_ data: FeatureMatrix, initialMeans: FeatureMatrix,
                    jobs: Int = ProcessInfo.processInfo.activeProcessorCount)
        throws(ClusteringError) -> GaussianMixtureResult
    {
        try check(data)
        guard initialMeans.rowCount == componentCount, initialMeans.columnCount == data.columnCount else {
            throw .invalidParameter("initial means are \(initialMeans.rowCount)×\(initialMeans.columnCount), "
                + "need \(componentCount)×\(data.columnCount)")
        }
        let d = data.columnCount
        let labels = (0..<data.rowCount).map { row -> Int in
            var best = 0
            var bestDistance = Double.infinity
            for component in 0..<componentCount {
                var distance = 0.0
                for j in 0..<d {
                    let difference = Double(data[row, j]) - Double(initialMeans[component, j])
                    distance += difference * difference
                }
                if distance < bestDistance {
                    bestDistance = distance
                    best = component
                }
            }
            return best
        }
        return try expectationMaximisation(data, initialLabels: labels, restart: 0, jobs: jobs)
    }

    private func check(_ data: FeatureMatrix) throws(ClusteringError) {
        guard componentCount >= 1 else { throw .invalidParameter("k=\(componentCount) must be at least 1") }
        guard restarts >= 1 else { throw .invalidParameter("restarts=\(restarts) must be at least 1") }
        guard maximumIterations >= 1 else {
            throw .invalidParameter("maximumIterations=\(maximumIterations) must be at least 1")
        }
        guard tolerance >= 0, tolerance.isFinite else { throw .invalidParameter("tolerance=\(tolerance) must be ≥ 0") }
        guard regularization >= 0, regularization.isFinite else {
            throw .invalidParameter("regularization=\(regularization) must be ≥ 0")
        }
        guard data.rowCount >= 1, data.columnCount >= 1 else {
            throw .tooFewItems(itemCount: data.rowCount, clusterCount: componentCount)
        }
        try data.requireFiniteValues()
    }

    /// EM from hard initial labels, as scikit-learn's `fit_predict` loop.
    private func expectationMaximisation(_ matrix: FeatureMatrix, initialLabels: [Int], restart: Int, jobs: Int)
        throws(ClusteringError) -> GaussianMixtureResult
    {
        let n = matrix.rowCount
        let d = matrix.columnCount
        let k = componentCount
        let data = matrix.values.map(Double.init)
        var responsibilities = [Double](repeating: 0, count: n * k)
        for (row, label) in initialLabels.enumerated() { responsibilities[row * k + label] = 1 }
        var model = MixtureModel.estimate(kind: covariance, data: data, rowCount: n, dimension: d,
                                          responsibilities: responsibilities, componentCount: k,
                                          regularization: regularization, jobs: jobs)
        model.prepare()
        var repairs = model.repairs
        var lowerBound = -Double.infinity
        var iterations = 0
        var converged = false
        while iterations < maximumIterations {
            if shouldStop?() == true { throw .cancelled }
            iterations += 1
            let previous = lowerBound
            lowerBound = model.expect(data: data, rowCount: n, responsibilities: &responsibilities, jobs: jobs)
            model = MixtureModel.estimate(kind: covariance, data: data, rowCount: n, dimension: d,
                                          responsibilities: responsibilities, componentCount: k,
                                          regularization: regularization, jobs: jobs)
            model.prepare()
            repairs += model.repairs
            if abs(lowerBound - previous) < tolerance {
                converged = true
                break
            }
        }
        let logLikelihood = model.expect(data: data, rowCount: n, responsibilities: &responsibilities, jobs: jobs)
        let labels = (0..<n).map { row -> Int in
            var best = 0
            for component in 1..<max(k, 1) where responsibilities[row * k + component] > responsibilities[row * k + best] {
                best = component
            }
            return best
        }
        var notes: [String] = []
        if repairs > 0 {
            notes.append("a full covariance was singular \(repairs) time\(repairs == 1 ? "" : "s") and got extra regularisation")
        }
        if !converged {
            notes.append("EM did not converge in \(maximumIterations) iterations (last change above \(tolerance))")
        }
        return GaussianMixtureResult(
            covariance: covariance, componentCount: k, dimension: d, weights: model.weights, means: model.means,
            covariances: model.covariances, memberships: responsibilities, labels: labels, logLikelihood: logLikelihood,
            iterations: iterations, converged: converged, restart: restart, notes: notes)
    }
}
