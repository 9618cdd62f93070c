/// Names the clusters of a merge sequence as scipy's `scipy.cluster.hierarchy`
/// `label` step does: leaves are `0..<leafCount`, and the cluster made by the
/// i-th join is `leafCount + i`.
///
/// A union–find with path compression: each join looks up the current
/// cluster of both points, so joins may name any point of a cluster, not
/// only its node id. Shared by agglomerative clustering (its merges sorted
/// by height) and HDBSCAN (its spanning-tree edges sorted by weight).
struct MergeLabeller {
    private var parent: [Int]
    private var sizes: [Int]
    private var joins = 0
    let leafCount: Int

    /// - Parameter leafCount: the number of points, ≥ 1.
    init(leafCount: Int) {
        self.leafCount = leafCount
        let nodeCount = max(1, 2 * leafCount - 1)
        parent = Array(0..<nodeCount)
        sizes = [Int](repeating: 1, count: nodeCount)
    }

    /// Joins the clusters that hold points (or nodes) `x` and `y`.
    ///
    /// - Returns: the node ids of the two clusters joined and the size of the new one,
    ///   whose id is `leafCount` + the number of earlier joins.
    /// - Complexity: amortised nearly O(1).
    mutating func join(_ x: Int, _ y: Int) -> (a: Int, b: Int, size: Int) {
        let a = root(of: x)
        let b = root(of: y)
        let node = leafCount + joins
        joins += 1
        parent[a] = node
        parent[b] = node
        sizes[node] = sizes[a] + sizes[b]
        return (a, b, sizes[node])
    }

    /// The node id of the cluster `node` is in now, compressing the path on the way.
    private mutating func root(of node: Int) -> Int {
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
}
