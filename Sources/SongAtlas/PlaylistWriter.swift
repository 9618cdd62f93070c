import Export
import Foundation
import Library

/// Writes a ``PlaylistSet`` to a folder: one `.m3u8` per playlist,
/// `playlists.json` and `playlists.csv`, each file atomically.
///
/// Playlists listed in an earlier `playlists.json` of the same folder and
/// not written again are removed, so the folder always matches the JSON.
public enum PlaylistWriter {
    /// Writes the files and returns the document written as `playlists.json`.
    ///
    /// - Parameters:
    ///   - musicRoot: the music folder; tracks under it are written relative
    ///     to the playlist when the output folder is inside it too.
    ///   - agreement: scores against reference labels, when there are any.
    @discardableResult
    public static func write(
        _ set: PlaylistSet, to folder: String, musicRoot: String?,
        agreement: (agreement: PartitionAgreement, labelled: Int)? = nil
    ) throws -> PlaylistDocument {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        AtomicFile.removeLeftovers(in: folder)
        let jsonPath = (folder as NSString).appendingPathComponent("playlists.json")
        let previous = (try? Data(contentsOf: URL(fileURLWithPath: jsonPath)))
            .flatMap { try? JSONDecoder().decode(PlaylistDocument.self, from: $0) }

        var entries: [PlaylistDocument.Entry] = []
        var table = CSVTable(header: ["playlist", "position", "path", "title", "artist", "album", "duration_seconds",
                                      "distance_to_centroid"])
        for playlist in set.playlists {
            let file = fileName(for: playlist.name) + ".m3u8"
            let m3u = M3U8Playlist(entries: playlist.tracks.map {
                M3U8Playlist.Entry(path: $0.track.path, durationSeconds: $0.track.durationSeconds,
                                   displayTitle: displayTitle($0.track))
            })
            try AtomicFile.write(m3u.rendered(playlistFolder: folder, relativeRoot: musicRoot),
                                 to: (folder as NSString).appendingPathComponent(file))
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
            featureVersion: SongSummary.version, k: set.k, kScores: set.kScores, seed: set.seed, weights: set.weights,
            metrics: PlaylistDocument.Metrics(
                silhouette: set.quality?.silhouette, daviesBouldin: set.quality?.daviesBouldin,
                calinskiHarabasz: set.quality?.calinskiHarabasz, inertia: set.quality?.inertia,
                agreement: agreement?.agreement, labelledTrackCount: agreement?.labelled),
            notes: set.notes, playlists: entries)
        try AtomicFile.write(table.rendered(), to: (folder as NSString).appendingPathComponent("playlists.csv"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(encoder.encode(document) + Data("\n".utf8), to: jsonPath)

        // Remove playlists of an earlier run that this run did not write.
        let written = Set(entries.map(\.file))
        for old in previous?.playlists ?? [] where !written.contains(old.file) && !old.file.contains("/") {
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(old.file))
        }
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
