import Foundation
import Synchronization

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
    /// Seeds the restarts: restart `r` uses `SeededGenerator(seed: seed, stream: r)`.
    public var seed: UInt64
    /// Asked between restarts and iterations; when it returns true, ``fit(_:jobs:)``
    /// throws ``ClusteringError/cancelled`` (within one iteration's time).
    public var shouldStop: (@Sendable () -> Bool)?

    /// A k-means configuration; ``fit(_:jobs:)`` checks the values.
    ///
    /// - Parameters:
    ///   - clusterCount: k, ≥ 1 and ≤ the number of items.
    ///   - restarts: ≥ 1, default 10.
    ///   - maximumIterations: per restart, ≥ 1, default 300.
    ///   - tolerance: ≥ 0 and finite, default 1e-4 (relative to the mean per-feature variance).
    ///   - seed: default 0.
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
        let next = IndexCounter()
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
    ///
    /// Population variances (divided by n), each accumulated in Double, as
    /// scikit-learn's `_tolerance` computes `np.mean(np.var(X, axis=0))`.
    ///
    /// - Returns: ≥ 0; 0 for an empty matrix.
    /// - Complexity: O(n × d).
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

/// The best result of parallel restarts so far: lowest inertia, ties to the
/// earliest restart, so the winner does not depend on the number of threads.
/// Only one result is kept, so memory does not grow with the restarts.
private final class BestResult: Sendable {
    private let best = Mutex<KMeansResult?>(nil)
    func offer(_ result: KMeansResult) {
        best.withLock { best in
            if best.map({ (result.inertia, result.restart) < ($0.inertia, $0.restart) }) ?? true { best = result }
        }
    }
    var value: KMeansResult? { best.withLock { $0 } }
}
