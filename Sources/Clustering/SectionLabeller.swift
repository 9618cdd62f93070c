import DSP
import Foundation

/// How two sections are compared when they are labelled.
public enum SectionComparison: Sendable, Equatable, CustomStringConvertible {
    /// Cosine similarity of the sections' mean block vectors (the rule before labels had their own stage).
    case meanVector
    /// Cosine similarity of the sections' per-column means and standard deviations, concatenated.
    case meanAndSpread
    /// Recurrence: each section becomes at most ``SectionLabeller/maximumPoints`` points, each the mean
    /// of `windowBlocks` consecutive blocks; every point of one section is matched with its most similar
    /// point of the other (cosine), and the two directions' mean best matches are averaged. Order and
    /// tempo within a section do not matter, so a repeat played differently still matches.
    case bestMatch(windowBlocks: Int)

    public var description: String {
        switch self {
        case .meanVector: "mean vector"
        case .meanAndSpread: "mean and spread"
        case let .bestMatch(windowBlocks): "best match (window \(windowBlocks) blocks)"
        }
    }
}

/// The label stage of the structure segmenter: once the cuts are made, the
/// SECTIONS are compared with each other (``comparison``) and grouped by
/// average-linkage clustering; two groups merge only while their average
/// similarity is at least ``threshold``, so the number of distinct labels comes
/// from the music, and a piece whose sections are all unlike stays A B C D.
///
/// The default comparison and threshold were calibrated on the development
/// collages only (`scripts/make-segment-dev-audio`; `songatlas-bench segments
/// segment-dev-audio --label-sweep`), by mir_eval's pairwise frame F on the
/// cuts `segment` finds: best match over 8-block (2 s) windows scored 0.837–0.848
/// for every threshold from 0.40 to 0.60 with a repeat found in 24 of 24 pieces
/// (mean vectors at the old 0.75: 0.746, 19 of 24); 0.55 is the highest
/// threshold of that plateau that still finds every repeat, so sections share a
/// letter only when clearly alike. The older collage set
/// (`scripts/make-collage-audio`) played no part in the choice; `scripts/eval-segments`
/// reports both.
public struct SectionLabeller: Sendable, Equatable {
    public var comparison: SectionComparison
    /// Two groups of sections share a label when their average similarity is at least this.
    public var threshold: Double
    /// The most points a section keeps for ``SectionComparison/bestMatch(windowBlocks:)``; bounds the cost
    /// of a pair of sections however long they are.
    public var maximumPoints = 48

    /// The calibrated labeller.
    public static let `default` = SectionLabeller(comparison: .bestMatch(windowBlocks: 8), threshold: 0.55)

    public init(comparison: SectionComparison, threshold: Double) {
        self.comparison = comparison
        self.threshold = threshold
    }

    /// Labels `A`, `B`, … (by first appearance) for sections given as ranges of rows of `blocks`.
    ///
    /// - Parameters:
    ///   - blocks: the z-scored block vectors of the track.
    ///   - ranges: each section's rows, non-empty, in time order.
    /// - Complexity: O(s² · p² · d) for s sections of at most p points, plus O(s³) for the grouping.
    public func labels(blocks: FeatureMatrix, ranges: [Range<Int>]) -> [String] {
        let similarity = similarities(blocks: blocks, ranges: ranges)
        return Self.group(similarity: similarity, count: ranges.count, threshold: threshold)
    }

