import Foundation

/// All pairwise Euclidean distances of a set of rows, as a full n × n Float matrix.
///
/// Computed four rows at a time, so each other row is loaded once per four
/// distances (the computation is bound by memory, not arithmetic); each
/// distance is the sum of squared differences (not ‖x‖² + ‖y‖² − 2x·y, which
/// loses precision in Float), accumulated in SIMD8 lanes.
enum PairwiseDistances {
    /// The full symmetric matrix, row-major, with +∞ on the diagonal.
    ///
    /// - Parameters:
    ///   - squared: squared distances when true.
    ///   - jobs: threads.
    /// - Complexity: O(n² d) time, 4n² bytes.
    static func matrix(_ data: FeatureMatrix, squared: Bool, jobs: Int) -> LargeFloatBuffer {
        let n = data.rowCount
        let d = data.columnCount
        let result = LargeFloatBuffer(count: n * n)
        let groups = (n + 3) / 4
        data.values.withUnsafeBufferPointer { values in
            do {
                let points = SendableConstPointer(values.baseAddress!)
                let target = SendablePointer(result.pointer)
                let next = IndexCounter()
                // Early groups have the most pairs; the counter balances the threads.
                DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, groups))) { _ in
                    while let group = next.take(below: groups) {
                        let first = group * 4
                        let rows = min(4, n - first)
                        for j in first..<n {
                            let sums = fourDistances(points.pointer, first: first, rows: rows, other: j, dimension: d)
                            for r in 0..<rows where first + r < j {
                                let value = squared ? sums[r] : sums[r].squareRoot()
                                target.pointer[(first + r) * n + j] = value
                                target.pointer[j * n + first + r] = value
                            }
                        }
                        for r in 0..<rows { target.pointer[(first + r) * n + first + r] = .infinity }
                    }
                }
            }
        }
        return result
    }

    /// Squared distances from rows `first ..< first + rows` (rows ≤ 4) to row `other`.
    @inline(__always)
    private static func fourDistances(_ points: UnsafePointer<Float>, first: Int, rows: Int, other: Int, dimension d: Int)
        -> SIMD4<Float>
    {
        let raw = UnsafeRawPointer(points)
        let stride = MemoryLayout<Float>.stride
        let y = other * d * stride
        // Rows past the end repeat the last row; their sums are ignored.
        let x0 = first * d * stride
        let x1 = (first + min(1, rows - 1)) * d * stride
        let x2 = (first + min(2, rows - 1)) * d * stride
        let x3 = (first + min(3, rows - 1)) * d * stride
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var k = 0
        while k + 8 <= d {
            let offset = k * stride
            let yv = raw.loadUnaligned(fromByteOffset: y + offset, as: SIMD8<Float>.self)
            let d0 = raw.loadUnaligned(fromByteOffset: x0 + offset, as: SIMD8<Float>.self) - yv
            let d1 = raw.loadUnaligned(fromByteOffset: x1 + offset, as: SIMD8<Float>.self) - yv
            let d2 = raw.loadUnaligned(fromByteOffset: x2 + offset, as: SIMD8<Float>.self) - yv
            let d3 = raw.loadUnaligned(fromByteOffset: x3 + offset, as: SIMD8<Float>.self) - yv
            a0 += d0 * d0
            a1 += d1 * d1
            a2 += d2 * d2
            a3 += d3 * d3
            k += 8
        }
        var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
        while k < d {
            let yk = points[other * d + k]
            let e0 = points[first * d + k] - yk
            let e1 = points[(first + min(1, rows - 1)) * d + k] - yk
            let e2 = points[(first + min(2, rows - 1)) * d + k] - yk
            let e3 = points[(first + min(3, rows - 1)) * d + k] - yk
            s0 += e0 * e0
            s1 += e1 * e1
            s2 += e2 * e2
            s3 += e3 * e3
            k += 1
        }
        return SIMD4(s0, s1, s2, s3)
    }
}
