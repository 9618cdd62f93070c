import Foundation

/// The parameters of a Gaussian mixture and the two halves of one EM step.
///
/// Everything is in Double. The E-step and M-step follow scikit-learn's
/// `GaussianMixture` (`_estimate_log_prob`, `_estimate_gaussian_parameters`):
/// responsibilities are normalised with log-sum-exp, every component's
/// weight sums its responsibilities plus 10 machine epsilons (so an empty
/// component divides by a tiny number, not by 0), and `regularization` is
/// added to every variance (the diagonal of a full covariance), as `reg_covar`.
struct MixtureModel: Sendable {
    let kind: CovarianceKind
    /// Components, k ≥ 1.
    let componentCount: Int
    /// Features per item, d ≥ 1.
    let dimension: Int
    /// k mixing weights summing to 1.
    var weights: [Double]
    /// k × d means, row-major.
    var means: [Double]
    /// k × d variances (diagonal) or k × d × d matrices (full), row-major.
    var covariances: [Double]
    /// Per component: the precisions 1/σ² (diagonal, k × d) or the lower
    /// Cholesky factor L of the covariance (full, k × d × d); set by ``prepare()``.
    private(set) var factors: [Double] = []
    /// Per component: log wₖ − ½ (d log 2π + log |Σₖ|); set by ``prepare()``.
    private(set) var logNormalisers: [Double] = []
    /// How often a full covariance needed extra regularisation to factor.
    private(set) var repairs = 0

    init(kind: CovarianceKind, componentCount: Int, dimension: Int, weights: [Double], means: [Double],
         covariances: [Double]) {
        self.kind = kind
        self.componentCount = componentCount
        self.dimension = dimension
        self.weights = weights
        self.means = means
        self.covariances = covariances
    }