    /// The symmetric `s × s` similarity matrix of the sections (row-major, 1 on the diagonal).
    public func similarities(blocks: FeatureMatrix, ranges: [Range<Int>]) -> [Double] {
        let count = ranges.count
        var similarity = [Double](repeating: 1, count: count * count)
        let describe: (Range<Int>) -> [[Float]]
        switch comparison {
        case .meanVector:
            describe = { [Self.mean(blocks, rows: $0)] }
        case .meanAndSpread:
            describe = { rows in
                let mean = Self.mean(blocks, rows: rows)
                var spread = [Float](repeating: 0, count: blocks.columnCount)
                for row in rows {
                    for column in 0..<blocks.columnCount {
                        let difference = blocks[row, column] - mean[column]
                        spread[column] += difference * difference
                    }
                }
                return [mean + spread.map { ($0 / Float(max(rows.count, 1))).squareRoot() }]
            }
        case let .bestMatch(windowBlocks):
            describe = { Self.points(blocks, rows: $0, window: max(1, windowBlocks), maximum: max(1, maximumPoints)) }
        }
        let descriptions = ranges.map { describe($0).map(Self.unit) }
        for a in 0..<count {
            for b in (a + 1)..<max(a + 1, count) {
                let value = Self.bestMatchSimilarity(descriptions[a], descriptions[b])
                similarity[a * count + b] = value
                similarity[b * count + a] = value
            }
        }
        return similarity
    }

    /// Average-linkage grouping of a similarity matrix; groups merge while their
    /// average similarity is at least `threshold`. Labels by first appearance.
    public static func group(similarity: [Double], count: Int, threshold: Double) -> [String] {
        var clusters = (0..<count).map { [$0] }
        while clusters.count > 1 {
            var best = (similarity: -Double.infinity, a: 0, b: 0)
            for a in 0..<clusters.count {
                for b in (a + 1)..<clusters.count {
                    var total = 0.0
                    for i in clusters[a] { for j in clusters[b] { total += similarity[i * count + j] } }
                    let average = total / Double(clusters[a].count * clusters[b].count)
                    if average > best.similarity { best = (average, a, b) }
                }
            }
            guard best.similarity >= threshold else { break }
            clusters[best.a] += clusters[best.b]
            clusters.remove(at: best.b)
        }
        var clusterOf = [Int](repeating: 0, count: count)
        for (index, members) in clusters.enumerated() { for member in members { clusterOf[member] = index } }
        return StructureSegmenter.namesByFirstAppearance(clusterOf)
    }

    /// The mean of each direction's best matches, averaged over the two directions.
    /// With one point each, the cosine of the two.
    static func bestMatchSimilarity(_ first: [[Float]], _ second: [[Float]]) -> Double {
        guard !first.isEmpty, !second.isEmpty else { return 0 }
        var bestOfFirst = [Float](repeating: -.infinity, count: first.count)
        var bestOfSecond = [Float](repeating: -.infinity, count: second.count)
        for (i, a) in first.enumerated() {
            a.withUnsafeBufferPointer { left in
                for (j, b) in second.enumerated() {
                    let value = b.withUnsafeBufferPointer { right in
                        VectorKernels.dot(left.baseAddress!, right.baseAddress!, count: min(left.count, right.count))
                    }
                    bestOfFirst[i] = max(bestOfFirst[i], value)
                    bestOfSecond[j] = max(bestOfSecond[j], value)
                }
            }
        }
        let forward = bestOfFirst.reduce(0.0) { $0 + Double($1) } / Double(first.count)
        let backward = bestOfSecond.reduce(0.0) { $0 + Double($1) } / Double(second.count)
        return (forward + backward) / 2
    }

    static func mean(_ data: FeatureMatrix, rows: Range<Int>) -> [Float] {
        var total = [Float](repeating: 0, count: data.columnCount)
        for row in rows { for column in 0..<data.columnCount { total[column] += data[row, column] } }
        return total.map { $0 / Float(max(rows.count, 1)) }
    }

    /// At most `maximum` evenly spaced points of a section, each the mean of `window` blocks inside it.
    static func points(_ data: FeatureMatrix, rows: Range<Int>, window: Int, maximum: Int) -> [[Float]] {
        let width = min(window, rows.count)
        let starts = rows.count - width + 1
        let count = min(maximum, starts)
        return (0..<count).map { index in
            let first = rows.lowerBound + (count > 1 ? index * (starts - 1) / (count - 1) : (starts - 1) / 2)
            return mean(data, rows: first..<(first + width))
        }
    }

    /// `vector` scaled to unit length (zero stays zero).
    static func unit(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}
