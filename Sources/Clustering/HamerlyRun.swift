import DSP
import Foundation

/// One k-means run with Hamerly's bounds (Hamerly 2010, "Making k-means even faster").
///
/// Each point keeps an upper bound on the distance to its own centre and one
/// lower bound on the distance to every other centre. A point whose upper
/// bound is below both its lower bound and half the distance from its centre
/// to the nearest other centre cannot change cluster, so its distances are
/// not computed. k-means++ seeding is in `HamerlyRun+Seeding.swift`.
struct HamerlyRun {
    /// The items, one per row.
    let data: FeatureMatrix
    /// k, ≥ 1 and ≤ the number of rows.
    let clusterCount: Int
    /// Columns of ``data``.
    let dimension: Int
    /// `clusterCount × dimension` centre coordinates, row-major.
    var centres: [Float]
    /// The centre of each point, in `0..<clusterCount`.
    var labels: [Int]
    /// Upper bound on the distance from each point to its centre.
    var upper: [Float]
    /// Lower bound on the distance from each point to every other centre.
    var lower: [Float]

    /// A run with all centres at the origin; call ``seedCentres(using:)`` next.
    ///
    /// - Parameters:
    ///   - data: the items, one per row.
    ///   - clusterCount: k, ≥ 1 and ≤ `data.rowCount`.
    init(data: FeatureMatrix, clusterCount: Int) {
        self.data = data
        self.clusterCount = clusterCount
        dimension = data.columnCount
        centres = [Float](repeating: 0, count: clusterCount * data.columnCount)
        labels = [Int](repeating: 0, count: data.rowCount)
        upper = [Float](repeating: 0, count: data.rowCount)
        lower = [Float](repeating: 0, count: data.rowCount)
    }

    /// Squared Euclidean distance from point `point` to centre `centre`, in Float.
    ///
    /// - Parameters:
    ///   - point: row of ``data``.
    ///   - centre: in `0..<clusterCount`.
    ///   - points: ``data``'s values.
    ///   - centres: ``centres``' values (or a copy of them).
    @inline(__always)
    func squaredDistance(point: Int, centre: Int, _ points: UnsafePointer<Float>, _ centres: UnsafePointer<Float>) -> Float {
        VectorKernels.squaredDistance(points + point * dimension, centres + centre * dimension, count: dimension)
    }

