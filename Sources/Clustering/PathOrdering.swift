import DSP

/// Orders items into a short path through feature space, for smooth listening.
///
/// Greedy nearest neighbour from a given start, then 2-opt: any two edges
/// whose reversal shortens the open path are swapped, until no swap helps or
/// `maximumPasses` is reached. The start stays first.
public enum PathOrdering {
    /// The order of `rows` (indices into `data`), starting at `start`.
    ///
    /// - Complexity: O(n²) for the greedy path, O(n²) per 2-opt pass.
    public static func order(_ rows: [Int], in data: FeatureMatrix, startingAt start: Int, maximumPasses: Int = 50) -> [Int] {
        guard rows.count > 2 else { return [start] + rows.filter { $0 != start } }
        let d = data.columnCount
        func distance(_ a: Int, _ b: Int) -> Float {
            data.values.withUnsafeBufferPointer {
                VectorKernels.squaredDistance($0.baseAddress! + a * d, $0.baseAddress! + b * d, count: d).squareRoot()
            }
        }
        var remaining = Set(rows)
        remaining.remove(start)
        var path = [start]
        while !remaining.isEmpty {
            let last = path.last!
            // Ties broken by index, so the order is deterministic.
            let next = remaining.min { (distance(last, $0), $0) < (distance(last, $1), $1) }!
            remaining.remove(next)
            path.append(next)
        }
        var passes = 0
        var improved = true
        while improved && passes < maximumPasses {
            improved = false
            passes += 1
            for i in 0..<(path.count - 2) {
                for j in (i + 2)..<path.count {
                    // Replace edges (i, i+1) and (j, j+1) by (i, j) and (i+1, j+1); the last edge may be open.
                    let before = distance(path[i], path[i + 1]) + (j + 1 < path.count ? distance(path[j], path[j + 1]) : 0)
                    let after = distance(path[i], path[j]) + (j + 1 < path.count ? distance(path[i + 1], path[j + 1]) : 0)
                    if after < before - 1e-6 {
                        path[(i + 1)...j].reverse()
                        improved = true
                    }
                }
            }
        }
        return path
    }

    /// Total length of a path.
    public static func length(_ path: [Int], in data: FeatureMatrix) -> Double {
        let d = data.columnCount
        return data.values.withUnsafeBufferPointer { values in
            zip(path, path.dropFirst()).reduce(0.0) {
                $0 + Double(VectorKernels.squaredDistance(values.baseAddress! + $1.0 * d, values.baseAddress! + $1.1 * d,
                                                          count: d).squareRoot())
            }
        }
    }
}
