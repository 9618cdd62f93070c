import Foundation

/// The silhouette of one candidate k (and its BIC, when a Gaussian mixture chose k).
public struct ClusterCountScore: Sendable, Equatable, Codable {
    public var k: Int
    public var silhouette: Double
    /// The Gaussian mixture's Bayesian information criterion at this k (lower is better); nil for k-means.
    public var bic: Double?

    public init(k: Int, silhouette: Double, bic: Double? = nil) {
        self.k = k
        self.silhouette = silhouette
        self.bic = bic
    }
}

/// Chooses k by the silhouette: fits k-means for each k in a range and keeps the best.
public enum ClusterCountSelection {
    /// Fits every k in `range` (clamped to 2...n-1) and returns the best fit with all scores,
    /// and the silhouette scorer (its distances) for scoring a final clustering of the same data.
    ///
    /// - Parameter silhouetteSampleLimit: score at most this many items per k (seeded sample).
    public static func select(
        data: FeatureMatrix, range: ClosedRange<Int>, kMeans template: KMeans, silhouetteSampleLimit: Int = 3000,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws(ClusteringError) -> (best: KMeansResult, scores: [ClusterCountScore], scorer: SilhouetteScorer) {
        let lower = max(2, range.lowerBound)
        let upper = min(range.upperBound, data.rowCount - 1)
        guard lower <= upper else {
            throw .invalidParameter("choosing k needs at least 3 items; there are \(data.rowCount)")
        }
        var best: KMeansResult?
        var bestScore = -Double.infinity
        var scores: [ClusterCountScore] = []
        let scorer = SilhouetteScorer(data: data, sampleLimit: silhouetteSampleLimit, seed: template.seed, jobs: jobs)
        for k in lower...upper {
            var kMeans = template
            kMeans.clusterCount = k
            let result = try kMeans.fit(data, jobs: jobs)
            let silhouette = scorer.score(labels: result.labels, clusterCount: k)
            scores.append(ClusterCountScore(k: k, silhouette: silhouette))
            if best == nil || silhouette > bestScore + 1e-12 {
                bestScore = silhouette
                best = result
            }
        }
        return (best!, scores, scorer)
    }
}
