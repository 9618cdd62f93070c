/// A fitted Gaussian mixture: its parameters, every item's soft membership,
/// and how well it fits.
public struct GaussianMixtureResult: Sendable, Equatable {
    /// The covariance shape that was fitted.
    public var covariance: CovarianceKind
    /// Components k.
    public var componentCount: Int
    /// Features d.
    public var dimension: Int
    /// k mixing weights, summing to 1 (scikit-learn's `weights_`).
    public var weights: [Double]
    /// k × d means, row-major (`means_`).
    public var means: [Double]
    /// k × d variances (diagonal) or k × d × d matrices (full), row-major (`covariances_`).
    public var covariances: [Double]
    /// n × k posteriors: row i is item i's membership in every component, summing to 1
    /// (`predict_proba`).
    public var memberships: [Double]
    /// The component of highest membership of each item, ties to the lower index (`predict`).
    public var labels: [Int]
    /// Mean log-likelihood per item under the final parameters (`score(X)`).
    public var logLikelihood: Double
    /// EM iterations of the winning restart.
    public var iterations: Int
    /// Whether the winning restart's lower bound changed by less than the tolerance.
    public var converged: Bool
    /// Which restart won, in `0..<restarts`.
    public var restart: Int
    /// Things to know (empty components, regularised covariances).
    public var notes: [String]

    /// Item `item`'s membership in every component (k values summing to 1).
    public func membership(of item: Int) -> ArraySlice<Double> {
        memberships[(item * componentCount)..<((item + 1) * componentCount)]
    }

    /// Free parameters: k·d means, the covariances, and k − 1 weights (`_n_parameters`).
    public var parameterCount: Int {
        covariance.parameterCount(componentCount: componentCount, dimension: dimension)
            + componentCount * dimension + componentCount - 1
    }

    /// Bayesian information criterion on the n items fitted, lower is better:
    /// −2 n · ``logLikelihood`` + parameters · ln n, as scikit-learn's `bic(X)`.
    public var bayesianInformationCriterion: Double {
        let count = Double(labels.count)
        return -2 * logLikelihood * count + Double(parameterCount) * log(count)
    }
}

import Foundation
