/// The condensed cluster tree of HDBSCAN and its excess-of-mass selection.
///
/// Rows are (parent cluster, child, λ = 1/distance, child size); a child below
/// ``itemCount`` is an item falling out of its parent at λ, any other child is
/// a cluster born at λ. Cluster ids start at ``itemCount`` (the root) and are
/// given in breadth-first order, as in scikit-learn's `_condense_tree`.
struct CondensedTree {
    var parent: [Int] = []
    var child: [Int] = []
    var lambda: [Double] = []
    var childSize: [Int] = []
    let itemCount: Int

    /// Condenses a single-linkage tree: splits where both sides have at least
    /// `minimumClusterSize` items make two new clusters; a smaller side's items
    /// fall out of the cluster at the split's λ.
    init(_ tree: SingleLinkageTree, minimumClusterSize: Int) {
        let n = tree.count
        itemCount = n
        let root = 2 * n - 2
        var relabel = [Int](repeating: 0, count: 2 * n - 1)
        relabel[root] = n
        var nextLabel = n + 1
        var ignore = [Bool](repeating: false, count: 2 * n - 1)
        func append(_ parent: Int, _ child: Int, _ lambda: Double, _ size: Int) {
            self.parent.append(parent)
            self.child.append(child)
            self.lambda.append(lambda)
            childSize.append(size)
        }
        func dropItems(under node: Int, from cluster: Int, at lambda: Double) {
            for sub in tree.breadthFirst(from: node) {
                if sub < n { append(cluster, sub, lambda, 1) }
                ignore[sub] = true
            }
        }
        for node in tree.breadthFirst(from: root) {
            if ignore[node] || node < n { continue }
            let left = tree.left[node - n]
            let right = tree.right[node - n]
            let distance = tree.distance[node - n]
            let lambda = distance > 0 ? 1 / distance : .infinity
            let leftCount = tree.leafCount(left)
            let rightCount = tree.leafCount(right)
            let cluster = relabel[node]
            switch (leftCount >= minimumClusterSize, rightCount >= minimumClusterSize) {
            case (true, true):
                relabel[left] = nextLabel
                nextLabel += 1
                append(cluster, relabel[left], lambda, leftCount)
                relabel[right] = nextLabel
                nextLabel += 1
                append(cluster, relabel[right], lambda, rightCount)
            case (false, false):
                dropItems(under: left, from: cluster, at: lambda)
                dropItems(under: right, from: cluster, at: lambda)
            case (false, true):
                relabel[right] = cluster
                dropItems(under: left, from: cluster, at: lambda)
            case (true, false):
                relabel[left] = cluster
                dropItems(under: right, from: cluster, at: lambda)
            }
        }
    }

    /// Each cluster's stability: Σ over its rows of (λ − its birth λ) × child size.
    func stabilities() -> [Int: Double] {
        var birth: [Int: Double] = [itemCount: 0]
        for row in parent.indices where child[row] >= itemCount { birth[child[row]] = lambda[row] }
        var result: [Int: Double] = [:]
        for row in parent.indices {
            result[parent[row], default: 0] += (lambda[row] - birth[parent[row]]!) * Double(childSize[row])
        }
        return result
    }

    /// Excess-of-mass selection (the root is never selected) and the labels it gives.
    ///
    /// - Returns: each item's cluster (numbered by cluster id) or nil for noise,
    ///   and the selected clusters' stabilities in label order.
    func excessOfMassLabels() -> (labels: [Int], stabilities: [Double]) {
        let original = stabilities()
        var stability = original
        var children: [Int: [Int]] = [:]
        var parentOf: [Int: Int] = [:]
        for row in parent.indices where childSize[row] > 1 {
            children[parent[row], default: []].append(child[row])
            parentOf[child[row]] = parent[row]
        }
        let candidates = stability.keys.filter { $0 != itemCount }.sorted(by: >)
        var selected = Set(candidates)
        for node in candidates {
            let subtree = (children[node] ?? []).reduce(0.0) { $0 + stability[$1]! }
            if subtree > stability[node]! {
                selected.remove(node)
                stability[node] = subtree
            } else {
                var queue = children[node] ?? []
                while let next = queue.popLast() {
                    selected.remove(next)
                    queue.append(contentsOf: children[next] ?? [])
                }
            }
        }
        let ordered = selected.sorted()
        let number = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0) })
        var labels = [Int](repeating: Partition.noise, count: itemCount)
        for row in parent.indices where child[row] < itemCount {
            var cluster: Int? = parent[row]
            while let current = cluster, number[current] == nil { cluster = parentOf[current] }
            labels[child[row]] = cluster.flatMap { number[$0] } ?? Partition.noise
        }
        return (labels, ordered.map { original[$0]! })
    }
}