    /// The M-step: weights, means and covariances from responsibilities.
    ///
    /// - Parameters:
    ///   - data: n × d values, row-major.
    ///   - responsibilities: n × k, each row summing to 1.
    ///   - regularization: added to every variance, ≥ 0.
    ///   - jobs: threads.
    /// - Complexity: O(n k d) diagonal, O(n k d²) full.
    static func estimate(kind: CovarianceKind, data: [Double], rowCount: Int, dimension: Int,
                         responsibilities: [Double], componentCount: Int, regularization: Double, jobs: Int)
        -> MixtureModel
    {
        let k = componentCount
        let d = dimension
        let chunks = RowChunks.count(rowCount)
        let squareWidth = kind == .diagonal ? d : d * d
        // Pass 1: Σ r, Σ r x (and Σ r x² for the diagonal), per chunk.
        var counts = [Double](repeating: 0, count: chunks * k)
        var sums = [Double](repeating: 0, count: chunks * k * d)
        var squares = [Double](repeating: 0, count: kind == .diagonal ? chunks * k * d : 0)
        data.withUnsafeBufferPointer { data in
            responsibilities.withUnsafeBufferPointer { resp in
                let x = SendableConstPointer(data.baseAddress!)
                let r = SendableConstPointer(resp.baseAddress!)
                counts.withUnsafeMutableBufferPointer { counts in
                    sums.withUnsafeMutableBufferPointer { sums in
                        squares.withUnsafeMutableBufferPointer { squares in
                            let c = SendablePointer(counts.baseAddress!)
                            let s = SendablePointer(sums.baseAddress!)
                            let q = SendablePointer(squares.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!)
                            let diagonal = kind == .diagonal
                            RowChunks.forEach(rowCount, jobs: jobs) { chunk, rows in
                                let count = c.pointer + chunk * k
                                let sum = s.pointer + chunk * k * d
                                let square = q.pointer + (diagonal ? chunk * k * d : 0)
                                for row in rows {
                                    let point = x.pointer + row * d
                                    for component in 0..<k {
                                        let weight = r.pointer[row * k + component]
                                        if weight == 0 { continue }
                                        count[component] += weight
                                        let target = sum + component * d
                                        if diagonal {
                                            let targetSquare = square + component * d
                                            for j in 0..<d {
                                                let value = point[j]
                                                target[j] += weight * value
                                                targetSquare[j] += weight * value * value
                                            }
                                        } else {
                                            for j in 0..<d { target[j] += weight * point[j] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var totals = [Double](repeating: 10 * Double.ulpOfOne, count: k)
        var means = [Double](repeating: 0, count: k * d)
        for chunk in 0..<chunks {
            for component in 0..<k { totals[component] += counts[chunk * k + component] }
            for index in 0..<(k * d) { means[index] += sums[chunk * k * d + index] }
        }
        for component in 0..<k {
            for j in 0..<d { means[component * d + j] /= totals[component] }
        }
        var covariances = [Double](repeating: 0, count: k * squareWidth)
        if kind == .diagonal {
            for chunk in 0..<chunks {
                for index in 0..<(k * d) { covariances[index] += squares[chunk * k * d + index] }
            }
            for component in 0..<k {
                for j in 0..<d {
                    let index = component * d + j
                    let mean = means[index]
                    // E[x²] − 2 μ E[x] + μ², as scikit-learn writes it; never below the regularisation.
                    let value = covariances[index] / totals[component] - 2 * mean * mean + mean * mean
                    covariances[index] = max(value, 0) + regularization
                }
            }
        } else {
            // Pass 2: the scatter about the new means (upper triangle), per chunk.
            var scatter = [Double](repeating: 0, count: chunks * k * d * d)
            data.withUnsafeBufferPointer { data in
                responsibilities.withUnsafeBufferPointer { resp in
                    means.withUnsafeBufferPointer { meanValues in
                        scatter.withUnsafeMutableBufferPointer { scatter in
                            let x = SendableConstPointer(data.baseAddress!)
                            let r = SendableConstPointer(resp.baseAddress!)
                            let m = SendableConstPointer(meanValues.baseAddress!)
                            let out = SendablePointer(scatter.baseAddress!)
                            RowChunks.forEach(rowCount, jobs: jobs) { chunk, rows in
                                var difference = [Double](repeating: 0, count: d)
                                let base = out.pointer + chunk * k * d * d
                                for row in rows {
                                    let point = x.pointer + row * d
                                    for component in 0..<k {
                                        let weight = r.pointer[row * k + component]
                                        if weight == 0 { continue }
                                        let mean = m.pointer + component * d
                                        for j in 0..<d { difference[j] = point[j] - mean[j] }
                                        let matrix = base + component * d * d
                                        for a in 0..<d {
                                            let scaled = weight * difference[a]
                                            for b in a..<d { matrix[a * d + b] += scaled * difference[b] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for chunk in 0..<chunks {
                for index in 0..<(k * d * d) { covariances[index] += scatter[chunk * k * d * d + index] }
            }
            for component in 0..<k {
                let matrix = component * d * d
                for a in 0..<d {
                    for b in a..<d {
                        let value = covariances[matrix + a * d + b] / totals[component]
                        covariances[matrix + a * d + b] = value
                        covariances[matrix + b * d + a] = value
                    }
                    covariances[matrix + a * d + a] += regularization
                }
            }
        }
        let total = totals.reduce(0, +)
        return MixtureModel(kind: kind, componentCount: k, dimension: d, weights: totals.map { $0 / total },
                            means: means, covariances: covariances)
    }

    /// Derives the precisions or Cholesky factors and the log normalisers.
    ///
    /// A full covariance that is not numerically positive definite gets 10×
    /// more diagonal regularisation (from 1e-10 of its trace) until it factors;
    /// ``repairs`` counts how often.
    mutating func prepare() {
        let k = componentCount
        let d = dimension
        let logTwoPi = log(2 * Double.pi)
        logNormalisers = [Double](repeating: 0, count: k)
        switch kind {
        case .diagonal:
            factors = covariances.map { 1 / $0 }
            for component in 0..<k {
                var logDeterminant = 0.0
                for j in 0..<d { logDeterminant += log(covariances[component * d + j]) }
                logNormalisers[component] = log(weights[component]) - 0.5 * (Double(d) * logTwoPi + logDeterminant)
            }
        case .full:
            factors = [Double](repeating: 0, count: k * d * d)
            for component in 0..<k {
                let offset = component * d * d
                var matrix = Array(covariances[offset..<(offset + d * d)])
                var trace = 0.0
                for a in 0..<d { trace += matrix[a * d + a] }
                var jitter = max(trace / Double(d), 1) * 1e-10
                while !Self.cholesky(&matrix, dimension: d) {
                    repairs += 1
                    matrix = Array(covariances[offset..<(offset + d * d)])
                    for a in 0..<d { matrix[a * d + a] += jitter }
                    jitter *= 10
                }
                var logDeterminant = 0.0
                for a in 0..<d { logDeterminant += 2 * log(matrix[a * d + a]) }
                factors.replaceSubrange(offset..<(offset + d * d), with: matrix)
                logNormalisers[component] = log(weights[component]) - 0.5 * (Double(d) * logTwoPi + logDeterminant)
            }
        }
    }

    /// In-place lower Cholesky factor of a symmetric d × d matrix (upper part zeroed).
    ///
    /// - Returns: false when the matrix is not numerically positive definite.
    static func cholesky(_ matrix: inout [Double], dimension d: Int) -> Bool {
        for j in 0..<d {
            var diagonal = matrix[j * d + j]
            for p in 0..<j { diagonal -= matrix[j * d + p] * matrix[j * d + p] }
            guard diagonal > 0, diagonal.isFinite else { return false }
            let root = diagonal.squareRoot()
            matrix[j * d + j] = root
            for i in (j + 1)..<max(j + 1, d) {
                var value = matrix[i * d + j]
                for p in 0..<j { value -= matrix[i * d + p] * matrix[j * d + p] }
                matrix[i * d + j] = value / root
            }
            for i in 0..<j { matrix[i * d + j] = 0 }
        }
        return true
    }

    /// The E-step: responsibilities of every component for every row.
    ///
    /// - Parameters:
    ///   - data: n × d values.
    ///   - responsibilities: n × k, overwritten with each row's posterior.
    /// - Returns: the mean over rows of log p(x) (scikit-learn's `score`).
    /// - Precondition: ``prepare()`` was called after the last change.
    /// - Complexity: O(n k d) diagonal, O(n k d²) full.
    func expect(data: [Double], rowCount: Int, responsibilities: inout [Double], jobs: Int) -> Double {
        let k = componentCount
        let d = dimension
        let chunks = RowChunks.count(rowCount)
        var partials = [Double](repeating: 0, count: chunks)
        let diagonal = kind == .diagonal
        data.withUnsafeBufferPointer { data in
            means.withUnsafeBufferPointer { means in
                factors.withUnsafeBufferPointer { factors in
                    logNormalisers.withUnsafeBufferPointer { normalisers in
                        responsibilities.withUnsafeMutableBufferPointer { resp in
                            partials.withUnsafeMutableBufferPointer { partials in
                                let x = SendableConstPointer(data.baseAddress!)
                                let m = SendableConstPointer(means.baseAddress!)
                                let f = SendableConstPointer(factors.baseAddress!)
                                let c = SendableConstPointer(normalisers.baseAddress!)
                                let r = SendablePointer(resp.baseAddress!)
                                let p = SendablePointer(partials.baseAddress!)
                                RowChunks.forEach(rowCount, jobs: jobs) { chunk, rows in
                                    var solved = [Double](repeating: 0, count: d)
                                    var total = 0.0
                                    for row in rows {
                                        let point = x.pointer + row * d
                                        let out = r.pointer + row * k
                                        var largest = -Double.infinity
                                        for component in 0..<k {
                                            let mean = m.pointer + component * d
                                            var distance = 0.0
                                            if diagonal {
                                                let precision = f.pointer + component * d
                                                var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
                                                var j = 0
                                                while j + 4 <= d {
                                                    let e0 = point[j] - mean[j], e1 = point[j + 1] - mean[j + 1]
                                                    let e2 = point[j + 2] - mean[j + 2], e3 = point[j + 3] - mean[j + 3]
                                                    a0 += e0 * e0 * precision[j]
                                                    a1 += e1 * e1 * precision[j + 1]
                                                    a2 += e2 * e2 * precision[j + 2]
                                                    a3 += e3 * e3 * precision[j + 3]
                                                    j += 4
                                                }
                                                while j < d {
                                                    let e = point[j] - mean[j]
                                                    a0 += e * e * precision[j]
                                                    j += 1
                                                }
                                                distance = (a0 + a1) + (a2 + a3)
                                            } else {
                                                // Solve L y = x − μ; the Mahalanobis distance is |y|².
                                                let lower = f.pointer + component * d * d
                                                for a in 0..<d {
                                                    var value = point[a] - mean[a]
                                                    for b in 0..<a { value -= lower[a * d + b] * solved[b] }
                                                    value /= lower[a * d + a]
                                                    solved[a] = value
                                                    distance += value * value
                                                }
                                            }
                                            let logProbability = c.pointer[component] - 0.5 * distance
                                            out[component] = logProbability
                                            if logProbability > largest { largest = logProbability }
                                        }
                                        var sum = 0.0
                                        for component in 0..<k { sum += exp(out[component] - largest) }
                                        let logNorm = largest + log(sum)
                                        for component in 0..<k { out[component] = exp(out[component] - logNorm) }
                                        total += logNorm
                                    }
                                    p.pointer[chunk] = total
                                }
                            }
                        }
                    }
                }
            }
        }
        return partials.reduce(0, +) / Double(rowCount)
    }
}
