import Foundation

extension StructureSegmenter {
    /// The cuts a rule keeps among the candidate peaks.
    ///
    /// - Parameters:
    ///   - peaks: candidate blocks (novelty maxima at least `minimumBlocks` from both ends), highest first.
    ///   - novelty: the raw novelty curve; `normalised` is it divided by its maximum.
    ///   - blocks: the z-scored block features (for the kernel cost).
    /// - Returns: chosen blocks, at least `minimumBlocks` apart, in any order.
    static func selectCuts(_ peaks: [Int], rule: CutSelection, novelty: [Double], normalised: [Double],
                           blocks: FeatureMatrix, minimumBlocks: Int, blockDuration: Double) -> [Int] {
        func greedy(_ keep: (Int) -> Bool) -> [Int] {
            var chosen: [Int] = []
            for candidate in peaks where keep(candidate) {
                guard chosen.allSatisfy({ abs($0 - candidate) >= minimumBlocks }) else { continue }
                chosen.append(candidate)
            }
            return chosen
        }
        switch rule {
        case let .fractionOfHighestPeak(fraction):
            return greedy { normalised[$0] >= fraction }
        case let .aboveCurveMean(deviations):
            let mean = novelty.reduce(0, +) / Double(max(novelty.count, 1))
            let variance = novelty.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(novelty.count, 1))
            let threshold = mean + deviations * variance.squareRoot()
            return greedy { novelty[$0] >= threshold }
        case let .penalisedCost(penalty, lengthExponent):
            let cost = KernelSegmentCost(blocks)
            let lengthFactor = pow(Double(blocks.rowCount) * blockDuration / CutSelection.penaltyReferenceSeconds,
                                   lengthExponent)
            let perCut = penalty * lengthFactor * cost.scatterPerBlock * (1 / blockDuration)
            return optimalCuts(candidates: peaks.sorted(), blockCount: blocks.rowCount, minimumBlocks: minimumBlocks,
                               penaltyPerCut: perCut, cost: cost.cost)
        }
    }

    /// The subset of `candidates` (sorted) minimising the summed section cost
    /// plus `penaltyPerCut` per cut, sections at least `minimumBlocks` long
    /// (dynamic programming over the candidates, the segment-neighbourhood
    /// recursion of kernel change-point detection).
    ///
    /// - Complexity: O(m²) cost evaluations for m candidates.
    public static func optimalCuts(candidates: [Int], blockCount: Int, minimumBlocks: Int, penaltyPerCut: Double,
                            cost: (Int, Int) -> Double) -> [Int] {
        let points = [0] + candidates + [blockCount]
        var best = [Double](repeating: .infinity, count: points.count)
        var previous = [Int](repeating: -1, count: points.count)
        best[0] = 0
        for j in 1..<points.count {
            for i in 0..<j where best[i].isFinite && points[j] - points[i] >= minimumBlocks {
                let total = best[i] + cost(points[i], points[j]) + (j < points.count - 1 ? penaltyPerCut : 0)
                if total < best[j] {
                    best[j] = total
                    previous[j] = i
                }
            }
        }
        var cuts: [Int] = []
        var index = previous[points.count - 1]
        while index > 0 {
            cuts.append(points[index])
            index = previous[index]
        }
        return cuts.reversed()
    }
}

/// The within-section cost of kernel change-point detection with the cosine
/// kernel: for blocks a..<b, Σ‖xᵢ‖² − ‖Σ xᵢ‖² / (b − a) over the unit-length
/// block vectors, i.e. their scatter around the section's mean, from prefix
/// sums in O(d) per section.
public struct KernelSegmentCost: Sendable {
    private let dimension: Int
    private let prefix: [Double]
    private let squaredPrefix: [Double]
    /// The whole track's cost divided by its length: its own scale of scatter.
    public let scatterPerBlock: Double

    /// Prefix sums of the unit-length rows of `blocks`; O(n·d) time and memory.
    public init(_ blocks: FeatureMatrix) {
        let n = blocks.rowCount
        let d = blocks.columnCount
        dimension = d
        var prefix = [Double](repeating: 0, count: (n + 1) * d)
        var squaredPrefix = [Double](repeating: 0, count: n + 1)
        for row in 0..<n {
            var norm = 0.0
            for column in 0..<d { norm += Double(blocks[row, column]) * Double(blocks[row, column]) }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            for column in 0..<d {
                prefix[(row + 1) * d + column] = prefix[row * d + column] + Double(blocks[row, column]) * scale
            }
            squaredPrefix[row + 1] = squaredPrefix[row] + (norm > 0 ? 1 : 0)
        }
        self.prefix = prefix
        self.squaredPrefix = squaredPrefix
        var total = 0.0
        for column in 0..<d { total += prefix[n * d + column] * prefix[n * d + column] }
        scatterPerBlock = n > 0 ? max(0, squaredPrefix[n] - total / Double(n)) / Double(n) : 0
    }

    /// The cost of one section of blocks `first..<last`.
    public func cost(_ first: Int, _ last: Int) -> Double {
        guard last > first else { return 0 }
        var sum = 0.0
        for column in 0..<dimension {
            let value = prefix[last * dimension + column] - prefix[first * dimension + column]
            sum += value * value
        }
        return max(0, squaredPrefix[last] - squaredPrefix[first] - sum / Double(last - first))
    }
}
