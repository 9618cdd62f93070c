import Clustering
import Foundation
import Library

/// What the clusterers other than k-means hand to ``PlaylistBuilder``.
struct AlternativeClusters {
    /// One label per song; −1 for HDBSCAN's noise.
    var labels: [Int]
    /// Clusters found (before small ones are merged).
    var k: Int
    var kScores: [ClusterCountScore] = []
    /// GMM: n × ``componentCount`` memberships.
    var memberships: [Double]?
    var componentCount = 0
    /// Agglomerative: the whole tree.
    var dendrogram: Dendrogram?
}

extension PlaylistBuilder {
    /// The name of the playlist of songs HDBSCAN leaves out; it is listed last.
    public static let unsortedName = "unsorted"

    /// Clusters `space` with ``clustering``'s algorithm (not k-means).
    ///
    /// - Parameters:
    ///   - space: the placed songs, one per row, at least 2 distinct.
    ///   - notes: what the user should know is appended here.
    func clusterAlternatively(_ space: FeatureMatrix, distinctRows: Int, notes: inout [String]) throws
        -> AlternativeClusters
    {
        let n = space.rowCount
        let stop: @Sendable () -> Bool = { Interruption.shared.isRequested }
        switch clustering.algorithm {
        case .kmeans:
            preconditionFailure("k-means is the builder's own path")
        case .gmm:
            var data = space
            if clustering.covariance == .full && space.columnCount > clustering.principalComponents {
                let pca = PrincipalComponents(fitting: space, dimension: clustering.principalComponents)
                data = pca.transform(space)
                notes.append(String(format: "full covariances fitted on the first %d principal components (%.0f%% of the variance)",
                                    pca.dimension, 100 * pca.explainedVarianceRatio.reduce(0, +)))
            }
            var template = GaussianMixture(componentCount: 1, covariance: clustering.covariance,
                                           restarts: restarts, seed: seed)
            template.shouldStop = stop
            func fit(_ k: Int) throws -> GaussianMixtureResult {
                var model = template
                model.componentCount = k
                return try model.fit(data, jobs: jobs)
            }
            var result: GaussianMixtureResult
            var kScores: [ClusterCountScore] = []
            if let fixed = clusterCount {
                result = try fit(fixed)
                if fixed > n {
                    notes.append("k=\(fixed) is more than the \(n) songs: the extra components stay empty (regularised)")
                }
            } else {
                let upper = min(automaticRange.upperBound, distinctRows, n - 1)
                let lower = min(max(1, automaticRange.lowerBound), upper)
                let scorer = SilhouetteScorer(data: space, sampleLimit: 3000, seed: seed, jobs: jobs)
                var best: GaussianMixtureResult?
                for k in lower...max(lower, upper) {
                    let candidate = try fit(k)
                    let clusters = Set(candidate.labels).count
                    let silhouette = clusters >= 2 ? scorer.score(labels: candidate.labels, clusterCount: k) : 0
                    kScores.append(ClusterCountScore(k: k, silhouette: silhouette,
                                                     bic: candidate.bayesianInformationCriterion))
                    if best.map({ candidate.bayesianInformationCriterion < $0.bayesianInformationCriterion }) ?? true {
                        best = candidate
                    }
                }
                result = best!
                if result.componentCount == upper && upper > lower {
                    notes.append("BIC was still falling at k=\(upper), the top of the range: with few songs per "
                        + "component the variances collapse; consider a fixed -k")
                }
            }
            notes += result.notes
            return AlternativeClusters(labels: result.labels, k: result.componentCount, kScores: kScores,
                                       memberships: result.memberships, componentCount: result.componentCount)
        case .agglomerative:
            var model = AgglomerativeClustering(linkage: clustering.linkage)
            model.shouldStop = stop
            let tree = try model.fit(space, jobs: jobs)
            let k: Int
            if let fixed = clusterCount {
                k = min(fixed, distinctRows)
                if fixed > distinctRows {
                    notes.append("\(fixed) playlists reduced to \(distinctRows): only \(distinctRows) songs differ in their features")
                }
            } else {
                k = tree.clusterCountAtLargestGap(in: automaticRange.lowerBound...min(automaticRange.upperBound, distinctRows))
                notes.append("k=\(k): the largest gap between merge heights (\(clustering.linkage.rawValue) linkage)")
            }
            return AlternativeClusters(labels: tree.labels(clusterCount: k), k: k, dendrogram: tree)
        case .hdbscan:
            var model = HDBSCAN(minimumClusterSize: clustering.minimumClusterSize,
                                minimumSamples: clustering.minimumSamples)
            model.shouldStop = stop
            let result = try model.fit(space, jobs: jobs)
            if let asked = clustering.minimumSamples ?? Optional(clustering.minimumClusterSize), asked > n {
                notes.append("minSamples \(asked) is more than the \(n) songs: \(n) used")
            }
            if result.clusterCount == 0 {
                notes.append("hdbscan found no cluster of at least \(clustering.minimumClusterSize) songs: "
                    + "every song is in '\(Self.unsortedName)'")
            } else if result.noiseCount > 0 {
                notes.append("\(result.noiseCount) song\(result.noiseCount == 1 ? "" : "s") fit no cluster: "
                    + "they are in '\(Self.unsortedName)', listed last")
            }
            return AlternativeClusters(labels: result.labels.map { $0 ?? -1 }, k: result.clusterCount)
        }
    }

