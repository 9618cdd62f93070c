import Clustering
import Foundation
import Library

extension PlaylistBuilder {
    /// The name of the playlist of songs HDBSCAN leaves out (``Partition/noise``); it is listed last.
    public static let unsortedName = "unsorted"

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
    ///   - partition: the clusterer's partition (its labels are the components).
    func addMemberships(_ memberships: [Double], of partition: Partition, finalLabels: [Int],
                        playlistOfCluster: [Int: Int], memberOrder: [[Int]], space: FeatureMatrix,
                        to set: inout PlaylistSet) {
        let perCluster = Self.clusterMemberships(memberships, componentCount: partition.clusterCount,
                                                 componentLabels: partition.labels, finalLabels: finalLabels)
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
