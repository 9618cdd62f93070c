import DSP
import Foundation

/// Hierarchical clustering from the bottom up: every item starts alone and the
/// two nearest clusters merge until one is left.
///
/// Uses the nearest-neighbour chain (Murtagh 1983; Müllner 2011, "Modern
/// hierarchical, agglomerative clustering algorithms"), O(n²) time, on the
/// full matrix of pairwise distances (Float storage, updates in Double)
/// with the Lance–Williams formulas, as scipy's `linkage` (which scikit-learn's
/// `AgglomerativeClustering` calls): the same merges and heights, sorted by
/// height, and the same node numbering. Checked against scikit-learn on
/// committed fixtures.
public struct AgglomerativeClustering: Sendable {
    /// Above this many items the distance matrix (4 bytes × n², 1.6 GB at 20,000) stops being reasonable.
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
    /// - Complexity: O(n² d) for the distances, O(n²) for the merges; 4n² bytes of memory.
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
        let distances = PairwiseDistances.matrix(data, squared: linkage.worksOnSquaredDistances, jobs: jobs)
        let raw = try nearestNeighbourChain(distances, count: n)
        return Self.sortedAndLabelled(raw, count: n, linkage: linkage)
    }

    /// The merges in the order the chain finds them: (x, y, height, size) with x, y item slots.
    ///
    /// Works on the full symmetric matrix: the nearest neighbour of x is the
    /// minimum of row x (contiguous), with inactive slots masked by +∞; the
    /// union of x and y lives in slot y (row and column y are updated).
    /// Ties go to the previous chain element, then to the lowest slot, as scipy's `nn_chain`.
    private func nearestNeighbourChain(_ distances: LargeFloatBuffer, count n: Int) throws(ClusteringError)
        -> [(Int, Int, Double, Int)]
    {
        var size = [Int](repeating: 1, count: n)
        // 0 for active slots, +∞ for merged-away ones: added to a row before taking its minimum.
        var mask = [Float](repeating: 0, count: n)
        var chain = [Int](repeating: 0, count: n)
        var chainLength = 0
        var merges: [(Int, Int, Double, Int)] = []
        merges.reserveCapacity(n - 1)
        let linkage = self.linkage
        var stopped = false
        do {
            mask.withUnsafeMutableBufferPointer { mask in
                let matrix = distances.pointer
                let mask = mask.baseAddress!
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
                        let row = matrix + x * n
                        let (nearest, value) = Self.rowMinimum(row, mask: mask, count: n)
                        if chainLength > 1 && row[chain[chainLength - 2]] <= value {
                            y = chain[chainLength - 2]
                            current = row[y]
                            break
                        }
                        y = nearest
                        current = value
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
                    mask[x] = .infinity
                    let rowX = matrix + x * n
                    let rowY = matrix + y * n
                    size.withUnsafeBufferPointer { size in
                        // One loop per linkage, so the formula is not chosen per element.
                        switch linkage {
                        case .ward:
                            for i in 0..<n where mask[i] == 0 && i != y {
                                let sizeI = Double(size[i])
                                let value = Float(((sizeI + sizeX) * Double(rowX[i]) + (sizeI + sizeY) * Double(rowY[i])
                                    - sizeI * height) / (sizeX + sizeY + sizeI))
                                rowY[i] = value
                                matrix[i * n + y] = value
                            }
                        case .average:
                            for i in 0..<n where mask[i] == 0 && i != y {
                                let value = Float((sizeX * Double(rowX[i]) + sizeY * Double(rowY[i])) / (sizeX + sizeY))
                                rowY[i] = value
                                matrix[i * n + y] = value
                            }
                        case .complete:
                            for i in 0..<n where mask[i] == 0 && i != y {
                                let value = max(rowX[i], rowY[i])
                                rowY[i] = value
                                matrix[i * n + y] = value
                            }
                        }
                    }
                }
            }
        }
        if stopped { throw .cancelled }
        return merges
    }

    /// The first minimum of `row[i] + mask[i]`: its index and value.
    @inline(__always)
    private static func rowMinimum(_ row: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>, count n: Int)
        -> (Int, Float)
    {
        // A SIMD pass finds the minimum value, a scalar pass its first index.
        let rawRow = UnsafeRawPointer(row)
        let rawMask = UnsafeRawPointer(mask)
        let stride = MemoryLayout<Float>.stride
        var lanes = SIMD8<Float>(repeating: .infinity)
        var i = 0
        while i + 8 <= n {
            let values = rawRow.loadUnaligned(fromByteOffset: i * stride, as: SIMD8<Float>.self)
                + rawMask.loadUnaligned(fromByteOffset: i * stride, as: SIMD8<Float>.self)
            lanes.replace(with: values, where: values .< lanes)
            i += 8
        }
        var best = lanes.min()
        while i < n {
            best = min(best, row[i] + mask[i])
            i += 1
        }
        for index in 0..<n where row[index] + mask[index] == best { return (index, best) }
        return (0, .infinity)
    }

    /// Sorts merges by height (stable) and renames slots to node ids, as scipy's `label`.
    private static func sortedAndLabelled(_ raw: [(Int, Int, Double, Int)], count n: Int, linkage: Linkage)
        -> Dendrogram
    {
        let order = raw.indices.sorted { (raw[$0].2, $0) < (raw[$1].2, $1) }
        var labeller = MergeLabeller(leafCount: n)
        var merges: [Dendrogram.Merge] = []
        merges.reserveCapacity(n - 1)
        for position in order {
            let (x, y, height, _) = raw[position]
            let (a, b, size) = labeller.join(x, y)
            let reported = linkage.worksOnSquaredDistances ? height.squareRoot() : height
            merges.append(Dendrogram.Merge(left: min(a, b), right: max(a, b), height: reported, size: size))
        }
        return Dendrogram(leafCount: n, linkage: linkage, merges: merges)
    }
}
