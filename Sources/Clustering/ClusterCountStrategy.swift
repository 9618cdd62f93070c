/// How the number of clusters is chosen when it is not given: one rule for every ``Clusterer``
/// that takes a number.
///
/// Each rule fits (or cuts) every candidate number in a range and keeps one:
/// - ``silhouette``: the highest mean silhouette (Rousseeuw 1987) on a seeded sample; any clusterer.
/// - ``bayesianInformationCriterion``: the lowest BIC; clusterers with a likelihood (a Gaussian mixture).
/// - ``largestMergeGap``: the cut at the largest gap between successive merge heights; clusterers
///   that build a merge tree (agglomerative).
public enum ClusterCountStrategy: String, Sendable, Equatable, CaseIterable, Codable {
    case silhouette
    case bayesianInformationCriterion = "bic"
    case largestMergeGap = "gap"

    /// What a strategy chose: the partition kept, the score of every candidate, what to tell the user.
    public struct Choice: Sendable {
        public var partition: Partition
        /// One score per candidate number, in increasing order (empty for ``largestMergeGap``).
        public var scores: [ClusterCountScore]
        public var notes: [String]
        /// The silhouette scorer (its sample and distances), to score a final clustering of the same data;
        /// nil unless the strategy is ``silhouette``.
        public var silhouetteScorer: SilhouetteScorer?
    }

    /// Rows above which ``silhouette`` and ``bayesianInformationCriterion`` fit their candidates on a
    /// seeded sample of this many rows when given the clusterer to refit with (see
    /// ``choose(_:data:range:distinctItems:seed:jobs:refitting:sampleRows:)``): 20,000.
    ///
    /// Below it every candidate is fitted on all rows, as before. Above it, fitting eleven candidates on
    /// all rows is what made a 100,000-song `playlists` run take more than ten minutes; 20,000 rows still
    /// hold on average 1,666 songs for each of 12 clusters, far more than the silhouette's 3,000-row
    /// score sample needs to tell the candidates apart.
    public static let sampleRows = 20_000

    /// Chooses the number of clusters for `prepared` within `range`.
    ///
    /// The candidates are `range` clamped to the data: at most the distinct items and n − 1;
    /// at least 2 for the silhouette (which needs two clusters), 1 for the BIC.
    ///
    /// With `refitting` given and more than `sampleRows` rows, ``silhouette`` and
    /// ``bayesianInformationCriterion`` fit and score every candidate on a seeded sample of
    /// `sampleRows` rows (a clusterer prepared on the sample), then fit the chosen number once on all
    /// rows through `prepared`; ``Choice/scores`` are then the sample's, and a note says so.
    ///
    /// - Parameters:
    ///   - prepared: the clusterer bound to `data` (or to a projection of it).
    ///   - data: the items as given (silhouettes are measured here), n ≥ 2.
    ///   - range: the numbers allowed, e.g. 2...12.
    ///   - distinctItems: distinct rows of `data`, ≥ 2.
    ///   - seed: seeds the silhouette's sample.
    ///   - jobs: threads.
    ///   - refitting: the clusterer `prepared` came from, to prepare on a sample; nil fits every
    ///     candidate on all rows whatever their number.
    ///   - sampleRows: see ``sampleRows``; at least 3.
    /// - Throws: ``ClusteringError/invalidParameter(_:)`` when the clusterer cannot be scored this way
    ///   (no likelihood, no merge tree) or too few items; the clusterer's own errors.
    public func choose(_ prepared: PreparedClustering, data: FeatureMatrix, range: ClosedRange<Int>,
                       distinctItems: Int, seed: UInt64, jobs: Int, refitting: (any Clusterer)? = nil,
                       sampleRows: Int = ClusterCountStrategy.sampleRows) throws(ClusteringError) -> Choice {
        if let refitting, self != .largestMergeGap, data.rowCount > max(3, sampleRows) {
            return try chooseOnSample(prepared, data: data, range: range, seed: seed, jobs: jobs,
                                      refitting: refitting, sampleRows: max(3, sampleRows))
        }
        return try chooseOnAllRows(prepared, data: data, range: range, distinctItems: distinctItems, seed: seed,
                                   jobs: jobs).choice
    }

