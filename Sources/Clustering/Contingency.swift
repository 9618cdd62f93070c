import Foundation

/// The contingency table of two labelings, in Int counts.
struct Contingency {
    /// Non-zero cells as (row, column, count).
    var cells: [(row: Int, column: Int, count: Int)] = []
    var rowSums: [Int] = []
    var columnSums: [Int] = []
    var total: Int

    init(_ reference: [Int], _ predicted: [Int]) {
        total = reference.count
        var rowIndex: [Int: Int] = [:]
        var columnIndex: [Int: Int] = [:]
        // Index labels in sorted order, as numpy.unique does.
        for label in Set(reference).sorted() { rowIndex[label] = rowIndex.count }
        for label in Set(predicted).sorted() { columnIndex[label] = columnIndex.count }
        rowSums = [Int](repeating: 0, count: rowIndex.count)
        columnSums = [Int](repeating: 0, count: columnIndex.count)
        var counts: [Int: Int] = [:]
        for (true_, predicted_) in zip(reference, predicted) {
            let row = rowIndex[true_]!
            let column = columnIndex[predicted_]!
            counts[row * columnIndex.count + column, default: 0] += 1
            rowSums[row] += 1
            columnSums[column] += 1
        }
        cells = counts.map { (row: $0.key / columnIndex.count, column: $0.key % columnIndex.count, count: $0.value) }
            .sorted { ($0.row, $0.column) < ($1.row, $1.column) }
    }

    /// The table of two labelings given as runs: `pairs` holds, for each pair of
    /// labels, how many items carry both. Equal to ``init(_:_:)`` on the
    /// labelings the runs describe, without materialising them.
    ///
    /// - Parameter pairs: (reference label, predicted label, count); counts ≤ 0 are
    ///   ignored, and a pair may appear more than once (its counts add up).
    /// - Complexity: O(p log p) for p pairs, whatever the counts.
    init(pairCounts pairs: [(reference: Int, predicted: Int, count: Int)]) {
        let present = pairs.filter { $0.count > 0 }
        total = present.reduce(0) { $0 + $1.count }
        var rowIndex: [Int: Int] = [:]
        var columnIndex: [Int: Int] = [:]
        for label in Set(present.map(\.reference)).sorted() { rowIndex[label] = rowIndex.count }
        for label in Set(present.map(\.predicted)).sorted() { columnIndex[label] = columnIndex.count }
        rowSums = [Int](repeating: 0, count: rowIndex.count)
        columnSums = [Int](repeating: 0, count: columnIndex.count)
        var counts: [Int: Int] = [:]
        for pair in present {
            let row = rowIndex[pair.reference]!
            let column = columnIndex[pair.predicted]!
            counts[row * columnIndex.count + column, default: 0] += pair.count
            rowSums[row] += pair.count
            columnSums[column] += pair.count
        }
        cells = counts.map { (row: $0.key / columnIndex.count, column: $0.key % columnIndex.count, count: $0.value) }
            .sorted { ($0.row, $0.column) < ($1.row, $1.column) }
    }

    /// Entropy in nats of a labeling given its class sizes (sklearn `_entropy`).
    static func entropy(_ sizes: [Int], total: Int) -> Double {
        guard total > 0, sizes.count > 1 else { return 0 }
        let logTotal = log(Double(total))
        return -sizes.reduce(0.0) { $0 + Double($1) / Double(total) * (log(Double($1)) - logTotal) }
    }

    /// Mutual information in nats (sklearn `mutual_info_score`).
    func mutualInformation() -> Double {
        guard rowSums.count > 1, columnSums.count > 1 else { return 0 }
        let logTotal = log(Double(total))
        var information = 0.0
        for cell in cells {
            let count = Double(cell.count)
            let outer = log(Double(rowSums[cell.row])) + log(Double(columnSums[cell.column]))
            let probability = count / Double(total)
            let term = probability * (log(count) - logTotal) + probability * (2 * logTotal - outer)
            if abs(term) >= Double.ulpOfOne { information += term }
        }
        return max(information, 0)
    }

    /// The adjusted Rand index from pair counts (sklearn `adjusted_rand_score`).
    func adjustedRandIndex() -> Double {
        let n = Double(total)
        let sumSquares = cells.reduce(0.0) { $0 + Double($1.count) * Double($1.count) }
        let rowSquares = rowSums.reduce(0.0) { $0 + Double($1) * Double($1) }
        let columnSquares = columnSums.reduce(0.0) { $0 + Double($1) * Double($1) }
        // Pair confusion matrix entries (each ordered pair counted, as sklearn does).
        let truePositive = sumSquares - n
        let falsePositive = columnSquares - sumSquares
        let falseNegative = rowSquares - sumSquares
        let trueNegative = n * n - falsePositive - falseNegative - sumSquares
        if falseNegative == 0 && falsePositive == 0 { return 1 }
        return 2 * (truePositive * trueNegative - falseNegative * falsePositive)
            / ((truePositive + falseNegative) * (falseNegative + trueNegative)
                + (truePositive + falsePositive) * (falsePositive + trueNegative))
    }

    /// Expected mutual information under the hypergeometric model
    /// (Vinh, Epps and Bailey 2010; sklearn `expected_mutual_information`).
    func expectedMutualInformation() -> Double {
        guard rowSums.count > 1, columnSums.count > 1 else { return 0 }
        let n = total
        let logN = log(Double(n))
        let logFactorialN = logFactorial(n)
        var expected = 0.0
        for a in rowSums {
            for b in columnSums {
                let start = max(1, a - n + b)
                let end = min(a, b)
                guard start <= end else { continue }
                let numerator: Double = logFactorial(a) + logFactorial(b) + logFactorial(n - a) + logFactorial(n - b)
                let fixed = numerator - logFactorialN
                for nij in start...end {
                    let term1 = Double(nij) / Double(n)
                    let term2: Double = logN + log(Double(nij)) - log(Double(a)) - log(Double(b))
                    let denominator: Double = logFactorial(nij) + logFactorial(a - nij) + logFactorial(b - nij)
                        + logFactorial(n - a - b + nij)
                    expected += term1 * term2 * exp(fixed - denominator)
                }
            }
        }
        return expected
    }
}

/// log(n!) through the log-gamma function.
private func logFactorial(_ n: Int) -> Double {
    let argument: Double = Double(n) + 1
    return Foundation.lgamma(argument)
}
