/// How a ``Partition`` gives a new row a cluster: each algorithm's own rule.
///
/// Stable playlists build on it: songs added to a library join the playlists
/// already made instead of reshuffling them.
public indirect enum PartitionPlacement: Sendable, Equatable {
    /// The cluster of the nearest centre, ties to the lower index (k-means; scikit-learn's `KMeans.predict`).
    case nearestCentre(FeatureMatrix)
    /// The component of highest responsibility under the fitted mixture, ties to the lower index
    /// (``GaussianMixture``; scikit-learn's `GaussianMixture.predict`).
    case highestResponsibility(GaussianMixtureResult)
    /// The cluster of the nearest fitted item that is not noise, ties to the lower index
    /// (agglomerative clustering and HDBSCAN, which have no centres: a new song joins the
    /// cluster of the song it is most like). Never noise, unless no fitted item was clustered.
    case nearestMember(items: FeatureMatrix, labels: [Int])
    /// Rows are projected on principal components first, then placed by the inner rule.
    case projected(PrincipalComponents, then: PartitionPlacement)

    /// The columns a row must have.
    public var columnCount: Int {
        switch self {
        case let .nearestCentre(centres): return centres.columnCount
        case let .highestResponsibility(mixture): return mixture.dimension
        case let .nearestMember(items, _): return items.columnCount
        case let .projected(projection, _): return projection.inputDimension
        }
    }

    /// One label per row of `rows` (which has ``columnCount`` finite columns).
    ///
    /// - Complexity: O(m k d) for m rows and k centres or components (O(m k d²) for full
    ///   covariances); O(m n d) for the n fitted items of ``nearestMember(items:labels:)``.
    func place(_ rows: FeatureMatrix) -> [Int] {
        switch self {
        case let .nearestCentre(centres):
            return (0..<rows.rowCount).map { Self.nearest(rows.row($0), in: centres, among: 0..<centres.rowCount) }
        case let .highestResponsibility(mixture):
            return mixture.predict(rows)
        case let .nearestMember(items, labels):
            let clustered = labels.indices.filter { labels[$0] != Partition.noise }
            guard !clustered.isEmpty else { return [Int](repeating: Partition.noise, count: rows.rowCount) }
            return (0..<rows.rowCount).map { labels[Self.nearest(rows.row($0), in: items, among: clustered)] }
        case let .projected(projection, inner):
            return inner.place(projection.transform(rows))
        }
    }

    /// The row of `matrix` among `candidates` nearest `point` (squared Euclidean distance in Double), ties to the first.
    private static func nearest<Candidates: Sequence<Int>>(_ point: ArraySlice<Float>, in matrix: FeatureMatrix,
                                                          among candidates: Candidates) -> Int {
        var best = -1
        var bestDistance = Double.infinity
        for candidate in candidates {
            var distance = 0.0
            for (a, b) in zip(point, matrix.row(candidate)) {
                let difference = Double(a) - Double(b)
                distance += difference * difference
            }
            if best < 0 || distance < bestDistance {
                best = candidate
                bestDistance = distance
            }
        }
        return best
    }
}
