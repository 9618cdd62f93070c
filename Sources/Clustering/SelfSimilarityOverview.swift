import Foundation

/// A coarse self-similarity matrix for pictures: the track is cut into
/// `cells` equal spans, each span's mean feature vector (z-scored, weighted)
/// is compared with every other by cosine similarity.
public enum SelfSimilarityOverview {
    /// A `cells × cells` row-major matrix of similarities in [-1, 1].
    public static func compute(frames: FeatureMatrix, weights: [Double]?, cells requested: Int = 128) -> (cells: Int, values: [Float]) {
        let cells = max(1, min(requested, frames.rowCount))
        let spanFrames = Double(frames.rowCount) / Double(cells)
        var means = [Float](repeating: 0, count: cells * frames.columnCount)
        for cell in 0..<cells {
            let first = Int(Double(cell) * spanFrames)
            let last = max(first + 1, min(frames.rowCount, Int(Double(cell + 1) * spanFrames)))
            for row in first..<last {
                for column in 0..<frames.columnCount { means[cell * frames.columnCount + column] += frames[row, column] }
            }
            for column in 0..<frames.columnCount { means[cell * frames.columnCount + column] /= Float(last - first) }
        }
        let matrix = FeatureMatrix(rowCount: cells, columnCount: frames.columnCount, values: means)
        let scaled = Standardizer(fitting: matrix, weights: weights).transform(matrix)
        let norms = (0..<cells).map { scaled.row($0).reduce(Float(0)) { $0 + $1 * $1 }.squareRoot() }
        var values = [Float](repeating: 0, count: cells * cells)
        for a in 0..<cells {
            for b in a..<cells {
                var product: Float = 0
                for column in 0..<scaled.columnCount { product += scaled[a, column] * scaled[b, column] }
                let value = norms[a] > 0 && norms[b] > 0 ? product / (norms[a] * norms[b]) : (a == b ? 1 : 0)
                values[a * cells + b] = value
                values[b * cells + a] = value
            }
        }
        return (cells, values)
    }
}
