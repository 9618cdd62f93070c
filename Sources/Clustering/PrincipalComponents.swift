import Foundation

/// Principal component analysis: the directions of largest variance, and the
/// projection of items onto the first few.
///
/// Matches scikit-learn's `PCA(n_components=m, svd_solver='full')` up to the
/// sign of each component: the data are centred, the components are the
/// eigenvectors of the covariance matrix with the largest eigenvalues
/// (found by cyclic Jacobi rotations, in Double), and the projection is
/// (x − mean) · components. Each component's sign is fixed so that its
/// largest-magnitude coordinate is positive, which makes the result
/// deterministic.
public struct PrincipalComponents: Sendable, Equatable {
    /// The column means of the fitted data (d values).
    public var mean: [Double]
    /// m × d unit vectors, one component per row, by decreasing variance.
    public var components: [Double]
    /// The variance along each component (m values, decreasing; divided by n − 1, as scikit-learn).
    public var explainedVariance: [Double]
    /// The fraction of the total variance along each component (m values).
    public var explainedVarianceRatio: [Double]
    /// Features d of the fitted data.
    public var inputDimension: Int
    /// Components kept, m.
    public var dimension: Int { explainedVariance.count }

    /// Fits `dimension` components to the rows of `data`.
    ///
    /// - Parameters:
    ///   - data: n ≥ 1 rows of d ≥ 1 finite values.
    ///   - dimension: components to keep, clamped to 1...d.
    /// - Complexity: O(n d² + d³ × sweeps), sweeps usually below 10.
    public init(fitting data: FeatureMatrix, dimension: Int) {
        let n = data.rowCount
        let d = data.columnCount
        var mean = [Double](repeating: 0, count: d)
        for row in 0..<n { for j in 0..<d { mean[j] += Double(data[row, j]) } }
        for j in 0..<d { mean[j] /= Double(max(n, 1)) }
        var covariance = [Double](repeating: 0, count: d * d)
        var centred = [Double](repeating: 0, count: d)
        for row in 0..<n {
            for j in 0..<d { centred[j] = Double(data[row, j]) - mean[j] }
            for a in 0..<d {
                let value = centred[a]
                for b in a..<d { covariance[a * d + b] += value * centred[b] }
            }
        }
        let scale = 1 / Double(max(n - 1, 1))
        for a in 0..<d {
            for b in a..<d {
                covariance[a * d + b] *= scale
                covariance[b * d + a] = covariance[a * d + b]
            }
        }
        let (values, vectors) = Self.symmetricEigen(covariance, dimension: d)
        let order = values.indices.sorted { (values[$0], -$0) > (values[$1], -$1) }
        let kept = max(1, min(dimension, d))
        var components = [Double](repeating: 0, count: kept * d)
        var variances: [Double] = []
        for (rank, index) in order.prefix(kept).enumerated() {
            var vector = (0..<d).map { vectors[$0 * d + index] }
            let largest = vector.indices.max { abs(vector[$0]) < abs(vector[$1]) } ?? 0
            if vector[largest] < 0 { vector = vector.map { -$0 } }
            components.replaceSubrange((rank * d)..<((rank + 1) * d), with: vector)
            variances.append(max(values[index], 0))
        }
        let total = values.reduce(0) { $0 + max($1, 0) }
        self.mean = mean
        self.components = components
        explainedVariance = variances
        explainedVarianceRatio = variances.map { total > 0 ? $0 / total : 0 }
        inputDimension = d
    }

    /// Projects the rows of `data` onto the components.
    ///
    /// - Parameter data: rows with ``inputDimension`` columns.
    /// - Returns: n × ``dimension`` coordinates.
    public func transform(_ data: FeatureMatrix) -> FeatureMatrix {
        precondition(data.columnCount == inputDimension, "PCA fitted on \(inputDimension) columns")
        let d = inputDimension
        let m = dimension
        var values = [Float](repeating: 0, count: data.rowCount * m)
        var centred = [Double](repeating: 0, count: d)
        for row in 0..<data.rowCount {
            for j in 0..<d { centred[j] = Double(data[row, j]) - mean[j] }
            for component in 0..<m {
                var sum = 0.0
                for j in 0..<d { sum += centred[j] * components[component * d + j] }
                values[row * m + component] = Float(sum)
            }
        }
        return FeatureMatrix(rowCount: data.rowCount, columnCount: m, values: values)
    }

    /// Eigenvalues and eigenvectors (as columns of a row-major d × d matrix) of a
    /// symmetric matrix, by cyclic Jacobi rotations.
    ///
    /// - Complexity: O(d³) per sweep; stops when the off-diagonal mass is below
    ///   1e-22 of the total, or after 100 sweeps.
    static func symmetricEigen(_ matrix: [Double], dimension d: Int) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: d * d)
        for i in 0..<d { v[i * d + i] = 1 }
        let total = a.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<d { for q in (p + 1)..<max(p + 1, d) { off += a[p * d + q] * a[p * d + q] } }
            if off <= 1e-22 * total || off == 0 { break }
            for p in 0..<d {
                for q in (p + 1)..<max(p + 1, d) {
                    let apq = a[p * d + q]
                    if apq == 0 { continue }
                    let theta = (a[q * d + q] - a[p * d + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    for k in 0..<d {
                        let akp = a[k * d + p], akq = a[k * d + q]
                        a[k * d + p] = c * akp - s * akq
                        a[k * d + q] = s * akp + c * akq
                    }
                    for k in 0..<d {
                        let apk = a[p * d + k], aqk = a[q * d + k]
                        a[p * d + k] = c * apk - s * aqk
                        a[q * d + k] = s * apk + c * aqk
                    }
                    for k in 0..<d {
                        let vkp = v[k * d + p], vkq = v[k * d + q]
                        v[k * d + p] = c * vkp - s * vkq
                        v[k * d + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<d).map { a[$0 * d + $0] }, v)
    }
}
