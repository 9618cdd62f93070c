import Export
import Foundation
import Library

/// Writes a ``PlaylistSet`` to a folder: one `.m3u8` per playlist,
/// `playlists.json` and `playlists.csv`, as one ``OutputSet``.
///
/// The files land together or not at all. Playlists that an earlier run wrote
/// to the same folder and this run did not are removed, if they are still as
/// SongAtlas wrote them (the set's manifest says which files those are), so the
/// folder matches `playlists.json`.
public enum PlaylistWriter {
    /// Writes the files and returns the document written as `playlists.json`.
    ///
    /// - Parameters:
    ///   - output: the output set, made (and so checked) before the analysis; committed here.
    ///   - musicRoot: the music folder; tracks under it are written relative
    ///     to the playlist when the output folder is inside it too.
    ///   - agreement: scores against reference labels, when there are any.
    ///   - waiting: called if another run holds the folder's lock.
    /// - Throws: ``OutputError``; then the folder is as it was.
    @discardableResult
    public static func write(
        _ set: PlaylistSet, to output: OutputSet, musicRoot: String?,
        agreement: (agreement: PartitionAgreement, labelled: Int)? = nil, waiting: ((String) -> Void)? = nil
    ) throws -> PlaylistDocument {
        let folder = output.folder
        var entries: [PlaylistDocument.Entry] = []
        var table = CSVTable(header: ["playlist", "position", "path", "title", "artist", "album", "duration_seconds",
                                      "distance_to_centroid"])
        for playlist in set.playlists {
            var file = fileName(for: playlist.name) + ".m3u8"
            if entries.contains(where: { $0.file == file }) { file = fileName(for: playlist.name) + " (\(entries.count + 1)).m3u8" }
            let m3u = M3U8Playlist(entries: playlist.tracks.map {
                M3U8Playlist.Entry(path: $0.track.path, durationSeconds: $0.track.durationSeconds,
                                   displayTitle: displayTitle($0.track))
            })
            try output.add(file, m3u.rendered(playlistFolder: folder, relativeRoot: musicRoot))
            entries.append(PlaylistDocument.Entry(name: playlist.name, file: file, tracks: playlist.tracks.map {
                PlaylistDocument.Track(path: $0.track.path, title: $0.track.title, artist: $0.track.artist,
                                       album: $0.track.album, durationSeconds: $0.track.durationSeconds,
                                       distanceToCentroid: $0.distanceToCentroid)
            }))
            for (position, item) in playlist.tracks.enumerated() {
                table.append([playlist.name, "\(position + 1)", item.track.path, item.track.title ?? "",
                              item.track.artist ?? "", item.track.album ?? "", CSVTable.number(item.track.durationSeconds),
                              CSVTable.number(item.distanceToCentroid)])
            }
        }
        let document = PlaylistDocument(
            featureVersion: SongSummary.version, k: set.k, kScores: set.kScores, seed: set.seed, weights: set.space.weights,
            metrics: PlaylistDocument.Metrics(
                silhouette: set.quality?.silhouette, daviesBouldin: set.quality?.daviesBouldin,
                calinskiHarabasz: set.quality?.calinskiHarabasz, inertia: set.quality?.inertia,
                agreement: agreement?.agreement, labelledTrackCount: agreement?.labelled),
            notes: set.notes, playlists: entries)
        try output.add("playlists.csv", table.rendered())
        try output.add("playlists.json", JSONOutput.encoder().encode(document) + Data("\n".utf8))
        try output.commit(waiting: waiting)
        return document
    }

    /// `Artist - Title`, or what there is of it, or the file name.
    static func displayTitle(_ track: TrackAnalysis) -> String {
        switch (track.artist, track.title) {
        case let (artist?, title?): return "\(artist) - \(title)"
        case let (nil, title?): return title
        default: return URL(fileURLWithPath: track.path).deletingPathExtension().lastPathComponent
        }
    }

    /// A playlist name made safe as a file name on every common file system.
    static func fileName(for name: String) -> String {
        let forbidden = CharacterSet(charactersIn: "/\\:*?\"<>|").union(.controlCharacters)
        let cleaned = String(name.unicodeScalars.map { forbidden.contains($0) ? "_" : Character($0) })
        return cleaned.trimmingCharacters(in: CharacterSet(charactersIn: ". ")).isEmpty ? "playlist" : cleaned
    }
}
