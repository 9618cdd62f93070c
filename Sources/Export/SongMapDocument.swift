import Foundation

/// `map.json`: where every song sits, the codebook and the U-matrix. The one
/// type for a placed song: the document, the page and the CSV all read it.
///
/// Its ``Topology`` and ``Training`` are the document's own types, mapped from the map's
/// (`Golden/map-schema.json` pins the keys).
public struct SongMapDocument: Codable, Sendable {
    /// One song on the map.
    public struct Song: Codable, Sendable, Equatable {
        public var path: String
        public var title: String?
        public var artist: String?
        /// The playlist cluster, an index into ``SongMapDocument/clusters``.
        public var cluster: Int
        /// The best-matching unit and its grid coordinates.
        public var unit: Int
        public var gridX: Int
        public var gridY: Int
        /// Where the dot goes on the plane: the unit's centre plus a small
        /// offset so that songs sharing a unit do not overlap.
        public var x: Double
        public var y: Double
        /// The song's length, for the `#EXTINF` line of a selection saved from the page; nil when unknown.
        public var durationSeconds: Double?
        /// The nearest other songs, nearest first (``Neighbour``); empty when none were computed.
        public var neighbours: [Neighbour]
        /// The cue sheet track the song is, written as `track`, `start`, `end` and `sheet`; nil (absent) for a
        /// whole file. The page plays only that range and a saved selection lists it as a range entry.
        public var cue: CueTrackReference?

        public init(path: String, title: String?, artist: String?, cluster: Int, unit: Int, gridX: Int, gridY: Int,
                    x: Double, y: Double, durationSeconds: Double? = nil, neighbours: [Neighbour] = [],
                    cue: CueTrackReference? = nil) {
            self.path = path
            self.title = title
            self.artist = artist
            self.cluster = cluster
            self.unit = unit
            self.gridX = gridX
            self.gridY = gridY
            self.x = x
            self.y = y
            self.durationSeconds = durationSeconds
            self.neighbours = neighbours
            self.cue = cue
        }

        private enum CodingKeys: String, CodingKey {
            case path, uri, title, artist, cluster, unit, gridX, gridY, x, y, durationSeconds, neighbours
            case track, start, end, sheet
        }

        /// Reads a song, taking its path from `uri` when there is one (``DocumentPath``).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            path = try DocumentPath(from: container, path: .path, uri: .uri).path
            title = try container.decodeIfPresent(String.self, forKey: .title)
            artist = try container.decodeIfPresent(String.self, forKey: .artist)
            cluster = try container.decode(Int.self, forKey: .cluster)
            unit = try container.decode(Int.self, forKey: .unit)
            gridX = try container.decode(Int.self, forKey: .gridX)
            gridY = try container.decode(Int.self, forKey: .gridY)
            x = try container.decode(Double.self, forKey: .x)
            y = try container.decode(Double.self, forKey: .y)
            durationSeconds = try container.decodeIfPresent(Double.self, forKey: .durationSeconds)
            neighbours = try container.decodeIfPresent([Neighbour].self, forKey: .neighbours) ?? []
            if let track = try container.decodeIfPresent(Int.self, forKey: .track) {
                cue = CueTrackReference(
                    track: track, startSeconds: try container.decode(Double.self, forKey: .start),
                    endSeconds: try container.decode(Double.self, forKey: .end),
                    sheet: try container.decodeIfPresent(String.self, forKey: .sheet) ?? path)
            }
        }

        /// Writes the path in its display form, and a `uri` with its exact bytes when it is not UTF-8.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try DocumentPath(path).encode(to: &container, path: .path, uri: .uri)
            try container.encodeIfPresent(title, forKey: .title)
            try container.encodeIfPresent(artist, forKey: .artist)
            try container.encode(cluster, forKey: .cluster)
            try container.encode(unit, forKey: .unit)
            try container.encode(gridX, forKey: .gridX)
            try container.encode(gridY, forKey: .gridY)
            try container.encode(x, forKey: .x)
            try container.encode(y, forKey: .y)
            try container.encodeIfPresent(durationSeconds, forKey: .durationSeconds)
            try container.encode(neighbours, forKey: .neighbours)
            if let cue {
                try container.encode(cue.track, forKey: .track)
                try container.encode(cue.startSeconds, forKey: .start)
                try container.encode(cue.endSeconds, forKey: .end)
                try container.encode(cue.sheet, forKey: .sheet)
            }
        }

        /// The title, or the file name without its extension (``SongTitle``; the map shows the artist apart).
        public var displayTitle: String { SongTitle.display(title: title, artist: nil, path: path) }
    }

    /// One of a song's nearest songs, as `similar` measures it.
    public struct Neighbour: Codable, Sendable, Equatable {
        /// The neighbour's index in ``SongMapDocument/songs``.
        public var song: Int
        /// exp(−(d / s)²) for the distance d and the library's typical distance s: 1 for the same point,
        /// about 0.37 at the typical distance (the `similarity` column of `similar`).
        public var similarity: Double
        /// Euclidean distance in the feature space the map was trained in.
        public var distance: Double

        public init(song: Int, similarity: Double, distance: Double) {
            self.song = song
            self.similarity = similarity
            self.distance = distance
        }
    }

    /// The grid the units are laid out on (unit `u` at column `u / height`, row `u % height`).
    public enum Topology: String, Codable, Sendable, CaseIterable {
        /// Square cells.
        case rectangular
        /// Hexagonal cells, every other row shifted half a unit.
        case hexagonal
    }

    /// How the map was trained.
    public enum Training: String, Codable, Sendable, CaseIterable {
        /// Batch SOM: all songs per epoch.
        case batch
        /// One song at a time.
        case online
    }

    public var featureVersion: Int
    public var width: Int
    public var height: Int
    public var topology: Topology
    public var training: Training
    public var quantizationError: Double
    /// nil where it is undefined (a one-unit map).
    public var topographicError: Double?
    /// One legend name per cluster.
    public var clusters: [String]
    public var notes: [String]
    public var songs: [Song]
    /// One row per unit (unit `u` at grid x = u / height, y = u % height).
    public var codebook: [[Float]]
    /// Per unit, 0 (close to its neighbours) … 1 (far apart).
    public var uMatrix: [Double]

    public init(featureVersion: Int, width: Int, height: Int, topology: Topology, training: Training,
                quantizationError: Double, topographicError: Double?, clusters: [String], notes: [String],
                songs: [Song], codebook: [[Float]], uMatrix: [Double]) {
        self.featureVersion = featureVersion
        self.width = width
        self.height = height
        self.topology = topology
        self.training = training
        self.quantizationError = quantizationError
        self.topographicError = topographicError
        self.clusters = clusters
        self.notes = notes
        self.songs = songs
        self.codebook = codebook
        self.uMatrix = uMatrix
    }
}
