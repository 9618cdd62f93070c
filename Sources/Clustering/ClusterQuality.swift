import DSP
import Foundation

/// Internal quality of a clustering: how compact and separated the clusters
/// are, with no reference labels.
///
/// Each score matches scikit-learn 1.9 (`silhouette_score`,
/// `davies_bouldin_score`, `calinski_harabasz_score`, and KMeans' `inertia_`)
/// on the committed fixtures in `Tests/ClusteringTests/Fixtures`.
public struct ClusterQuality: Sendable, Equatable, Codable {
    /// Mean silhouette coefficient, in [-1, 1]; higher is better. 0 for a
    /// single cluster or one item per cluster (undefined in scikit-learn, which raises).
    public var silhouette: Double
    /// Davies–Bouldin index, ≥ 0; lower is better.
    public var daviesBouldin: Double
    /// Calinski–Harabasz index (variance ratio); higher is better.
    public var calinskiHarabasz: Double
    /// Sum of squared distances from each item to its cluster's mean.
    public var inertia: Double

    /// Scores the clustering `labels` of the rows of `data`.
    ///
    /// - Complexity: O(n² d) for the silhouette; pass `silhouetteSampleLimit`
    ///   to score a seeded sample of rows instead when n is large, or a
    ///   `silhouetteScorer` already built on `data` (e.g. by
    ///   ``ClusterCountSelection``) to reuse its distances.
    public init(data: FeatureMatrix, labels: [Int], silhouetteSampleLimit: Int? = nil, seed: UInt64 = 0,
                silhouetteScorer: SilhouetteScorer? = nil) {
        precondition(labels.count == data.rowCount, "one label per row is needed")
        let clusters = Array(Set(labels)).sorted()
        let index = Dictionary(uniqueKeysWithValues: clusters.enumerated().map { ($1, $0) })
        let dense = labels.map { index[$0]! }
        let k = clusters.count
        let n = data.rowCount
        let d = data.columnCount

        // Cluster means and sizes, in Double.
        var means = [Double](repeating: 0, count: k * d)
        var sizes = [Int](repeating: 0, count: k)
        var overall = [Double](repeating: 0, count: d)
        for row in 0..<n {
            sizes[dense[row]] += 1
            for column in 0..<d {
                means[dense[row] * d + column] += Double(data[row, column])
                overall[column] += Double(data[row, column])
            }
        }
        for cluster in 0..<k { for column in 0..<d { means[cluster * d + column] /= Double(sizes[cluster]) } }
        for column in 0..<d { overall[column] /= Double(max(n, 1)) }

        func distanceToMean(_ row: Int, _ cluster: Int) -> Double {
            var total = 0.0
            for column in 0..<d {
                let difference = Double(data[row, column]) - means[cluster * d + column]
                total += difference * difference
            }
            return total
        }

        // Inertia and within-cluster dispersion.
        var within = 0.0
        var scatter = [Double](repeating: 0, count: k)     // mean distance to the centroid, per cluster
        for row in 0..<n {
            let squared = distanceToMean(row, dense[row])
            within += squared
            scatter[dense[row]] += squared.squareRoot()
        }
        inertia = within
        for cluster in 0..<k { scatter[cluster] /= Double(sizes[cluster]) }

        // Calinski–Harabasz: between / within, scaled by degrees of freedom.
        var between = 0.0
        for cluster in 0..<k {
            var squared = 0.0
            for column in 0..<d {
                let difference = means[cluster * d + column] - overall[column]
                squared += difference * difference
            }
            between += Double(sizes[cluster]) * squared
        }
        if k < 2 || n <= k {
            calinskiHarabasz = 0
        } else {
            calinskiHarabasz = within == 0 ? 1 : between * Double(n - k) / (within * Double(k - 1))
        }

        // Davies–Bouldin: mean over clusters of the worst (s_i + s_j) / d(c_i, c_j).
        if k < 2 {
            daviesBouldin = 0
        } else {
            var total = 0.0
            for cluster in 0..<k {
                var worst = 0.0
                for other in 0..<k where other != cluster {
                    var squared = 0.0
                    for column in 0..<d {
                        let difference = means[cluster * d + column] - means[other * d + column]
                        squared += difference * difference
                    }
                    let separation = squared.squareRoot()
                    // scikit-learn treats a zero separation as infinite similarity -> 0 contribution? No: it sets it to inf.
                    let ratio = separation == 0 ? Double.infinity : (scatter[cluster] + scatter[other]) / separation
                    worst = max(worst, ratio)
                }
                total += worst
            }
            daviesBouldin = total / Double(k)
        }

        silhouette = (silhouetteScorer ?? SilhouetteScorer(data: data, sampleLimit: silhouetteSampleLimit, seed: seed))
            .score(labels: dense, clusterCount: k)
    }
}
