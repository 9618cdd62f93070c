import Foundation

/// Writes a ``PlaylistDocument`` to a folder: one `.m3u8` per playlist,
/// `playlists.json` and `playlists.csv`, as one ``OutputSet``. A path that is not
/// UTF-8 is written in its display form with its exact bytes in a `uri` (``DocumentPath``).
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
    ///   - dendrogram: agglomerative clustering's tree, written as `dendrogram.json` and `dendrogram.svg`.
    ///   - cueEntries: how an entry names a cue sheet's track (``CueEntryForm``); default the range form.
    ///   - waiting: called if another run holds the folder's lock.
    ///   - leavingAlone: playlist files a person changed, renamed or removed since SongAtlas wrote them: they
    ///     are not written (the document still lists their playlists), and not removed.
    /// - Throws: ``OutputError``; then the folder is as it was.
    public static func write(_ document: PlaylistDocument, to output: OutputSet, musicRoot: String?,
                             dendrogram: DendrogramDocument? = nil, leavingAlone: Set<String> = [],
                             cueEntries: CueEntryForm = .range, waiting: ((String) -> Void)? = nil) throws {
        // GMM's soft membership adds two columns: the song's membership in this playlist, and whether it is a bridge.
        let soft = document.playlists.contains { $0.tracks.contains { $0.membership != nil } }
        // Cue sheet tracks add three: the track number and its range of the file, in seconds.
        let cue = document.playlists.contains { $0.tracks.contains { $0.cue != nil } }
        var table = CSVTable(header: ["playlist", "position", "path", "title", "artist", "album", "duration_seconds",
                                      "distance_to_centroid"] + (soft ? ["membership", "bridge"] : []) + ["uri"]
                                 + (cue ? ["track", "start", "end"] : []))
        for (index, playlist) in document.playlists.enumerated() {
            let m3u = M3U8Playlist(entries: playlist.tracks.map { track in
                guard let reference = track.cue else {
                    return M3U8Playlist.Entry(path: track.path, durationSeconds: track.durationSeconds,
                                              displayTitle: track.displayTitle)
                }
                let (path, location) = reference.m3u8Location(audioPath: track.path, form: cueEntries)
                return M3U8Playlist.Entry(path: path, durationSeconds: track.durationSeconds,
                                          displayTitle: track.displayTitle, location: location)
            })
            if !leavingAlone.contains(playlist.file) {
                try output.add(playlist.file, m3u.rendered(playlistFolder: output.folder, relativeRoot: musicRoot))
            }
            for (position, track) in playlist.tracks.enumerated() {
                var row = [playlist.name, "\(position + 1)", DocumentPath(track.path).text, track.title ?? "", track.artist ?? "",
                           track.album ?? "", CSVTable.number(track.durationSeconds),
                           CSVTable.number(track.distanceToCentroid)]
                if soft {
                    row += [track.membership.map { CSVTable.number($0[index]) } ?? "", track.bridge == true ? "yes" : "no"]
                }
                row.append(DocumentPath(track.path).uri ?? "")
                if cue {
                    row += track.cue.map { ["\($0.track)", CSVTable.number($0.startSeconds), CSVTable.number($0.endSeconds)] }
                        ?? ["", "", ""]
                }
                table.append(row)
            }
        }
        try output.add("playlists.csv", table.rendered())
        try output.add("playlists.json", JSONOutput.encoder().encode(document) + Data("\n".utf8))
        if let dendrogram {
            try output.add("dendrogram.json", JSONOutput.encoder().encode(dendrogram) + Data("\n".utf8))
            try output.add("dendrogram.svg", dendrogram.svg())
        }
        try output.commit(waiting: waiting)
    }
}
