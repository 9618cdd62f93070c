import Clustering
import FilePaths
import Foundation

/// `map.json`: where every song sits, the codebook and the U-matrix. The one
/// type for a placed song: the document, the page and the CSV all read it.
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

        public init(path: String, title: String?, artist: String?, cluster: Int, unit: Int, gridX: Int, gridY: Int,
                    x: Double, y: Double) {
            self.path = path
            self.title = title
            self.artist = artist
            self.cluster = cluster
            self.unit = unit
            self.gridX = gridX
            self.gridY = gridY
            self.x = x
            self.y = y
        }

        /// The title, or the file name without its extension.
        public var displayTitle: String {
            title ?? RawPath.display(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
        }
    }

    public var featureVersion: Int
    public var width: Int
    public var height: Int
    public var topology: SOMTopology
    public var training: SOMTraining
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

    public init(featureVersion: Int, width: Int, height: Int, topology: SOMTopology, training: SOMTraining,
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
