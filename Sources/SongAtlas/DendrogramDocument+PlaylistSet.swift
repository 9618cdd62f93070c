import Clustering
import Export
import Foundation
import Library

extension DendrogramDocument {
    /// The tree of an agglomerative playlist set, each leaf named after its song: the one mapping
    /// from the clustering's ``Dendrogram`` to `dendrogram.json`.
    ///
    /// - Parameters:
    ///   - set: playlists made with ``PlaylistAlgorithm/agglomerative``.
    ///   - tracks: the tracks the set was built from, in the same order.
    /// - Returns: nil when the set has no tree (another algorithm, or too few distinct songs).
    public init?(_ set: PlaylistSet, tracks: [TrackAnalysis]) {
        guard let tree = set.dendrogram, tree.leafCount == tracks.count else { return nil }
        let leaves = tracks.enumerated().map { index, track in
            Leaf(id: index, path: track.path, title: SongTitle.display(title: track.title, artist: track.artist, path: track.path),
                 playlist: set.playlistOfTrack[index])
        }
        let n = tree.leafCount
        let kept = n - set.k
        var cut: Double?
        if set.k >= 2, kept >= 0, kept < tree.merges.count {
            let below = kept > 0 ? tree.merges[kept - 1].height : 0
            cut = (below + tree.merges[kept].height) / 2
        }
        self.init(linkage: tree.linkage.rawValue, clusterCount: set.k, cutHeight: cut, leaves: leaves,
                  merges: tree.merges.map { Merge(left: $0.left, right: $0.right, height: $0.height, size: $0.size) })
    }
}

extension DendrogramDocument {
    /// The tree an earlier run drew, kept through an update of its set: an update does not recluster, so the
    /// merges stay those of the songs clustered then (the songs added since are not leaves of it), and each
    /// leaf's playlist is followed by its id to its index in the updated `playlists.json` (nil when that
    /// playlist left).
    ///
    /// - Parameters:
    ///   - previous: the set the tree was drawn with.
    ///   - updated: the set after the update.
    public func kept(from previous: PlaylistDocument, to updated: PlaylistDocument) -> DendrogramDocument {
        var indexOfId: [Int: Int] = [:]
        for (index, entry) in updated.playlists.enumerated() { if let id = entry.id { indexOfId[id] = index } }
        var kept = self
        for index in kept.leaves.indices {
            guard let old = kept.leaves[index].playlist else { continue }
            let id = previous.playlists.indices.contains(old) ? previous.playlists[old].id : nil
            kept.leaves[index].playlist = id.flatMap { indexOfId[$0] }
        }
        return kept
    }
}
