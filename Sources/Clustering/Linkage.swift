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
    /// The Lance–Williams updates (``AgglomerativeClustering``) of the distance from
    /// cluster i to the union of x and y: Ward ((nᵢ + nₓ) d²ᵢₓ + (nᵢ + n_y) d²ᵢ_y − nᵢ d²ₓ_y) / (nᵢ + nₓ + n_y),
    /// average (nₓ dᵢₓ + n_y dᵢ_y) / (nₓ + n_y), complete max(dᵢₓ, dᵢ_y).
    var worksOnSquaredDistances: Bool { self != .average }
}
