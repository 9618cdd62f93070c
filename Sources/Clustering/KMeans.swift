import DSP
import Foundation

/// The outcome of one k-means fit.
public struct KMeansResult: Sendable, Equatable {
    /// `clusterCount` rows of cluster centres.
    public var centroids: FeatureMatrix
    /// The cluster of each item, in `0..<clusterCount`.
    public var labels: [Int]
    /// Sum of squared distances from each item to its centre.
    public var inertia: Double
    /// Iterations of the best restart.
    public var iterations: Int
    /// Which restart won (for reporting).
    public var restart: Int
}

/// k-means clustering: k-means++ seeding, restarts, and Hamerly's
/// triangle-inequality accelerated assignment.
///
/// Follows scikit-learn's `KMeans` (greedy k-means++ with `2 + ln k` local
/// trials, `tol` relative to the mean per-feature variance, an empty cluster
/// re-seeded at the point farthest from its centre) but assigns with
/// Hamerly's bounds (Hamerly 2010, "Making k-means even faster"): most
/// point–centre distances are skipped once the centres settle. Restarts run
/// in parallel, each with its own generator derived from ``seed``, so the
/// result does not depend on the number of threads.
public struct KMeans: Sendable {
    /// Number of clusters, ≥ 1 and ≤ the number of items.
    public var clusterCount: Int
    /// Independent restarts; the one with the lowest inertia wins. Default 10.
    public var restarts: Int
    /// Iterations per restart at most. Default 300.
    public var maximumIterations: Int
    /// Convergence: stop when the centres' total squared shift falls below
    /// `tolerance` × the mean per-feature variance. Default 1e-4.
    public var tolerance: Double
    public var seed: UInt64
    /// Asked between restarts and iterations; when it returns true, ``fit(_:jobs:)``
    /// throws ``ClusteringError/cancelled`` (within one iteration's time).
    public var shouldStop: (@Sendable () -> Bool)?

    public init(clusterCount: Int, restarts: Int = 10, maximumIterations: Int = 300, tolerance: Double = 1e-4,
                seed: UInt64 = 0) {
        self.clusterCount = clusterCount
        self.restarts = restarts
        self.maximumIterations = maximumIterations
        self.tolerance = tolerance
        self.seed = seed
    }

    /// Clusters the rows of `data`.
    ///
    /// Distances are computed in Float, so values should be on a moderate
    /// scale, such as the z-scores ``Standardizer`` gives (as playlists and
    /// the song map use): a squared distance beyond about 3e38 overflows.
    ///
    /// - Parameter jobs: threads for the restarts, default the number of cores.
    /// - Throws: ``ClusteringError`` for bad parameters, too few rows or non-finite values,
    ///   or ``ClusteringError/cancelled`` when ``shouldStop`` says so.
    /// - Complexity: O(restarts × iterations × n × k × d) at worst; far less once bounds prune.
    public func fit(_ data: FeatureMatrix, jobs: Int = ProcessInfo.processInfo.activeProcessorCount)
        throws(ClusteringError) -> KMeansResult
    {
        guard clusterCount >= 1 else { throw .invalidParameter("k=\(clusterCount) must be at least 1") }
        guard restarts >= 1 else { throw .invalidParameter("restarts=\(restarts) must be at least 1") }
        guard maximumIterations >= 1 else {
            throw .invalidParameter("maximumIterations=\(maximumIterations) must be at least 1")
        }
        guard tolerance >= 0, tolerance.isFinite else { throw .invalidParameter("tolerance=\(tolerance) must be ≥ 0") }
        guard data.rowCount >= clusterCount else {
            throw .tooFewItems(itemCount: data.rowCount, clusterCount: clusterCount)
        }
        try data.requireFiniteValues()
        let threshold = tolerance * Self.meanVariance(data)
        let best = BestResult()
        let workers = max(1, min(jobs, restarts))
        let next = Counter()
        let shouldStop = self.shouldStop ?? { false }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while !shouldStop(), let restart = next.take(below: restarts) {
                var generator = SeededGenerator(seed: seed, stream: restart)
                var run = HamerlyRun(data: data, clusterCount: clusterCount)
                run.seedCentres(using: &generator)
                guard let iterations = run.iterate(maximumIterations: maximumIterations, shiftThreshold: threshold,
                                                   shouldStop: shouldStop) else { return }
                best.offer(KMeansResult(
                    centroids: FeatureMatrix(rowCount: clusterCount, columnCount: data.columnCount, values: run.centres),
                    labels: run.labels, inertia: run.exactInertia(), iterations: iterations, restart: restart))
            }
        }
        guard !shouldStop(), let result = best.value else { throw .cancelled }
        return result
    }

    /// Mean over columns of each column's variance (scikit-learn's tolerance scale).
    static func meanVariance(_ data: FeatureMatrix) -> Double {
        guard data.rowCount > 0, data.columnCount > 0 else { return 0 }
        var total = 0.0
        for column in 0..<data.columnCount {
            var mean = 0.0
            for row in 0..<data.rowCount { mean += Double(data[row, column]) }
            mean /= Double(data.rowCount)
            var variance = 0.0
            for row in 0..<data.rowCount {
                let deviation = Double(data[row, column]) - mean
                variance += deviation * deviation
            }
            total += variance / Double(data.rowCount)
        }
        return total / Double(data.columnCount)
    }
}

/// One k-means run with Hamerly's bounds.
struct HamerlyRun {
    let data: FeatureMatrix
    let clusterCount: Int
    let dimension: Int
    var centres: [Float]
    var labels: [Int]
    /// Upper bound on the distance from each point to its centre.
    var upper: [Float]
    /// Lower bound on the distance from each point to every other centre.
    var lower: [Float]

    init(data: FeatureMatrix, clusterCount: Int) {
        self.data = data
        self.clusterCount = clusterCount
        dimension = data.columnCount
        centres = [Float](repeating: 0, count: clusterCount * data.columnCount)
        labels = [Int](repeating: 0, count: data.rowCount)
        upper = [Float](repeating: 0, count: data.rowCount)
        lower = [Float](repeating: 0, count: data.rowCount)
    }

    @inline(__always)
    func squaredDistance(point: Int, centre: Int, _ points: UnsafePointer<Float>, _ centres: UnsafePointer<Float>) -> Float {
        VectorKernels.squaredDistance(points + point * dimension, centres + centre * dimension, count: dimension)
    }

    /// Greedy k-means++: each new centre is the best of `2 + ln k`
    /// candidates drawn in proportion to squared distance from the centres so far.
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
    /// Returns the number of iterations, or nil when `shouldStop` said to stop.
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

    /// Exact nearest and second-nearest centre for every point.
    mutating func assignAll() {
        data.values.withUnsafeBufferPointer { points in
            centres.withUnsafeBufferPointer { now in
                for point in 0..<data.rowCount { assign(point, points.baseAddress!, now.baseAddress!) }
            }
        }
    }

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

/// Hands out restart indices to worker threads.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// The best result of parallel restarts so far: lowest inertia, ties to the
/// earliest restart, so the winner does not depend on the number of threads.
/// Only one result is kept, so memory does not grow with the restarts.
private final class BestResult: @unchecked Sendable {
    private let lock = NSLock()
    private var best: KMeansResult?
    func offer(_ result: KMeansResult) {
        lock.lock()
        if best.map({ (result.inertia, result.restart) < ($0.inertia, $0.restart) }) ?? true { best = result }
        lock.unlock()
    }
    var value: KMeansResult? {
        lock.lock()
        defer { lock.unlock() }
        return best
    }
}
