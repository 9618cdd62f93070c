import DSP
import Foundation

/// Density-based clustering that finds the number of clusters itself and
/// leaves out items that fit nowhere (noise).
///
/// Follows Campello, Moulavi and Sander (2013), "Density-based clustering
/// based on hierarchical density estimates", as McInnes' reference
/// implementation and scikit-learn's `HDBSCAN` (1.3+, defaults:
/// Euclidean, `cluster_selection_method='eom'`, `allow_single_cluster=False`,
/// `cluster_selection_epsilon=0`, `alpha=1`) compute it:
/// 1. the core distance of an item is the distance to its `minSamples`-th
///    nearest item, counting itself;
/// 2. the minimum spanning tree of the mutual reachability distance
///    max(core a, core b, ‖a − b‖), by Prim's algorithm (O(n²) without a matrix);
/// 3. its edges sorted by weight give the single-linkage tree, which is
///    condensed: a split where a side has fewer than `minClusterSize` items
///    only loses those items;
/// 4. clusters are chosen by excess of mass (a cluster is kept when its
///    stability is at least its descendants' total), the root excepted;
/// 5. an item belongs to the selected cluster it fell out of, or to one of
///    its ancestors; otherwise it is noise.
/// Checked against scikit-learn's labels on committed fixtures.
public struct HDBSCAN: Sendable {
    /// The smallest group that counts as a cluster, ≥ 2. Default 5 (scikit-learn's).
    public var minimumClusterSize: Int
    /// Neighbours (counting the item itself) that make an item a core item, ≥ 1;
    /// nil uses ``minimumClusterSize`` (scikit-learn's default). Clamped to the number of items.
    public var minimumSamples: Int?
    /// Asked between steps; when it returns true, ``fit(_:jobs:)`` throws ``ClusteringError/cancelled``.
    public var shouldStop: (@Sendable () -> Bool)?

    public init(minimumClusterSize: Int = 5, minimumSamples: Int? = nil) {
        self.minimumClusterSize = minimumClusterSize
        self.minimumSamples = minimumSamples
    }

    /// Clusters the rows of `data`.
    ///
    /// - Parameter jobs: threads for the distances.
    /// - Throws: ``ClusteringError`` for bad parameters, no rows, non-finite values;
    ///   ``ClusteringError/cancelled``.
    /// - Complexity: O(n² d) time, O(n) memory.
    public func fit(_ data: FeatureMatrix, jobs: Int = ProcessInfo.processInfo.activeProcessorCount)
        throws(ClusteringError) -> HDBSCANResult
    {
        guard minimumClusterSize >= 2 else {
            throw .invalidParameter("minClusterSize=\(minimumClusterSize) must be at least 2")
        }
        if let minimumSamples, minimumSamples < 1 {
            throw .invalidParameter("minSamples=\(minimumSamples) must be at least 1")
        }
        let n = data.rowCount
        guard n >= 1 else { throw .tooFewItems(itemCount: 0, clusterCount: 1) }
        try data.requireFiniteValues()
        let samples = min(minimumSamples ?? minimumClusterSize, n)
        guard n >= 2 else {
            return HDBSCANResult(labels: [Partition.noise], clusterCount: 0, stabilities: [], minimumSamples: samples)
        }
        let stop = shouldStop ?? { false }
        let core = Self.coreDistances(data, samples: samples, jobs: jobs)
        if stop() { throw .cancelled }
        let edges = try Self.minimumSpanningTree(data, core: core, jobs: jobs, shouldStop: stop)
        let tree = SingleLinkageTree(edges: edges, count: n)
        let condensed = CondensedTree(tree, minimumClusterSize: minimumClusterSize)
        let (labels, stabilities) = condensed.excessOfMassLabels()
        return HDBSCANResult(labels: labels, clusterCount: stabilities.count, stabilities: stabilities,
                             minimumSamples: samples)
    }

    /// Each item's distance to its `samples`-th nearest item, itself counted first (distance 0).
    static func coreDistances(_ data: FeatureMatrix, samples: Int, jobs: Int) -> [Float] {
        let n = data.rowCount
        let d = data.columnCount
        var core = [Float](repeating: 0, count: n)
        let others = samples - 1        // nearest others to keep
        guard others >= 1 else { return core }
        data.values.withUnsafeBufferPointer { values in
            core.withUnsafeMutableBufferPointer { out in
                let points = SendableConstPointer(values.baseAddress!)
                let target = SendablePointer(out.baseAddress!)
                RowChunks.forEach(n, jobs: jobs) { _, rows in
                    var nearest = [Float](repeating: .infinity, count: others)   // ascending
                    for i in rows {
                        for slot in 0..<others { nearest[slot] = .infinity }
                        let row = points.pointer + i * d
                        for j in 0..<n where j != i {
                            let value = VectorKernels.squaredDistance(row, points.pointer + j * d, count: d)
                            if value < nearest[others - 1] {
                                var slot = others - 1
                                while slot > 0 && nearest[slot - 1] > value {
                                    nearest[slot] = nearest[slot - 1]
                                    slot -= 1
                                }
                                nearest[slot] = value
                            }
                        }
                        target.pointer[i] = nearest[others - 1].squareRoot()
                    }
                }
            }
        }
        return core
    }

