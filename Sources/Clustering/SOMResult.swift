/// A trained map: the codebook, where each item landed, and how well the map fits.
public struct SOMResult: Sendable {
    /// Grid width: columns (x), ≥ 1. Unit `u` sits at `x = u / height`,
    /// `y = u % height` (MiniSom's order).
    public var width: Int
    /// Grid height: rows (y), ≥ 1.
    public var height: Int
    /// The grid's cell shape.
    public var topology: SOMTopology
    /// One row per unit: `width × height` rows, as many columns as the data.
    public var codebook: FeatureMatrix
    /// The best-matching unit of each item, in `0..<width × height`; of equally
    /// near units the lowest index.
    public var bestUnits: [Int]
    /// Mean Euclidean distance from each item to its best-matching unit, in
    /// feature units (MiniSom `quantization_error`).
    public var quantizationError: Double
    /// Fraction of items whose best and second-best units are not neighbours,
    /// in [0, 1]; NaN for a one-unit map (MiniSom `topographic_error`).
    public var topographicError: Double
    /// The U-matrix: per unit, the summed distance to its grid neighbours'
    /// codebook vectors, divided by the largest, in [0, 1] (MiniSom `distance_map()`).
    public var uMatrix: [Double]

    /// The unit's position on the plane (hexagonal rows are offset, as MiniSom draws them).
    ///
    /// - Parameter unit: in `0..<width × height`.
    /// - Returns: MiniSom's plane coordinates; neighbouring units are 1 apart.
    public func position(ofUnit unit: Int) -> (x: Double, y: Double) {
        SelfOrganizingMap.position(x: unit / height, y: unit % height, height: height, topology: topology)
    }
}
