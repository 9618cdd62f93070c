import DSP
import Foundation

/// The mean silhouette coefficient of clusterings of one data set.
///
/// The pairwise distances are computed once, so scoring several clusterings
/// of the same rows (one per candidate k) costs O(s²) each rather than
/// O(s² d). Past `sampleLimit` rows, a seeded sample of rows is scored
/// among themselves, as scikit-learn's `silhouette_score(sample_size:)` does.
public struct SilhouetteScorer: Sendable {
    /// The rows scored, as indices into the data.
    public let rows: [Int]
    /// Euclidean distances between the scored rows, row-major, `rows.count` squared.
    private let distances: [Float]

    /// - Complexity: O(s² d) time and O(s²) memory for s = min(n, `sampleLimit`) rows.
    public init(data: FeatureMatrix, sampleLimit: Int? = nil, seed: UInt64 = 0,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        var rows = Array(0..<data.rowCount)
        if let limit = sampleLimit, limit < rows.count {
            var generator = SeededGenerator(seed: seed)
            rows.shuffle(using: &generator)
            rows = Array(rows.prefix(limit))
        }
        self.rows = rows
        let s = rows.count
        let d = data.columnCount
        var distances = [Float](repeating: 0, count: s * s)
        let selected = rows
        data.values.withUnsafeBufferPointer { points in
            distances.withUnsafeMutableBufferPointer { target in
                let base = SendablePointer(target.baseAddress!)
                let source = SendableConstPointer(points.baseAddress!)
                // Row i fills (i, j) and (j, i) for j > i; rows are interleaved
                // across workers so that each gets a similar share of the triangle.
                let workers = max(1, min(jobs, s))
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for i in stride(from: worker, to: s, by: workers) {
                        let a = source.pointer + selected[i] * d
                        for j in (i + 1)..<max(i + 1, s) {
                            let distance = VectorKernels.squaredDistance(a, source.pointer + selected[j] * d, count: d)
                                .squareRoot()
                            base.pointer[i * s + j] = distance
                            base.pointer[j * s + i] = distance
                        }
                    }
                }
            }
        }
        self.distances = distances
    }

    /// The mean silhouette of `labels` (one per data row, in 0..<`clusterCount`).
    /// 0 when the scored rows fall in fewer than 2 clusters or each in its
    /// own (undefined; scikit-learn raises); a row alone in its cluster counts 0.
    public func score(labels: [Int], clusterCount k: Int) -> Double {
        let s = rows.count
        guard k >= 2, k < s else { return 0 }
        let sampleLabels = rows.map { labels[$0] }
        var sizes = [Int](repeating: 0, count: k)
        for label in sampleLabels { sizes[label] += 1 }
        let occupied = sizes.count { $0 > 0 }
        guard occupied >= 2, occupied < s else { return 0 }
        var total = 0.0
        var sums = [Double](repeating: 0, count: k)
        distances.withUnsafeBufferPointer { distances in
            for i in 0..<s {
                for cluster in 0..<k { sums[cluster] = 0 }
                let row = distances.baseAddress! + i * s
                for j in 0..<s { sums[sampleLabels[j]] += Double(row[j]) }
                let own = sampleLabels[i]
                guard sizes[own] > 1 else { continue }
                let cohesion = sums[own] / Double(sizes[own] - 1)
                var separation = Double.infinity
                for cluster in 0..<k where cluster != own && sizes[cluster] > 0 {
                    separation = min(separation, sums[cluster] / Double(sizes[cluster]))
                }
                let larger = max(cohesion, separation)
                total += larger > 0 ? (separation - cohesion) / larger : 0
            }
        }
        return total / Double(s)
    }
}
