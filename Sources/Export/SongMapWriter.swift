import Clustering
import FilePaths
import Foundation

/// Writes a ``SongMapDocument`` as `map.html`, `map.svg`, `map.json` and `map.csv`, as one ``OutputSet``:
/// the four land together or not at all.
public enum SongMapWriter {
    /// The output set of a map whose page is `htmlPath`: its folder, and a set named after the page.
    ///
    /// Make it before the analysis, so that an unwritable location fails at once.
    /// The four files are checked now (``OutputSet/check(_:)``): a file at one of their names that
    /// SongAtlas did not write stops the run before the analysis.
    public static func outputSet(htmlPath: String, rules: OutputRules = OutputRules()) throws(OutputError) -> OutputSet {
        guard !htmlPath.isEmpty else { throw .notWritable(path: htmlPath, reason: "empty path") }
        let set = try OutputSet(folder: OutputDestination.folder(of: htmlPath), name: "map-" + stem(of: htmlPath),
                                rules: rules)
        try set.check(fileNames(htmlPath: htmlPath))
        return set
    }

    private static func stem(of htmlPath: String) -> String {
        ((htmlPath as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// The page, picture, document and table of a map whose page is `htmlPath`, in that order.
    static func fileNames(htmlPath: String) -> [String] {
        let base = stem(of: htmlPath)
        return [base + ".html", base + ".svg", base + ".json", base + ".csv"]
    }

    /// Writes the four files next to each other, named after `htmlPath`.
    ///
    /// - Parameters:
    ///   - document: the map, as `map.json` holds it.
    ///   - output: the set from ``outputSet(htmlPath:)``; committed here.
    ///   - musicRoot: tracks under it play through relative URLs when
    ///     the page is inside it too; otherwise through absolute file URLs.
    ///   - title: the page's heading.
    ///   - waiting: called if another run holds the folder's lock.
    ///   - previews: file names, by song index, of previews in `previewSet` (the folder
    ///     ``PreviewSources/folderName(htmlPath:)`` beside the page); those songs play their preview.
    ///   - previewSet: committed with `output`, as one set: the page never refers to a missing preview.
    /// - Returns: the paths written.
    /// - Throws: ``OutputError``; then none of the four files changed.
    @discardableResult
    public static func write(_ document: SongMapDocument, htmlPath: String, to output: OutputSet, musicRoot: String?,
                             title: String, waiting: ((String) -> Void)? = nil,
                             previews: [Int: String] = [:], previewSet: OutputSet? = nil) throws -> [String] {
        let names = fileNames(htmlPath: htmlPath)
        let previewFolder = PreviewSources.folderName(htmlPath: htmlPath)

        let drawing = SongMapDrawing(
            title: title, hexagonal: document.topology == .hexagonal,
            cells: document.uMatrix.indices.map { unit in
                let position = SelfOrganizingMap.position(ofUnit: unit, height: document.height,
                                                          topology: document.topology == .hexagonal ? .hexagonal : .rectangular)
                return SongMapDrawing.Cell(x: position.x, y: position.y, height: document.uMatrix[unit])
            },
            songs: document.songs,
            sources: document.songs.indices.map { index in
                if let preview = previews[index] {
                    return previewFolder.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) .map { $0 + "/" + preview }
                        ?? preview
                }
                let source = audioSource(for: document.songs[index].path, pageFolder: output.folder, musicRoot: musicRoot)
                return document.songs[index].cue.map { source + mediaFragment($0) } ?? source
            },
            clusterNames: document.clusters,
            playlistEntries: document.songs.map { playlistEntry(for: $0, pageFolder: output.folder) })
        try output.add(names[0], try drawing.html())
        try output.add(names[1], drawing.svg())
        var json = try document.chunkedJSON(encoder: JSONOutput.encoder(pretty: false))
        json.append(UInt8(ascii: "\n"))
        try output.add(names[2], json)

        // Cue tracks add track, start and end columns (empty for whole files), as the playlists' CSV does.
        let cue = document.songs.contains { $0.cue != nil }
        var table = CSVTable(header: ["path", "title", "artist", "cluster", "playlist", "grid_x", "grid_y", "x", "y",
                                      "uri"] + (cue ? ["track", "start", "end"] : []))
        for song in document.songs {
            var row = [DocumentPath(song.path).text, song.title ?? "", song.artist ?? "", "\(song.cluster)",
                       document.clusters.indices.contains(song.cluster) ? document.clusters[song.cluster] : "",
                       "\(song.gridX)", "\(song.gridY)", String(format: "%.4f", song.x), String(format: "%.4f", song.y),
                       DocumentPath(song.path).uri ?? ""]
            if cue {
                row += song.cue.map { ["\($0.track)", CSVTable.number($0.startSeconds), CSVTable.number($0.endSeconds)] }
                    ?? ["", "", ""]
            }
            table.append(row)
        }
        try output.add(names[3], table.rendered())
        if let previewSet {
            try OutputSet.commit([output, previewSet], waiting: waiting)
        } else {
            try output.commit(waiting: waiting)
        }
        let prefix = ParentFolder.of(htmlPath)
        return names.map { prefix.isEmpty ? $0 : (prefix as NSString).appendingPathComponent($0) }
    }

    /// A song's lines in a playlist saved from the page: `#EXTINF` and location, as `playlists` writes
    /// them (``M3U8Playlist``), with the location absolute, since the browser saves the playlist
    /// wherever its downloads go.
    static func playlistEntry(for song: SongMapDocument.Song, pageFolder: String) -> String {
        let (path, location) = song.cue?.m3u8Location(audioPath: song.path, form: .range) ?? (song.path, .wholeFile)
        let playlist = M3U8Playlist(entries: [M3U8Playlist.Entry(
            path: path, durationSeconds: song.durationSeconds ?? -1,
            displayTitle: SongTitle.display(title: song.title, artist: song.artist, path: song.path), location: location)])
        return String(playlist.rendered(playlistFolder: pageFolder, relativeRoot: nil).dropFirst("#EXTM3U\n".count))
    }

    /// The media fragment (`#t=START,END`, W3C Media Fragments) that makes an `<audio>` element play only a
    /// cue track's range of its file: from its start, pausing at its end.
    static func mediaFragment(_ cue: CueTrackReference) -> String {
        "#t=" + String(format: "%.3f", cue.startSeconds) + "," + String(format: "%.3f", cue.endSeconds)
    }

    /// A URL the page's `<audio>` element can play: relative when the page sits
    /// inside the music folder with the track, an absolute file:// URL otherwise.
    /// A name that is not UTF-8 is always the absolute URI of its exact bytes (``M3U8Playlist/fileURI(absolutePath:)``).
    static func audioSource(for path: String, pageFolder: String, musicRoot: String?) -> String {
        let absolute = PathKey.of(path)
        if !RawPath.isText(absolute) { return M3U8Playlist.fileURI(absolutePath: absolute) }
        let folder = PathKey.of(pageFolder)
        if let root = musicRoot.map({ PathKey.of($0) }),
           folder == root || folder.hasPrefix(root + "/"), absolute.hasPrefix(root + "/") {
            let relative = M3U8Playlist.relativePath(from: folder, to: absolute)
            return relative.split(separator: "/").map {
                String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? String($0)
            }.joined(separator: "/")
        }
        return URL(fileURLWithPath: absolute).absoluteString
    }
}
