/// The outcome of one k-means fit: the winning restart's centres and labels.
public struct KMeansResult: Sendable, Equatable {
    /// `clusterCount` rows of cluster centres, as many columns as the data.
    public var centroids: FeatureMatrix
    /// The cluster of each item, in `0..<clusterCount`.
    public var labels: [Int]
    /// Sum of squared Euclidean distances from each item to its centre, ≥ 0
    /// (scikit-learn's `inertia_`); each distance in Float, the sum in Double.
    public var inertia: Double
    /// Iterations of the winning restart, in `1...maximumIterations`.
    public var iterations: Int
    /// Which restart won, in `0..<restarts` (for reporting).
    public var restart: Int
}
