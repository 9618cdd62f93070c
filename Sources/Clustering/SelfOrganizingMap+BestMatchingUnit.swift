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
