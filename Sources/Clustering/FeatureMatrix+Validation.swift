extension FeatureMatrix {
    /// Checks that every value is finite, as k-means and the SOM need.
    ///
    /// - Throws: ``ClusteringError/nonFiniteValue(row:column:)`` naming the first
    ///   NaN or infinite value in row-major order.
    /// - Complexity: O(rows × columns).
    func requireFiniteValues() throws(ClusteringError) {
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(row: bad / max(columnCount, 1), column: bad % max(columnCount, 1))
        }
    }
}
