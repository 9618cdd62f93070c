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

    /// The Euclidean distance between every two of the first `units` rows of `codebook`, row-major
    /// (`units × units`): the table Elkan's bound reads. Rows are computed on up to `jobs` threads.
    ///
    /// - Complexity: O(units² × d).
    static func unitDistances(_ codebook: FeatureMatrix, units: Int, jobs: Int) -> [Float] {
        let d = codebook.columnCount
        var between = [Float](repeating: 0, count: units * units)
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
        }
        return between
    }

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
        var result = [Int](repeating: 0, count: rows)
        let between = unitDistances(codebook, units: units, jobs: jobs)
        codebook.values.withUnsafeBufferPointer { w in
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

extension SelfOrganizingMap {
    /// The best and second-best unit of every row, as ``nearestUnits(to:codebook:unitCount:dimension:)``
    /// finds them, without measuring the units that cannot be among the two.
    ///
    /// Each row first measures a coarse lattice of units (every third column and row) and takes the
    /// nearest as its guess g; it then measures g's grid neighbours and the remaining units in index
    /// order, skipping a unit u when ‖w_u − w_g‖ − ‖x − w_g‖ exceeds the second-best distance so far
    /// (Elkan's bound, with a margin well above Float rounding). Units are ranked by (distance, index),
    /// which is the order the full scan keeps, so the pair is the scan's.
    ///
    /// - Parameters:
    ///   - data: the items, one per row.
    ///   - codebook: `width × height` rows, as many columns as `data`; `width × height` in 2…``guidedSearchUnitLimit``.
    ///   - width: grid columns.
    ///   - height: grid rows.
    ///   - jobs: threads, ≥ 1; the result does not depend on it.
    /// - Returns: per row, its best and second-best unit.
    /// - Complexity: O(units² × d) for the table between units, plus O(n × units) bounds and
    ///   O(n × m × d) for the m units each row measures (at worst all).
    static func nearestUnitPairs(_ data: FeatureMatrix, codebook: FeatureMatrix, width: Int, height: Int,
                                 jobs: Int) -> (best: [Int], second: [Int]) {
        let d = data.columnCount
        let rows = data.rowCount
        let units = width * height
        var best = [Int](repeating: 0, count: rows)
        var second = [Int](repeating: 0, count: rows)
        // The coarse lattice: every third column and row, from the second (or the only one).
        let lattice = (0..<units).filter { unit in
            let x = unit / height, y = unit % height
            return x % 3 == min(1, width - 1) % 3 && y % 3 == min(1, height - 1) % 3
        }
        let between = unitDistances(codebook, units: units, jobs: jobs)
        codebook.values.withUnsafeBufferPointer { w in
            data.values.withUnsafeBufferPointer { x in
                between.withUnsafeBufferPointer { table in
                    best.withUnsafeMutableBufferPointer { bestBuffer in
                        second.withUnsafeMutableBufferPointer { secondBuffer in
                            let xs = SendableConstPointer(x.baseAddress!), ws = SendableConstPointer(w.baseAddress!)
                            let tables = SendableConstPointer(table.baseAddress!)
                            let bests = SendablePointer(bestBuffer.baseAddress!)
                            let seconds = SendablePointer(secondBuffer.baseAddress!)
                            RowChunks.forEach(rows, jobs: jobs) { _, chunk in
                                var measured = [Bool](repeating: false, count: units)
                                var touched: [Int] = []
                                touched.reserveCapacity(units)
                                for row in chunk {
                                    let item = xs.pointer + row * d
                                    var first = (distance: Float.infinity, unit: Int.max)
                                    var next = (distance: Float.infinity, unit: Int.max)
                                    touched.removeAll(keepingCapacity: true)
                                    func measure(_ unit: Int) {
                                        measured[unit] = true
                                        touched.append(unit)
                                        let distance = VectorKernels.squaredDistance(item, ws.pointer + unit * d, count: d)
                                        if (distance, unit) < (first.distance, first.unit) {
                                            next = first
                                            first = (distance, unit)
                                        } else if (distance, unit) < (next.distance, next.unit) {
                                            next = (distance, unit)
                                        }
                                    }
                                    for unit in lattice { measure(unit) }
                                    let guess = first.unit
                                    let toGuess = first.distance.squareRoot()
                                    let gx = guess / height, gy = guess % height
                                    for nx in max(0, gx - 1)...min(width - 1, gx + 1) {
                                        for ny in max(0, gy - 1)...min(height - 1, gy + 1) where !measured[nx * height + ny] {
                                            measure(nx * height + ny)
                                        }
                                    }
                                    let fromGuess = tables.pointer + guess * units
                                    var secondDistance = next.distance.squareRoot()
                                    for unit in 0..<units where !measured[unit] {
                                        if fromGuess[unit] - toGuess - secondDistance
                                            > 1e-4 * (fromGuess[unit] + toGuess + secondDistance) {
                                            continue
                                        }
                                        measure(unit)
                                        secondDistance = next.distance.squareRoot()
                                    }
                                    for unit in touched { measured[unit] = false }
                                    bests.pointer[row] = first.unit
                                    seconds.pointer[row] = next.unit
                                }
                            }
                        }
                    }
                }
            }
        }
        return (best, second)
    }
}
