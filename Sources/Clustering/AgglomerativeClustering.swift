import DSP
import Foundation

/// Hierarchical clustering from the bottom up: every item starts alone and the
/// two nearest clusters merge until one is left.
///
/// Uses the nearest-neighbour chain (Murtagh 1983; Müllner 2011, "Modern
/// hierarchical, agglomerative clustering algorithms"), O(n²) time, on a
/// condensed matrix of pairwise distances (Float storage, updates in Double)
/// with the Lance–Williams formulas, as scipy's `linkage` (which scikit-learn's
/// `AgglomerativeClustering` calls): the same merges and heights, sorted by
/// height, and the same node numbering. Checked against scikit-learn on
/// committed fixtures.
public struct AgglomerativeClustering: Sendable {
    /// Above this many items the distance matrix (4 bytes × n²/2) stops being reasonable.
    public static let maximumItemCount = 20_000

    /// How cluster distances are measured. Default Ward.
    public var linkage: Linkage
    /// Asked while the chain grows; when it returns true, ``fit(_:jobs:)`` throws ``ClusteringError/cancelled``.
    public var shouldStop: (@Sendable () -> Bool)?

    public init(linkage: Linkage = .ward) {
        self.linkage = linkage
    }

    /// Builds the whole tree over the rows of `data`.
    ///
    /// - Parameter jobs: threads for the pairwise distances.
    /// - Throws: ``ClusteringError/invalidParameter(_:)`` beyond ``maximumItemCount`` items
    ///   (the message names the alternatives), ``ClusteringError/tooFewItems(itemCount:clusterCount:)``
    ///   for none, ``ClusteringError/nonFiniteValue(row:column:)``, ``ClusteringError/cancelled``.
    /// - Complexity: O(n² d) for the distances, O(n²) for the merges; 2n² bytes of memory.
    public func fit(_ data: FeatureMatrix, jobs: Int = ProcessInfo.processInfo.activeProcessorCount)
        throws(ClusteringError) -> Dendrogram
    {
        let n = data.rowCount
        guard n >= 1 else { throw .tooFewItems(itemCount: 0, clusterCount: 1) }
        guard n <= Self.maximumItemCount else {
            throw .invalidParameter("agglomerative clustering keeps all \(n) × \(n) distances in memory and stops at "
                + "\(Self.maximumItemCount) items; use kmeans, gmm or hdbscan for \(n) items")
        }
        try data.requireFiniteValues()
        guard n > 1 else { return Dendrogram(leafCount: 1, linkage: linkage, merges: []) }
        var distances = Self.condensedDistances(data, squared: linkage.worksOnSquaredDistances, jobs: jobs)
        let raw = try nearestNeighbourChain(&distances, count: n)
        return Self.sortedAndLabelled(raw, count: n, linkage: linkage)
    }

    /// Index of the pair (i, j), i < j, in the condensed upper triangle of an n × n matrix.
    @inline(__always)
    static func condensedIndex(_ i: Int, _ j: Int, _ n: Int) -> Int {
        i * n - i * (i + 1) / 2 + (j - i - 1)
    }