    /// Fits and scores every candidate on a seeded sample of `sampleRows` rows, then the chosen number on all rows.
    private func chooseOnSample(_ prepared: PreparedClustering, data: FeatureMatrix, range: ClosedRange<Int>,
                                seed: UInt64, jobs: Int, refitting: any Clusterer,
                                sampleRows: Int) throws(ClusteringError) -> Choice {
        let n = data.rowCount
        var generator = SeededGenerator(seed: seed)
        var order = Array(0..<n)
        order.shuffle(using: &generator)
        let rows = order.prefix(sampleRows).sorted()
        let d = data.columnCount
        var values: [Float] = []
        values.reserveCapacity(rows.count * d)
        for row in rows { values.append(contentsOf: data.row(row)) }
        let sample = FeatureMatrix(rowCount: rows.count, columnCount: d, values: values)
        let sampleDistinct = Set(rows.map { Array(data.row($0)) }).count
        guard sampleDistinct >= 2 else {
            // The sample drew one point many times: choose on all rows instead.
            return try chooseOnAllRows(prepared, data: data, range: range,
                                       distinctItems: Set((0..<n).map { Array(data.row($0)) }).count,
                                       seed: seed, jobs: jobs).choice
        }
        let onSample = try chooseOnAllRows(try refitting.prepare(sample, jobs: jobs), data: sample, range: range,
                                           distinctItems: sampleDistinct, seed: seed, jobs: jobs)
        var choice = onSample.choice
        choice.partition = try prepared.fit(onSample.k)
        choice.notes.insert("k=\(onSample.k) chosen on a seeded sample of \(rows.count) of the \(n) songs (each "
            + "candidate fitted and scored there), then fitted on all", at: 0)
        choice.silhouetteScorer = self == .silhouette
            ? SilhouetteScorer(data: data, sampleLimit: 3000, seed: seed, jobs: jobs) : nil
        return choice
    }

    /// Fits and scores every candidate on all of `data`; also returns the candidate number chosen.
    private func chooseOnAllRows(_ prepared: PreparedClustering, data: FeatureMatrix, range: ClosedRange<Int>,
                                 distinctItems: Int, seed: UInt64,
                                 jobs: Int) throws(ClusteringError) -> (choice: Choice, k: Int) {
        let n = data.rowCount
        switch self {
        case .silhouette:
            let top = min(range.upperBound, distinctItems, n - 1)
            let lower = max(2, min(range.lowerBound, top))
            let upper = min(top, n - 1)
            guard lower <= upper else { throw .invalidParameter("choosing k needs at least 3 items; there are \(n)") }
            let scorer = SilhouetteScorer(data: data, sampleLimit: 3000, seed: seed, jobs: jobs)
            var best: (partition: Partition, k: Int)?
            var bestScore = -Double.infinity
            var scores: [ClusterCountScore] = []
            for k in lower...upper {
                let candidate = try prepared.fit(k)
                let silhouette = scorer.score(labels: candidate.labels, clusterCount: k)
                scores.append(ClusterCountScore(k: k, silhouette: silhouette))
                if best == nil || silhouette > bestScore + 1e-12 {
                    bestScore = silhouette
                    best = (candidate, k)
                }
            }
            return (Choice(partition: best!.partition, scores: scores, notes: [], silhouetteScorer: scorer), best!.k)
        case .bayesianInformationCriterion:
            let upper = min(range.upperBound, distinctItems, n - 1)
            let lower = min(max(1, range.lowerBound), upper)
            let scorer = SilhouetteScorer(data: data, sampleLimit: 3000, seed: seed, jobs: jobs)
            var best: (partition: Partition, bic: Double, k: Int)?
            var scores: [ClusterCountScore] = []
            for k in lower...max(lower, upper) {
                let candidate = try prepared.fit(k)
                guard let bic = candidate.bayesianInformationCriterion else {
                    throw .invalidParameter("choosing k by BIC needs a clusterer with a likelihood, such as gmm")
                }
                let clusters = Set(candidate.labels).count
                let silhouette = clusters >= 2 ? scorer.score(labels: candidate.labels, clusterCount: k) : 0
                scores.append(ClusterCountScore(k: k, silhouette: silhouette, bic: bic))
                if best.map({ bic < $0.bic }) ?? true { best = (candidate, bic, k) }
            }
            var notes: [String] = []
            if best!.partition.clusterCount == upper && upper > lower {
                notes.append("BIC was still falling at k=\(upper), the top of the range: with few songs per "
                    + "component the variances collapse; consider a fixed -k")
            }
            return (Choice(partition: best!.partition, scores: scores, notes: notes, silhouetteScorer: nil), best!.k)
        case .largestMergeGap:
            guard let tree = prepared.mergeTree else {
                throw .invalidParameter("choosing k at the largest merge gap needs a merge tree, as agglomerative builds")
            }
            let top = min(range.upperBound, distinctItems)
            let k = tree.clusterCountAtLargestGap(in: min(range.lowerBound, top)...top)
            let note = "k=\(k): the largest gap between merge heights (\(tree.linkage.rawValue) linkage)"
            return (Choice(partition: try prepared.fit(k), scores: [], notes: [note], silhouetteScorer: nil), k)
        }
    }
}
