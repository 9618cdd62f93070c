/// One clustering of n items, whatever algorithm made it: what every ``Clusterer`` returns.
///
/// After scikit-learn's fitted estimators (`labels_`, `predict`, `predict_proba`,
/// `children_`, `cluster_centers_`): the labels with one encoding of noise,
/// soft memberships where the algorithm has them, the merge tree where it
/// builds one, a centre or an exemplar per cluster, and the algorithm's own
/// rule for placing new rows (``place(_:)``).
public struct Partition: Sendable, Equatable {
    /// The label of an item that belongs to no cluster (HDBSCAN's noise), as scikit-learn's −1.
    public static let noise = -1

    /// Each item's cluster in `0..<clusterCount`, or ``noise``.
    public var labels: [Int]
    /// Clusters, ≥ 0. Some may have no item (a Gaussian mixture's extra components).
    public var clusterCount: Int
    /// Soft memberships, n × ``clusterCount`` row-major, each row summing to 1; nil for hard clusterers.
    public var memberships: [Double]?
    /// The whole merge tree over the items, for hierarchical clusterers; nil otherwise.
    public var mergeTree: Dendrogram?
    /// One centre per cluster (k-means centroids, mixture means), in the space the algorithm fitted
    /// (after any projection); nil for clusterers without centres, which give ``exemplars``.
    public var centres: FeatureMatrix?
    /// One exemplar per cluster: the index of the member nearest its cluster's mean (−1 for a cluster
    /// without members); nil for clusterers that give ``centres``.
    public var exemplars: [Int]?
    /// The Bayesian information criterion of the fit, lower is better; nil for clusterers without a likelihood.
    public var bayesianInformationCriterion: Double?
    /// Things to know about the fit (empty components, regularised covariances…).
    public var notes: [String]
    /// How a new row is given a cluster (see ``place(_:)``).
    public var placement: PartitionPlacement

    /// - Parameters: see the properties; `memberships`, `mergeTree`, `centres`, `exemplars` and
    ///   `bayesianInformationCriterion` default to nil, `notes` to none.
    public init(labels: [Int], clusterCount: Int, memberships: [Double]? = nil, mergeTree: Dendrogram? = nil,
                centres: FeatureMatrix? = nil, exemplars: [Int]? = nil, bayesianInformationCriterion: Double? = nil,
                notes: [String] = [], placement: PartitionPlacement) {
        self.labels = labels
        self.clusterCount = clusterCount
        self.memberships = memberships
        self.mergeTree = mergeTree
        self.centres = centres
        self.exemplars = exemplars
        self.bayesianInformationCriterion = bayesianInformationCriterion
        self.notes = notes
        self.placement = placement
    }

    /// Items labelled ``noise``.
    public var noiseCount: Int { labels.count { $0 == Self.noise } }

    /// The cluster of each new row, by the rule of the algorithm that made the partition
    /// (``PartitionPlacement``): nearest centre for k-means, highest responsibility for a
    /// Gaussian mixture, the nearest clustered item for agglomerative clustering and HDBSCAN.
    ///
    /// - Parameter rows: new items, as many columns as the items that were fitted.
    /// - Returns: one label per row, in `0..<clusterCount` (``noise`` only when the fit clustered no item).
    /// - Throws: ``ClusteringError/invalidParameter(_:)`` when the column count differs,
    ///   ``ClusteringError/nonFiniteValue(row:column:)``.
    public func place(_ rows: FeatureMatrix) throws(ClusteringError) -> [Int] {
        guard rows.columnCount == placement.columnCount else {
            throw .invalidParameter("rows have \(rows.columnCount) columns; the partition was fitted on \(placement.columnCount)")
        }
        try rows.requireFiniteValues()
        return placement.place(rows)
    }

    /// For each cluster, the member nearest the cluster's mean (ties to the lower index), −1 for an empty cluster.
    ///
    /// - Complexity: O(n d).
    static func exemplars(labels: [Int], clusterCount: Int, data: FeatureMatrix) -> [Int] {
        let d = data.columnCount
        var sums = [Double](repeating: 0, count: clusterCount * d)
        var counts = [Int](repeating: 0, count: clusterCount)
        for (item, label) in labels.enumerated() where label >= 0 && label < clusterCount {
            counts[label] += 1
            for j in 0..<d { sums[label * d + j] += Double(data[item, j]) }
        }
        var best = [Int](repeating: -1, count: clusterCount)
        var bestDistance = [Double](repeating: .infinity, count: clusterCount)
        for (item, label) in labels.enumerated() where label >= 0 && label < clusterCount {
            var distance = 0.0
            for j in 0..<d {
                let difference = Double(data[item, j]) - sums[label * d + j] / Double(counts[label])
                distance += difference * difference
            }
            if distance < bestDistance[label] {
                bestDistance[label] = distance
                best[label] = item
            }
        }
        return best
    }
}
