/// The shape of each Gaussian component's covariance in a ``GaussianMixture``.
///
/// Matches scikit-learn's `covariance_type` values `"diag"` and `"full"`.
public enum CovarianceKind: String, Sendable, Codable, CaseIterable {
    /// One variance per feature: d parameters per component; cheap, fits in any dimension.
    case diagonal = "diag"
    /// A full d × d matrix: d(d + 1)/2 parameters per component; needs few dimensions
    /// (``PrincipalComponents``) or many items per component.
    case full

    /// Free covariance parameters of `componentCount` components in `dimension` dimensions.
    func parameterCount(componentCount: Int, dimension: Int) -> Int {
        switch self {
        case .diagonal: return componentCount * dimension
        case .full: return componentCount * dimension * (dimension + 1) / 2
        }
    }
}