    /// One edge of the minimum spanning tree: from an item already in the tree to the one it adds.
    struct Edge {
        var from: Int
        var to: Int
        var weight: Float
    }

    /// Prim's algorithm on the mutual reachability graph, from item 0, as
    /// scikit-learn's `mst_from_data_matrix`: ties go to the lower item.
    static func minimumSpanningTree(_ data: FeatureMatrix, core: [Float], jobs: Int,
                                    shouldStop: () -> Bool) throws(ClusteringError) -> [Edge] {
        let n = data.rowCount
        let d = data.columnCount
        var best = [Float](repeating: .infinity, count: n)
        var source = [Int](repeating: 0, count: n)
        // The items not yet in the tree, compacted as they join.
        var remaining = Array(1..<n)
        var edges: [Edge] = []
        edges.reserveCapacity(n - 1)
        var current = 0
        let workers = max(1, min(jobs, 8))
        var stopped = false
        data.values.withUnsafeBufferPointer { values in
            best.withUnsafeMutableBufferPointer { bestBuffer in
                source.withUnsafeMutableBufferPointer { sourceBuffer in
                    core.withUnsafeBufferPointer { coreBuffer in
                        let points = SendableConstPointer(values.baseAddress!)
                        let bestPointer = SendablePointer(bestBuffer.baseAddress!)
                        let sourcePointer = SendablePointer(sourceBuffer.baseAddress!)
                        let cores = SendableConstPointer(coreBuffer.baseAddress!)
                        while !remaining.isEmpty {
                            if edges.count & 255 == 0 && shouldStop() {
                                stopped = true
                                return
                            }
                            let from = current
                            let rowOffset = from * d
                            let fromCore = cores.pointer[from]
                            let count = remaining.count
                            // Update every remaining item's distance to the tree, in parallel blocks.
                            let blocks = count >= 4096 ? workers : 1
                            remaining.withUnsafeBufferPointer { remainingBuffer in
                                let items = SendableConstPointer(remainingBuffer.baseAddress!)
                                let update: @Sendable (Int) -> Void = { block in
                                    let lower = count * block / blocks
                                    let upper = count * (block + 1) / blocks
                                    for position in lower..<upper {
                                        let item = items.pointer[position]
                                        let distance = VectorKernels.squaredDistance(
                                            points.pointer + rowOffset, points.pointer + item * d, count: d).squareRoot()
                                        let reach = max(distance, max(fromCore, cores.pointer[item]))
                                        if reach < bestPointer.pointer[item] {
                                            bestPointer.pointer[item] = reach
                                            sourcePointer.pointer[item] = from
                                        }
                                    }
                                }
                                if blocks == 1 {
                                    update(0)
                                } else {
                                    DispatchQueue.concurrentPerform(iterations: blocks, execute: update)
                                }
                            }
                            // The nearest remaining item joins; ties to the lowest item.
                            var chosen = 0
                            for position in 1..<count {
                                let item = remaining[position]
                                let value = bestPointer.pointer[item]
                                let champion = bestPointer.pointer[remaining[chosen]]
                                if value < champion || (value == champion && item < remaining[chosen]) {
                                    chosen = position
                                }
                            }
                            let next = remaining[chosen]
                            edges.append(Edge(from: sourcePointer.pointer[next], to: next,
                                              weight: bestPointer.pointer[next]))
                            remaining.swapAt(chosen, count - 1)
                            remaining.removeLast()
                            current = next
                        }
                    }
                }
            }
        }
        if stopped { throw .cancelled }
        return edges
    }
}

/// The single-linkage tree of a spanning tree, in scipy's format: merge i makes node n + i.
struct SingleLinkageTree {
    var left: [Int]
    var right: [Int]
    var distance: [Double]
    var size: [Int]
    let count: Int

    /// Sorts the edges by weight (stable) and joins their components in that order.
    init(edges: [HDBSCAN.Edge], count n: Int) {
        self.count = n
        let order = edges.indices.sorted { (edges[$0].weight, $0) < (edges[$1].weight, $1) }
        var labeller = MergeLabeller(leafCount: n)
        left = []
        right = []
        distance = []
        size = []
        for position in order {
            let (a, b, joinedSize) = labeller.join(edges[position].from, edges[position].to)
            left.append(a)
            right.append(b)
            distance.append(Double(edges[position].weight))
            size.append(joinedSize)
        }
    }

    /// Leaves under `node`.
    func leafCount(_ node: Int) -> Int { node < count ? 1 : size[node - count] }

    /// The nodes under `root` (itself included), breadth first, left before right.
    func breadthFirst(from root: Int) -> [Int] {
        var result: [Int] = []
        var queue = [root]
        while !queue.isEmpty {
            result.append(contentsOf: queue)
            var next: [Int] = []
            for node in queue where node >= count {
                next.append(left[node - count])
                next.append(right[node - count])
            }
            queue = next
        }
        return result
    }
}
