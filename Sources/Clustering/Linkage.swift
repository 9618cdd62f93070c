/// How agglomerative clustering measures the distance between two clusters.
///
/// The names and the merge heights are scipy's (`scipy.cluster.hierarchy.linkage`),
/// which scikit-learn's `AgglomerativeClustering` uses without a connectivity matrix.
public enum Linkage: String, Sendable, Codable, CaseIterable {
    /// Ward's minimum variance: merge the pair that least increases the total
    /// within-cluster sum of squares; height √(2 × that increase × …) as scipy reports it.
    case ward
    /// Mean distance between the clusters' items (UPGMA).
    case average
    /// Largest distance between the clusters' items.
    case complete

    /// Whether the working matrix holds squared distances (Ward's update is linear in them,
    /// and complete linkage's maximum does not care) rather than distances.
    var worksOnSquaredDistances: Bool { self != .average }

    /// The Lance–Williams update: the distance from cluster i to the union of x and y.
    ///
    /// - Parameters: the current distances (squared where ``worksOnSquaredDistances``) and cluster sizes.
    @inline(__always)
    func merged(_ xi: Double, _ yi: Double, _ xy: Double, sizeX: Double, sizeY: Double, sizeI: Double) -> Double {
        switch self {
        case .ward:
            return ((sizeI + sizeX) * xi + (sizeI + sizeY) * yi - sizeI * xy) / (sizeX + sizeY + sizeI)
        case .average:
            return (sizeX * xi + sizeY * yi) / (sizeX + sizeY)
        case .complete:
            return max(xi, yi)
        }
    }
}
