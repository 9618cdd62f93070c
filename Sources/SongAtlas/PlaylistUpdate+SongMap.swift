import Clustering
import Export
import Foundation
import Library

extension Atlas {
    /// The legend name of the songs a kept playlist set does not hold (added to the library since).
    public static let outsideKeptPlaylists = "not in the playlists"

    /// Draws a library as a song map coloured by the playlists a person keeps (a `playlists.json` read back),
    /// so the map shows the playlists the user has rather than a fresh clustering.
    ///
    /// Songs the set does not hold are coloured apart, as ``outsideKeptPlaylists``.
    ///
    /// - Parameters:
    ///   - space: the space the songs are placed in (the kept set's, or any).
    ///   - keptPlaylists: the kept set's document.
    ///   - cancellation: stops the training at its next epoch; default never.
    /// - Throws: ``PlaylistBuilder/BuildError``, ``ClusteringError`` (``ClusteringError/cancelled`` when cancelled).
    public static func songMap(_ tracks: [TrackAnalysis], builder: SongMapBuilder, space: FeatureSpace,
                               keptPlaylists: PlaylistDocument, cancellation: Cancellation = .never) throws
        -> SongMapDocument
    {
        guard !tracks.isEmpty else { throw PlaylistBuilder.BuildError.noTracks }
        try builder.checkGrid(songCount: tracks.count)
        var playlistOfSlot: [SongSlot: Int] = [:]
        for (index, entry) in keptPlaylists.playlists.enumerated() {
            for track in entry.tracks where track.bridge != true && playlistOfSlot[track.slot] == nil {
                playlistOfSlot[track.slot] = index
            }
        }
        var names = keptPlaylists.playlists.map(\.name)
        let outside = names.count
        let clusters = tracks.map { playlistOfSlot[$0.slot] ?? outside }
        if clusters.contains(outside) { names.append(outsideKeptPlaylists) }
        var map = try builder.build(tracks, placed: space.place(tracks),
                                    colours: SongMapBuilder.Colours(clusterOfTrack: clusters, names: names),
                                    cancellation: cancellation)
        let missing = clusters.count { $0 == outside }
        if missing > 0 {
            map.notes.append("\(missing) song\(missing == 1 ? " is" : "s are") in no kept playlist: "
                + "coloured as '\(outsideKeptPlaylists)'")
        }
        return map
    }
}
