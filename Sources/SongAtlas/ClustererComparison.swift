import Clustering
import Foundation
import Library

/// How one clusterer did on a labelled library (one row of `evaluate clusters --compare`).
public struct ClustererComparison: Sendable, Codable, Equatable {
    /// The algorithm and its settings, e.g. `gmm (diag)`.
    public var algorithm: String
    /// The clusters the algorithm fit, before playlists smaller than the minimum size joined their
    /// neighbours (so it can exceed ``playlistCount``); nil when it failed.
    public var k: Int?
    /// How ``k`` came about: `given` (`-k`), the rule that chose it (`silhouette`, `bic`, `gap`),
    /// or `found` (HDBSCAN finds the number itself); nil when it failed.
    public var kChosenBy: String?
    /// Playlists made (the `unsorted` one included).
    public var playlistCount: Int
    /// Songs left unsorted (HDBSCAN's noise).
    public var unsortedCount: Int
    /// Agreement with the reference labels over the labelled songs (noise counts as one cluster).
    public var agreement: PartitionAgreement?
    /// Mean silhouette of the clustered songs in the feature space (nil for a single playlist).
    public var silhouette: Double?
    /// Wall time of the clustering (the library's placement excluded), in seconds.
    public var seconds: Double
    /// Why the algorithm could not run, if it could not.
    public var failure: String?
}

extension Atlas {
    /// The clusterers `evaluate clusters --compare` runs: k-means, GMM (diagonal and
    /// full), agglomerative with each linkage, and HDBSCAN.
    public static let comparedClusterings: [PlaylistClustering] =
        [.kmeans()] + CovarianceKind.allCases.map { .gmm(covariance: $0) }
            + Linkage.allCases.map { .agglomerative(linkage: $0) } + [.hdbscan()]

    /// Runs every clusterer on one placement of `tracks` and scores each against `labels`.
    ///
    /// - Parameters:
    ///   - builder: the shared settings (k, seed, feature space, minimum size…), the same as `playlists`
    ///     uses; its clustering is replaced by each of `clusterings` with that algorithm's defaults
    ///     (k-means: 10 restarts, as `playlists`).
    ///   - clusterings: what to compare (default ``comparedClusterings``).
    ///   - labels: reference labels by absolute path (``ReferenceLabels``).
    ///   - progress: called with each algorithm's summary before it runs.
    ///   - cancellation: stops the clusterer running at its next iteration; default never.
    /// - Throws: ``ClusteringError/cancelled`` when cancelled; other failures become a row's ``ClustererComparison/failure``.
    public static func compareClusterers(
        _ tracks: [TrackAnalysis], builder: PlaylistBuilder, clusterings: [PlaylistClustering] = comparedClusterings,
        labels: [String: String], progress: ((String) -> Void)? = nil, cancellation: Cancellation = .never
    ) throws -> [ClustererComparison] {
        let placed = builder.space.place(tracks)
        let paths = tracks.map(\.path)
        var rows: [ClustererComparison] = []
        for clustering in clusterings {
            var configured = builder
            configured.clustering = clustering
            // A number the algorithm finds itself is not given (the rule of ``PlaylistAlgorithm/parameters``).
            if !clustering.algorithm.parameters.contains(.clusterCount) { configured.clusterCount = nil }
            let chosenBy = !clustering.algorithm.parameters.contains(.clusterCount) ? "found"
                : configured.clusterCount != nil ? "given"
                : (configured.countStrategy ?? clustering.algorithm.countStrategies.first)?.rawValue ?? "auto"
            progress?(clustering.summary)
            let start = Date()
            do {
                let set = try configured.build(tracks, placed: placed, cancellation: cancellation)
                let seconds = Date().timeIntervalSince(start)
                rows.append(ClustererComparison(
                    algorithm: clustering.summary, k: set.k, kChosenBy: chosenBy, playlistCount: set.playlists.count,
                    unsortedCount: set.labels.count { $0 < 0 },
                    agreement: ReferenceLabels.agreement(paths: paths, clusters: set.labels, labels: labels)?.agreement,
                    silhouette: set.quality?.silhouette, seconds: seconds, failure: nil))
            } catch ClusteringError.cancelled {
                throw ClusteringError.cancelled
            } catch {
                rows.append(ClustererComparison(algorithm: clustering.summary, k: nil, kChosenBy: nil,
                                                playlistCount: 0, unsortedCount: 0,
                                                agreement: nil, silhouette: nil,
                                                seconds: Date().timeIntervalSince(start), failure: "\(error)"))
            }
        }
        return rows
    }
}
