/// Z-scores each column, then scales it by a weight.
///
/// Columns with no spread (every item equal) become 0 rather than NaN.
public struct Standardizer: Sendable, Equatable, Codable {
    public var means: [Double]
    public var deviations: [Double]
    public var weights: [Double]

    /// Learns the means and (population) standard deviations of `data`'s columns.
    ///
    /// - Parameter weights: one per column, default 1.
    public init(fitting data: FeatureMatrix, weights: [Double]? = nil) {
        let columns = data.columnCount
        var means = [Double](repeating: 0, count: columns)
        var squares = [Double](repeating: 0, count: columns)
        for row in 0..<data.rowCount {
            for column in 0..<columns { means[column] += Double(data[row, column]) }
        }
        let count = Double(max(data.rowCount, 1))
        for column in 0..<columns { means[column] /= count }
        for row in 0..<data.rowCount {
            for column in 0..<columns {
                let deviation = Double(data[row, column]) - means[column]
                squares[column] += deviation * deviation
            }
        }
        self.means = means
        deviations = squares.map { ($0 / count).squareRoot() }
        self.weights = weights ?? [Double](repeating: 1, count: columns)
        precondition(self.weights.count == columns, "one weight per column is needed")
    }

    /// `weight * (value - mean) / deviation` for every cell; 0 where the deviation is 0.
    public func transform(_ data: FeatureMatrix) -> FeatureMatrix {
        var output = data
        for row in 0..<data.rowCount {
            for column in 0..<data.columnCount {
                let deviation = deviations[column]
                output[row, column] = deviation > 1e-12
                    ? Float(weights[column] * (Double(data[row, column]) - means[column]) / deviation) : 0
            }
        }
        return output
    }
}