    /// Runs Lloyd iterations with Hamerly's pruning until the centres settle.
    ///
    /// Each iteration moves every centre to the mean of its points (an empty
    /// cluster takes the point farthest from its centre, as scikit-learn does),
    /// loosens the bounds by how far the centres moved, and reassigns only the
    /// points whose bounds allow a change. It stops when no point changes, when
    /// the centres' total squared shift is at most `shiftThreshold` (then every
    /// point is reassigned exactly, as scikit-learn's last E-step), or after
    /// `maximumIterations`.
    ///
    /// - Parameters:
    ///   - maximumIterations: ≥ 1.
    ///   - shiftThreshold: squared distance, ≥ 0 (tolerance × mean variance).
    ///   - shouldStop: asked before every iteration.
    /// - Returns: the number of iterations, or nil when `shouldStop` said to stop.
    /// - Complexity: O(iterations × n × k × d) at worst.
    mutating func iterate(maximumIterations: Int, shiftThreshold: Double, shouldStop: () -> Bool = { false }) -> Int? {
        let count = data.rowCount
        let k = clusterCount
        let dimension = self.dimension
        assignAll()
        var iterations = 0
        var halfSeparation = [Float](repeating: 0, count: k)
        // Per-cluster sums and sizes, kept up to date as points move (Hamerly's
        // incremental update), so a new centre costs O(d), not a pass over the data.
        var sums = [Double](repeating: 0, count: k * dimension)
        var members = [Int](repeating: 0, count: k)
        func recount() {
            sums.withUnsafeMutableBufferPointer { sums in
                members.withUnsafeMutableBufferPointer { members in
                    labels.withUnsafeBufferPointer { labels in
                        data.values.withUnsafeBufferPointer { points in
                            sums.update(repeating: 0)
                            members.update(repeating: 0)
                            for point in 0..<count {
                                let label = labels[point]
                                members[label] += 1
                                let source = points.baseAddress! + point * dimension
                                let target = sums.baseAddress! + label * dimension
                                for column in 0..<dimension { target[column] += Double(source[column]) }
                            }
                        }
                    }
                }
            }
        }
        recount()
        while iterations < maximumIterations {
            if shouldStop() { return nil }
            iterations += 1
            // New centres: the mean of their points; an empty cluster takes the farthest point.
            var previous = centres
            var relocated = false
            for centre in 0..<k {
                if members[centre] == 0 {
                    let farthest = upper.indices.max { upper[$0] < upper[$1] } ?? 0
                    centres.replaceSubrange((centre * dimension)..<((centre + 1) * dimension), with: data.row(farthest))
                    upper[farthest] = 0
                    relocated = true
                } else {
                    for column in 0..<dimension {
                        centres[centre * dimension + column] = Float(sums[centre * dimension + column] / Double(members[centre]))
                    }
                }
            }
            // How far each centre moved.
            var shifts = [Float](repeating: 0, count: k)
            var totalShift = 0.0
            centres.withUnsafeBufferPointer { now in
                previous.withUnsafeMutableBufferPointer { before in
                    for centre in 0..<k {
                        let squared = VectorKernels.squaredDistance(
                            now.baseAddress! + centre * dimension, before.baseAddress! + centre * dimension, count: dimension)
                        shifts[centre] = squared.squareRoot()
                        totalShift += Double(squared)
                    }
                }
            }
            if relocated {
                assignAll()
                recount()
                continue
            }
            // Loosen the bounds by the shifts.
            var largest = 0
            var secondShift: Float = 0
            for centre in 0..<k where shifts[centre] > shifts[largest] { largest = centre }
            for centre in 0..<k where centre != largest { secondShift = max(secondShift, shifts[centre]) }
            for point in 0..<count {
                upper[point] += shifts[labels[point]]
                lower[point] -= labels[point] == largest ? secondShift : shifts[largest]
            }
            if totalShift <= shiftThreshold {
                assignAll()   // labels consistent with the final centres, as scikit-learn's last E-step
                break
            }
            // Long runs drift: re-add the sums from scratch now and then.
            if iterations % 32 == 0 { recount() }

            // Half the distance from each centre to its nearest other centre.
            centres.withUnsafeBufferPointer { now in
                for centre in 0..<k {
                    var nearest = Float.infinity
                    for other in 0..<k where other != centre {
                        nearest = min(nearest, VectorKernels.squaredDistance(
                            now.baseAddress! + centre * dimension, now.baseAddress! + other * dimension, count: dimension))
                    }
                    halfSeparation[centre] = k > 1 ? nearest.squareRoot() / 2 : .infinity
                }
            }
            var changed = 0
            data.values.withUnsafeBufferPointer { points in
                centres.withUnsafeBufferPointer { now in
                    for point in 0..<count {
                        let bound = max(halfSeparation[labels[point]], lower[point])
                        if upper[point] <= bound { continue }
                        upper[point] = squaredDistance(point: point, centre: labels[point],
                                                       points.baseAddress!, now.baseAddress!).squareRoot()
                        if upper[point] <= bound { continue }
                        let before = labels[point]
                        assign(point, points.baseAddress!, now.baseAddress!)
                        let after = labels[point]
                        if after != before {
                            changed += 1
                            members[before] -= 1
                            members[after] += 1
                            sums.withUnsafeMutableBufferPointer { sums in
                                let source = points.baseAddress! + point * dimension
                                let from = sums.baseAddress! + before * dimension
                                let to = sums.baseAddress! + after * dimension
                                for column in 0..<dimension {
                                    let value = Double(source[column])
                                    from[column] -= value
                                    to[column] += value
                                }
                            }
                        }
                    }
                }
            }
            if changed == 0 { break }
        }
        return iterations
    }

    /// Exact nearest and second-nearest centre for every point: labels and
    /// tight bounds.
    ///
    /// - Complexity: O(n × k × d).
    mutating func assignAll() {
        data.values.withUnsafeBufferPointer { points in
            centres.withUnsafeBufferPointer { now in
                for point in 0..<data.rowCount { assign(point, points.baseAddress!, now.baseAddress!) }
            }
        }
    }

    /// Assigns one point to its nearest centre (lowest index on ties) and sets
    /// its upper bound to that distance and its lower bound to the second nearest.
    ///
    /// - Parameters:
    ///   - point: row of ``data``.
    ///   - points: ``data``'s values.
    ///   - centres: ``centres``' values.
    @inline(__always)
    mutating func assign(_ point: Int, _ points: UnsafePointer<Float>, _ centres: UnsafePointer<Float>) {
        var best = Float.infinity
        var second = Float.infinity
        var bestCentre = 0
        for centre in 0..<clusterCount {
            let distance = squaredDistance(point: point, centre: centre, points, centres)
            if distance < best {
                second = best
                best = distance
                bestCentre = centre
            } else if distance < second {
                second = distance
            }
        }
        labels[point] = bestCentre
        upper[point] = best.squareRoot()
        lower[point] = second.squareRoot()
    }

    /// Σ squared distance to the assigned centre; each distance in Float, the sum in Double.
    func exactInertia() -> Double {
        var total = 0.0
        data.values.withUnsafeBufferPointer { points in
            centres.withUnsafeBufferPointer { now in
                for point in 0..<data.rowCount {
                    total += Double(squaredDistance(point: point, centre: labels[point], points.baseAddress!, now.baseAddress!))
                }
            }
        }
        return total
    }
}
