import Clustering
import Export
import Features
import Foundation
import Library

/// `map.json`: where every song sits, the codebook and the U-matrix.
public struct SongMapDocument: Codable, Sendable {
    public struct Song: Codable, Sendable {
        public var path: String
        public var title: String?
        public var artist: String?
        public var cluster: Int
        public var unit: Int
        public var gridX: Int
        public var gridY: Int
        public var x: Double
        public var y: Double
    }

    public var featureVersion: Int
    public var width: Int
    public var height: Int
    public var topology: SOMTopology
    public var training: SOMTraining
    public var quantizationError: Double
    public var topographicError: Double?
    public var clusters: [String]
    public var notes: [String]
    public var songs: [Song]
    /// One row per unit (unit `u` at grid x = u / height, y = u % height).
    public var codebook: [[Float]]
    public var uMatrix: [Double]
}

/// Writes a ``SongMap`` as `map.html`, `map.svg`, `map.json` and `map.csv`, as one ``OutputSet``:
/// the four land together or not at all.
public enum SongMapWriter {
    /// The output set of a map whose page is `htmlPath`: its folder, and a set named after the page.
    ///
    /// Make it before the analysis, so that an unwritable location fails at once.
    public static func outputSet(htmlPath: String) throws(OutputError) -> OutputSet {
        let stem = ((htmlPath as NSString).lastPathComponent as NSString).deletingPathExtension
        return try OutputSet(folder: (htmlPath as NSString).deletingLastPathComponent, name: "map-" + stem)
    }

    /// Writes the four files next to each other, named after `htmlPath`.
    ///
    /// - Parameters:
    ///   - output: the set from ``outputSet(htmlPath:)``; committed here.
    ///   - musicRoot: tracks under it play through relative URLs when
    ///     the page is inside it too; otherwise through absolute file URLs.
    ///   - waiting: called if another run holds the folder's lock.
    /// - Returns: the paths written.
    /// - Throws: ``OutputError``; then none of the four files changed.
    @discardableResult
    public static func write(_ map: SongMap, htmlPath: String, to output: OutputSet, musicRoot: String?, title: String,
                             waiting: ((String) -> Void)? = nil) throws -> [String] {
        let folder = output.folder
        let stem = ((htmlPath as NSString).lastPathComponent as NSString).deletingPathExtension
        let names = [stem + ".html", stem + ".svg", stem + ".json", stem + ".csv"]

        let drawing = SongMapDrawing(
            title: title, hexagonal: map.som.topology == .hexagonal,
            cells: (0..<(map.som.width * map.som.height)).map { unit in
                let position = map.som.position(ofUnit: unit)
                return SongMapDrawing.Cell(x: position.x, y: position.y, height: map.som.uMatrix[unit])
            },
            songs: map.songs.map { song in
                SongMapDrawing.Song(
                    x: song.x, y: song.y,
                    title: song.track.title ?? URL(fileURLWithPath: song.track.path).deletingPathExtension().lastPathComponent,
                    artist: song.track.artist ?? "", path: song.track.path,
                    source: audioSource(for: song.track.path, pageFolder: folder, musicRoot: musicRoot),
                    cluster: song.cluster)
            },
            clusterNames: map.clusterNames)
        try output.add(names[0], try drawing.html())
        try output.add(names[1], drawing.svg())

        let document = SongMapDocument(
            featureVersion: SongSummary.version, width: map.som.width, height: map.som.height,
            topology: map.som.topology, training: map.training, quantizationError: map.som.quantizationError,
            topographicError: map.som.topographicError.isFinite ? map.som.topographicError : nil,
            clusters: map.clusterNames, notes: map.notes,
            songs: map.songs.map {
                SongMapDocument.Song(path: $0.track.path, title: $0.track.title, artist: $0.track.artist,
                                     cluster: $0.cluster, unit: $0.unit, gridX: $0.gridX, gridY: $0.gridY, x: $0.x, y: $0.y)
            },
            codebook: (0..<map.som.codebook.rowCount).map { Array(map.som.codebook.row($0)) },
            uMatrix: map.som.uMatrix)
        try output.add(names[2], try JSONOutput.encoder(pretty: false).encode(document) + Data("\n".utf8))

        var table = CSVTable(header: ["path", "title", "artist", "cluster", "playlist", "grid_x", "grid_y", "x", "y"])
        for song in map.songs {
            table.append([song.track.path, song.track.title ?? "", song.track.artist ?? "", "\(song.cluster)",
                          map.clusterNames.indices.contains(song.cluster) ? map.clusterNames[song.cluster] : "",
                          "\(song.gridX)", "\(song.gridY)", String(format: "%.4f", song.x), String(format: "%.4f", song.y)])
        }
        try output.add(names[3], table.rendered())
        try output.commit(waiting: waiting)
        let prefix = (htmlPath as NSString).deletingLastPathComponent
        return names.map { prefix.isEmpty ? $0 : (prefix as NSString).appendingPathComponent($0) }
    }

    /// A URL the page's `<audio>` element can play: relative when the page sits
    /// inside the music folder with the track, an absolute file:// URL otherwise.
    static func audioSource(for path: String, pageFolder: String, musicRoot: String?) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let folder = URL(fileURLWithPath: pageFolder).standardizedFileURL.path
        if let root = musicRoot.map({ URL(fileURLWithPath: $0).standardizedFileURL.path }),
           folder == root || folder.hasPrefix(root + "/"), absolute.hasPrefix(root + "/") {
            let relative = M3U8Playlist.relativePath(from: folder, to: absolute)
            return relative.split(separator: "/").map {
                String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? String($0)
            }.joined(separator: "/")
        }
        return URL(fileURLWithPath: absolute).absoluteString
    }
}
