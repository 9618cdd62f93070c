import DSP
import Foundation

extension HamerlyRun {
    /// Greedy k-means++: each new centre is the best of `2 + ln k`
    /// candidates drawn in proportion to squared distance from the centres so far.
    ///
    /// Follows scikit-learn's `_kmeans_plusplus` (greedy variant, `n_local_trials = 2 + log(k)`):
    /// the first centre is a uniformly drawn point; of each round's candidates
    /// the one that lowers the potential (Σ squared distance to the nearest
    /// centre) most is kept, ties to the first drawn.
    ///
    /// - Parameter generator: the restart's generator; the draws depend only on it.
    /// - Complexity: O(k × (2 + ln k) × n × d).
    mutating func seedCentres(using generator: inout SeededGenerator) {
        let count = data.rowCount
        let trials = 2 + Int(log(Double(clusterCount)))
        var closest = [Float](repeating: 0, count: count)
        var candidateDistances = [Float](repeating: 0, count: count)
        data.values.withUnsafeBufferPointer { points in
            let first = Int(generator.nextUnit() * Double(count)) % count
            centres.replaceSubrange(0..<dimension, with: data.row(first))
            var potential = 0.0
            for point in 0..<count {
                closest[point] = VectorKernels.squaredDistance(
                    points.baseAddress! + point * dimension, points.baseAddress! + first * dimension, count: dimension)
                potential += Double(closest[point])
            }
            for centre in 1..<max(clusterCount, 1) {
                var bestCandidate = 0
                var bestPotential = Double.infinity
                var bestDistances: [Float] = []
                for _ in 0..<trials {
                    let candidate = Self.sample(closest, total: potential, using: &generator)
                    var candidatePotential = 0.0
                    closest.withUnsafeBufferPointer { closest in
                        candidateDistances.withUnsafeMutableBufferPointer { candidateDistances in
                            let centre = points.baseAddress! + candidate * dimension
                            var partial: Float = 0
                            for point in 0..<count {
                                let distance = VectorKernels.squaredDistance(
                                    points.baseAddress! + point * dimension, centre, count: dimension)
                                let nearest = min(closest[point], distance)
                                candidateDistances[point] = nearest
                                partial += nearest
                                if point & 255 == 255 {     // short Float partial sums, total in Double
                                    candidatePotential += Double(partial)
                                    partial = 0
                                }
                            }
                            candidatePotential += Double(partial)
                        }
                    }
                    // The first candidate is kept even if its potential is not
                    // finite (distances beyond Float's range); a later one must beat it.
                    if bestDistances.isEmpty || candidatePotential < bestPotential {
                        bestPotential = candidatePotential
                        bestCandidate = candidate
                        swap(&bestDistances, &candidateDistances)
                        if candidateDistances.count != count {
                            candidateDistances = [Float](repeating: 0, count: count)
                        }
                    }
                }
                centres.replaceSubrange((centre * dimension)..<((centre + 1) * dimension), with: data.row(bestCandidate))
                closest = bestDistances
                potential = bestPotential
            }
        }
    }

    /// An index drawn with probability proportional to `weights`; uniform when all are 0.
    ///
    /// - Parameters:
    ///   - weights: ≥ 0 each, at least one.
    ///   - total: their sum (accumulated as the caller did), ≥ 0.
    ///   - generator: supplies one uniform draw.
    /// - Returns: an index in `weights.indices`; rounding never returns one of weight 0
    ///   unless all are 0.
    /// - Complexity: O(n).
    static func sample(_ weights: [Float], total: Double, using generator: inout SeededGenerator) -> Int {
        guard total > 0 else { return Int(generator.nextUnit() * Double(weights.count)) % weights.count }
        let target = generator.nextUnit() * total
        var running = 0.0
        for (index, weight) in weights.enumerated() {
            running += Double(weight)
            if running > target { return index }
        }
        return weights.lastIndex { $0 > 0 } ?? weights.count - 1
    }

    /// Runs Lloyd iterations with Hamerly's pruning until the centres settle.
}
