/// The full merge tree of an agglomerative clustering.
///
/// Laid out as scipy's linkage matrix `Z`: leaves are `0..<leafCount`, merge i
/// (in order of increasing height) makes node `leafCount + i` from two
/// earlier nodes, the smaller id first.
public struct Dendrogram: Sendable, Equatable, Codable {
    /// One merge: two nodes joined at a height.
    public struct Merge: Sendable, Equatable, Codable {
        /// The node ids joined, `left < right`.
        public var left: Int
        public var right: Int
        /// The linkage distance at which they join, ≥ 0 (scipy's `Z[i, 2]`).
        public var height: Double
        /// Leaves under the new node (scipy's `Z[i, 3]`).
        public var size: Int

        public init(left: Int, right: Int, height: Double, size: Int) {
            self.left = left
            self.right = right
            self.height = height
            self.size = size
        }
    }

    /// Items clustered, n ≥ 1.
    public var leafCount: Int
    /// The linkage used.
    public var linkage: Linkage
    /// n − 1 merges by increasing height.
    public var merges: [Merge]

    public init(leafCount: Int, linkage: Linkage, merges: [Merge]) {
        self.leafCount = leafCount
        self.linkage = linkage
        self.merges = merges
    }

    /// The flat clustering into `clusterCount` clusters: the tree without its top
    /// `clusterCount − 1` merges (as scikit-learn's `_hc_cut`).
    ///
    /// - Parameter clusterCount: in `1...leafCount`.
    /// - Returns: one label per leaf in `0..<clusterCount`, numbered by first appearance.
    public func labels(clusterCount: Int) -> [Int] {
        let k = max(1, min(clusterCount, leafCount))
        var parent = Array(0..<(2 * leafCount - 1))
        func find(_ node: Int) -> Int {
            var node = node
            while parent[node] != node {
                parent[node] = parent[parent[node]]
                node = parent[node]
            }
            return node
        }
        for (index, merge) in merges.prefix(leafCount - k).enumerated() {
            let node = leafCount + index
            parent[find(merge.left)] = node
            parent[find(merge.right)] = node
        }
        var numbers: [Int: Int] = [:]
        return (0..<leafCount).map { leaf in
            let root = find(leaf)
            if let known = numbers[root] { return known }
            numbers[root] = numbers.count
            return numbers[root]!
        }
    }

    /// The number of clusters whose cut sits in the largest gap between merge heights.
    ///
    /// Cutting into k clusters keeps the merges below height `merges[n − k].height`;
    /// its gap is that height minus the last kept one. Ties go to the smaller k.
    ///
    /// - Parameter range: the k allowed; clamped to `2...n − 1` (1 when that is empty).
    public func clusterCountAtLargestGap(in range: ClosedRange<Int>) -> Int {
        let n = leafCount
        let lower = max(2, range.lowerBound)
        let upper = min(range.upperBound, n - 1)
        guard lower <= upper else { return 1 }
        var best = lower
        var bestGap = -Double.infinity
        for k in lower...upper {
            let gap = merges[n - k].height - merges[n - k - 1].height
            if gap > bestGap {
                bestGap = gap
                best = k
            }
        }
        return best
    }

    /// The leaves in drawing order: depth first from the root, left child first.
    public func leafOrder() -> [Int] {
        guard leafCount > 1 else { return Array(0..<leafCount) }
        var order: [Int] = []
        var stack = [leafCount + merges.count - 1]
        while let node = stack.popLast() {
            if node < leafCount {
                order.append(node)
            } else {
                let merge = merges[node - leafCount]
                stack.append(merge.right)
                stack.append(merge.left)
            }
        }
        return order
    }
}