    /// All pairwise (squared) Euclidean distances, condensed: n(n − 1)/2 Floats.
    static func condensedDistances(_ data: FeatureMatrix, squared: Bool, jobs: Int) -> [Float] {
        let n = data.rowCount
        let d = data.columnCount
        var result = [Float](repeating: 0, count: n * (n - 1) / 2)
        data.values.withUnsafeBufferPointer { values in
            result.withUnsafeMutableBufferPointer { out in
                let points = SendableConstPointer(values.baseAddress!)
                let target = SendablePointer(out.baseAddress!)
                // Rows are handed out one by one: early rows have the most pairs.
                let next = ChunkCounter()
                DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, n))) { _ in
                    while let i = next.take(below: n - 1) {
                        let row = points.pointer + i * d
                        let base = target.pointer + condensedIndex(i, i + 1, n)
                        for j in (i + 1)..<n {
                            let value = VectorKernels.squaredDistance(row, points.pointer + j * d, count: d)
                            base[j - i - 1] = squared ? value : value.squareRoot()
                        }
                    }
                }
            }
        }
        return result
    }

    /// The merges in the order the chain finds them: (x, y, height, size) with x, y item slots.
    private func nearestNeighbourChain(_ distances: inout [Float], count n: Int) throws(ClusteringError)
        -> [(Int, Int, Double, Int)]
    {
        var size = [Int](repeating: 1, count: n)
        var chain = [Int](repeating: 0, count: n)
        var chainLength = 0
        var merges: [(Int, Int, Double, Int)] = []
        merges.reserveCapacity(n - 1)
        let linkage = self.linkage
        var stopped = false
        distances.withUnsafeMutableBufferPointer { matrix in
            let matrix = matrix.baseAddress!
            for _ in 0..<(n - 1) {
                if let shouldStop, shouldStop() {
                    stopped = true
                    return
                }
                if chainLength == 0 {
                    chain[0] = size.firstIndex { $0 > 0 }!
                    chainLength = 1
                }
                var x = 0
                var y = 0
                var current: Float = 0
                while true {
                    x = chain[chainLength - 1]
                    if chainLength > 1 {
                        y = chain[chainLength - 2]
                        current = matrix[x < y ? Self.condensedIndex(x, y, n) : Self.condensedIndex(y, x, n)]
                    } else {
                        current = .infinity
                    }
                    // Items before x sit in column x of the triangle, items after it in row x.
                    var index = x - 1    // condensedIndex(0, x, n)
                    for i in 0..<x {
                        if size[i] > 0 {
                            let value = matrix[index]
                            if value < current {
                                current = value
                                y = i
                            }
                        }
                        index += n - i - 2
                    }
                    if x + 1 < n {
                        let row = matrix + Self.condensedIndex(x, x + 1, n) - (x + 1)
                        for i in (x + 1)..<n where size[i] > 0 {
                            let value = row[i]
                            if value < current {
                                current = value
                                y = i
                            }
                        }
                    }
                    if chainLength > 1 && y == chain[chainLength - 2] { break }
                    chain[chainLength] = y
                    chainLength += 1
                }
                chainLength -= 2
                if x > y { swap(&x, &y) }
                let sizeX = Double(size[x])
                let sizeY = Double(size[y])
                let height = Double(current)
                merges.append((x, y, height, size[x] + size[y]))
                size[x] = 0
                size[y] += Int(sizeX)
                // The union lives in slot y.
                for i in 0..<n where size[i] > 0 && i != y {
                    let xi = i < x ? Self.condensedIndex(i, x, n) : Self.condensedIndex(x, i, n)
                    let yi = i < y ? Self.condensedIndex(i, y, n) : Self.condensedIndex(y, i, n)
                    matrix[yi] = Float(linkage.merged(Double(matrix[xi]), Double(matrix[yi]), height,
                                                      sizeX: sizeX, sizeY: sizeY, sizeI: Double(size[i])))
                }
            }
        }
        if stopped { throw .cancelled }
        return merges
    }

    /// Sorts merges by height (stable) and renames slots to node ids, as scipy's `label`.
    private static func sortedAndLabelled(_ raw: [(Int, Int, Double, Int)], count n: Int, linkage: Linkage)
        -> Dendrogram
    {
        let order = raw.indices.sorted { (raw[$0].2, $0) < (raw[$1].2, $1) }
        var parent = Array(0..<(2 * n - 1))
        var nodeSize = [Int](repeating: 1, count: 2 * n - 1)
        func find(_ node: Int) -> Int {
            var root = node
            while parent[root] != root { root = parent[root] }
            var node = node
            while parent[node] != root {
                let next = parent[node]
                parent[node] = root
                node = next
            }
            return root
        }
        var merges: [Dendrogram.Merge] = []
        merges.reserveCapacity(n - 1)
        for (index, position) in order.enumerated() {
            let (x, y, height, _) = raw[position]
            let a = find(x)
            let b = find(y)
            let node = n + index
            parent[a] = node
            parent[b] = node
            nodeSize[node] = nodeSize[a] + nodeSize[b]
            let reported = linkage.worksOnSquaredDistances ? height.squareRoot() : height
            merges.append(Dendrogram.Merge(left: min(a, b), right: max(a, b), height: reported, size: nodeSize[node]))
        }
        return Dendrogram(leafCount: n, linkage: linkage, merges: merges)
    }
}
