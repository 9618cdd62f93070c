import Foundation

/// Writes a ``PlaylistDocument`` to a folder: one `.m3u8` per playlist,
/// `playlists.json` and `playlists.csv`, as one ``OutputSet``.
///
/// The files land together or not at all. Playlists that an earlier run wrote
/// to the same folder and this run did not are removed, if they are still as
/// SongAtlas wrote them (the set's manifest says which files those are), so the
/// folder matches `playlists.json`.
public enum PlaylistWriter {
    /// Renders the document's files into `output` and commits them.
    ///
    /// - Parameters:
    ///   - document: the playlists (SongAtlas's `Atlas.playlists` makes one).
    ///   - output: the output set, made (and so checked) before the analysis; committed here.
    ///   - musicRoot: the music folder; tracks under it are written relative
    ///     to the playlist when the output folder is inside it too.
    ///   - waiting: called if another run holds the folder's lock.
    /// - Throws: ``OutputError``; then the folder is as it was.
    public static func write(_ document: PlaylistDocument, to output: OutputSet, musicRoot: String?,
                             waiting: ((String) -> Void)? = nil) throws {
        var table = CSVTable(header: ["playlist", "position", "path", "title", "artist", "album", "duration_seconds",
                                      "distance_to_centroid"])
        for playlist in document.playlists {
            let m3u = M3U8Playlist(entries: playlist.tracks.map {
                M3U8Playlist.Entry(path: $0.path, durationSeconds: $0.durationSeconds, displayTitle: $0.displayTitle)
            })
            try output.add(playlist.file, m3u.rendered(playlistFolder: output.folder, relativeRoot: musicRoot))
            for (position, track) in playlist.tracks.enumerated() {
                table.append([playlist.name, "\(position + 1)", track.path, track.title ?? "", track.artist ?? "",
                              track.album ?? "", CSVTable.number(track.durationSeconds),
                              CSVTable.number(track.distanceToCentroid)])
            }
        }
        try output.add("playlists.csv", table.rendered())
        try output.add("playlists.json", JSONOutput.encoder().encode(document) + Data("\n".utf8))
        try output.commit(waiting: waiting)
    }
}