    /// Each song's membership in each final cluster: the memberships of the
    /// components whose songs ended in that cluster, summed and renormalised.
    ///
    /// - Parameters:
    ///   - memberships: n × `componentCount`.
    ///   - componentLabels: each song's best component.
    ///   - finalLabels: each song's cluster after renumbering and merging.
    /// - Returns: per song, a dictionary from final cluster to membership.
    static func clusterMemberships(_ memberships: [Double], componentCount: Int, componentLabels: [Int],
                                   finalLabels: [Int]) -> [[Int: Double]] {
        var clusterOfComponent: [Int: Int] = [:]
        for (component, final) in zip(componentLabels, finalLabels) where clusterOfComponent[component] == nil {
            clusterOfComponent[component] = final
        }
        return (0..<componentLabels.count).map { song in
            var result: [Int: Double] = [:]
            var total = 0.0
            for component in 0..<componentCount {
                guard let cluster = clusterOfComponent[component] else { continue }
                let value = memberships[song * componentCount + component]
                result[cluster, default: 0] += value
                total += value
            }
            if total > 0 { for key in result.keys { result[key]! /= total } }
            return result
        }
    }
}

extension PlaylistBuilder {
    /// Internal quality of the final clusters, HDBSCAN's noise left out.
    ///
    /// - Returns: nil unless there are at least 2 clusters and fewer clusters than clustered songs.
    static func quality(of labels: [Int], in space: FeatureMatrix, seed: UInt64, scorer: SilhouetteScorer?)
        -> ClusterQuality?
    {
        let kept = labels.indices.filter { labels[$0] >= 0 }
        let clusters = Set(kept.map { labels[$0] }).count
        guard clusters >= 2, clusters < kept.count else { return nil }
        if kept.count == labels.count {
            return ClusterQuality(data: space, labels: labels, silhouetteSampleLimit: 3000, seed: seed,
                                  silhouetteScorer: scorer)
        }
        return ClusterQuality(data: FeatureMatrix(rows: kept.map { Array(space.row($0)) }), labels: kept.map { labels[$0] },
                              silhouetteSampleLimit: 3000, seed: seed)
    }

    /// Sets the GMM memberships per playlist and, with a bridge threshold, adds
    /// each song whose second-best membership reaches it to that second playlist,
    /// right after the member nearest to it, marked as a bridge.
    ///
    /// - Parameters:
    ///   - memberOrder: the input index of every track of every playlist, in playlist order.
    func addMemberships(_ memberships: [Double], of alternative: AlternativeClusters, finalLabels: [Int],
                        playlistOfCluster: [Int: Int], memberOrder: [[Int]], space: FeatureMatrix,
                        to set: inout PlaylistSet) {
        let perCluster = Self.clusterMemberships(memberships, componentCount: alternative.componentCount,
                                                 componentLabels: alternative.labels, finalLabels: finalLabels)
        let playlistCount = set.playlists.count
        var clusterOfPlaylist = [Int](repeating: -1, count: playlistCount)
        for (cluster, playlist) in playlistOfCluster { clusterOfPlaylist[playlist] = cluster }
        let shares = perCluster.map { byCluster in (0..<playlistCount).map { byCluster[clusterOfPlaylist[$0]] ?? 0 } }
        set.memberships = shares
        for (playlist, songs) in memberOrder.enumerated() {
            for (position, song) in songs.enumerated() { set.playlists[playlist].tracks[position].membership = shares[song] }
        }
        guard let threshold = clustering.bridgeThreshold else { return }
        var order = memberOrder
        var bridges = 0
        for (song, share) in shares.enumerated() {
            guard let own = set.playlistOfTrack[song] else { continue }
            let others = share.indices.filter { $0 != own }
            guard let second = others.max(by: { (share[$0], $1) < (share[$1], $0) }), share[second] >= threshold else {
                continue
            }
            let point = space.row(song)
            let centroid = Self.mean(of: memberOrder[second], in: space)
            let nearest = order[second].indices.min { a, b in
                (Self.distance(point, Array(space.row(order[second][a]))), a)
                    < (Self.distance(point, Array(space.row(order[second][b]))), b)
            }!
            var entry = PlaylistTrack(track: trackFor(song, in: set, order: order), distanceToCentroid: Self.distance(point, centroid))
            entry.bridge = true
            entry.membership = share
            set.playlists[second].tracks.insert(entry, at: nearest + 1)
            order[second].insert(song, at: nearest + 1)
            bridges += 1
        }
        set.notes.append(bridges == 0
            ? String(format: "no song has a second membership of at least %.2f: no bridges", threshold)
            : String(format: "%d song%@ with a second membership of at least %.2f also appear%@ in that playlist, marked as bridges",
                     bridges, bridges == 1 ? "" : "s", threshold, bridges == 1 ? "s" : ""))
    }

    /// The analysed track of input song `song`, found in its own playlist.
    private func trackFor(_ song: Int, in set: PlaylistSet, order: [[Int]]) -> TrackAnalysis {
        let playlist = set.playlistOfTrack[song]!
        let position = order[playlist].firstIndex(of: song)!
        return set.playlists[playlist].tracks[position].track
    }
}
