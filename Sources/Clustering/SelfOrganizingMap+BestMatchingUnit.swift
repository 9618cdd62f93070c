import DSP
import Foundation

extension SelfOrganizingMap {
    /// The nearest and second-nearest units to one item, by squared Euclidean distance.
    ///
    /// The one best-matching-unit search of the map: training (batch and online)
    /// and evaluation all call it. It scans the units in index order and takes
    /// a unit only when it is strictly nearer than the best so far, so of equally
    /// near units the lowest index wins, as Swift's `min(by:)` and NumPy's
    /// `argmin` (MiniSom's `winner`) pick. A NaN distance never wins; if no unit
    /// is nearer than infinity, both results are 0.
    ///
    /// - Parameters:
    ///   - item: `dimension` values.
    ///   - codebook: `unitCount × dimension` values, row-major.
    ///   - unitCount: units, ≥ 1.
    ///   - dimension: values per item, ≥ 0.
    /// - Returns: the best unit and the second best (the best among the others,
    ///   lowest index on ties; 0 when there is one unit).
    /// - Complexity: O(unitCount × dimension).
    @inline(__always)
    static func nearestUnits(to item: UnsafePointer<Float>, codebook: UnsafePointer<Float>, unitCount: Int,
                             dimension: Int) -> (best: Int, second: Int) {
        var first = (distance: Float.infinity, unit: 0)
        var next = (distance: Float.infinity, unit: 0)
        for unit in 0..<unitCount {
            let distance = VectorKernels.squaredDistance(item, codebook + unit * dimension, count: dimension)
            if distance < first.distance {
                next = first
                first = (distance, unit)
            } else if distance < next.distance {
                next = (distance, unit)
            }
        }
        return (first.unit, next.unit)
    }

    /// The best-matching unit of every row of `data`, rows split over `jobs` threads.
    ///
    /// - Parameters:
    ///   - data: the items, one per row.
    ///   - codebook: one row per unit, as many columns as `data`.
    ///   - units: rows of `codebook`, ≥ 1.
    ///   - jobs: threads, ≥ 1; the result does not depend on it.
    /// - Returns: per row, ``nearestUnits(to:codebook:unitCount:dimension:)``'s best unit.
    /// - Complexity: O(n × units × d) work.
    static func bestUnits(_ data: FeatureMatrix, codebook: FeatureMatrix, units: Int, jobs: Int) -> [Int] {
        let d = data.columnCount
        let rows = data.rowCount
        let chunks = max(1, min(jobs, rows / 256 + 1))
        let result = UnsafeMutableBufferPointer<Int>.allocate(capacity: rows)
        defer { result.deallocate() }
        let output = SendablePointer(result.baseAddress!)
        data.values.withUnsafeBufferPointer { x in
            codebook.values.withUnsafeBufferPointer { w in
                let xs = SendableConstPointer(x.baseAddress!)
                let ws = SendableConstPointer(w.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let first = chunk * rows / chunks
                    let last = (chunk + 1) * rows / chunks
                    for row in first..<last {
                        output.pointer[row] = nearestUnits(to: xs.pointer + row * d, codebook: ws.pointer,
                                                           unitCount: units, dimension: d).best
                    }
                }
            }
        }
        return Array(result)
    }
}

extension SelfOrganizingMap {
    /// The most units for which ``bestUnits(_:codebook:units:jobs:guesses:)`` keeps a table of
    /// distances between units (units² floats: 64 MB at this size).
    static let guidedSearchUnitLimit = 4096

    /// The best-matching unit of every row, as ``bestUnits(_:codebook:units:jobs:)`` finds it, without
    /// measuring the units that cannot be nearer than each row's guess.
    ///
    /// Follows Elkan's bound (Elkan 2003, "Using the triangle inequality to accelerate k-means"):
    /// unit u lies at least ‖w_u − w_g‖ − ‖x − w_g‖ from item x, for its guess g, so when that exceeds the
    /// best distance found so far (by a margin well above Float rounding) u is skipped. The units that
    /// are measured are compared as the full scan compares them, the lowest index winning among equally
    /// near ones, so the result is the scan's whatever the guesses; good guesses (last epoch's best
    /// units) make it fast.
    ///
    /// - Parameters:
    ///   - data: the items, one per row.
    ///   - codebook: one row per unit, as many columns as `data`.
    ///   - units: rows of `codebook`, in 1…``guidedSearchUnitLimit``.
    ///   - jobs: threads, ≥ 1; the result does not depend on it.
    ///   - guesses: one unit per row, in `0..<units`.
    /// - Returns: per row, its best unit.
    /// - Complexity: O(units² × d) for the table, plus O(n × units) bounds and O(n × m × d) for the
    ///   m units each row cannot rule out (at worst all).
    static func bestUnits(_ data: FeatureMatrix, codebook: FeatureMatrix, units: Int, jobs: Int, guesses: [Int]) -> [Int] {
        let d = data.columnCount
        let rows = data.rowCount
        var between = [Float](repeating: 0, count: units * units)
        var result = [Int](repeating: 0, count: rows)
        codebook.values.withUnsafeBufferPointer { w in
            between.withUnsafeMutableBufferPointer { table in
                let ws = SendableConstPointer(w.baseAddress!)
                let output = SendablePointer(table.baseAddress!)
                RowChunks.forEach(units, jobs: jobs) { _, chunk in
                    for a in chunk {
                        for b in 0..<units {
                            output.pointer[a * units + b] = VectorKernels.squaredDistance(
                                ws.pointer + a * d, ws.pointer + b * d, count: d).squareRoot()
                        }
                    }
                }
            }
            data.values.withUnsafeBufferPointer { x in
                between.withUnsafeBufferPointer { table in
                    result.withUnsafeMutableBufferPointer { target in
                        let xs = SendableConstPointer(x.baseAddress!), ws = SendableConstPointer(w.baseAddress!)
                        let tables = SendableConstPointer(table.baseAddress!)
                        let output = SendablePointer(target.baseAddress!)
                        RowChunks.forEach(rows, jobs: jobs) { _, chunk in
                            for row in chunk {
                                let item = xs.pointer + row * d
                                let guess = guesses[row]
                                let toGuess = VectorKernels.squaredDistance(item, ws.pointer + guess * d, count: d)
                                let toGuessDistance = toGuess.squareRoot()
                                var best = (distance: toGuess, unit: guess)
                                var bestDistance = toGuessDistance
                                let fromGuess = tables.pointer + guess * units
                                for unit in 0..<units where unit != guess {
                                    let bound = fromGuess[unit] - toGuessDistance
                                    if bound - bestDistance > 1e-4 * (fromGuess[unit] + toGuessDistance + bestDistance) {
                                        continue
                                    }
                                    let distance = VectorKernels.squaredDistance(item, ws.pointer + unit * d, count: d)
                                    if distance < best.distance || (distance == best.distance && unit < best.unit) {
                                        best = (distance, unit)
                                        bestDistance = distance.squareRoot()
                                    }
                                }
                                output.pointer[row] = best.unit
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
