import Clustering
import Export

extension SongMapDocument {
    /// `map.json` from a trained map: the one mapping from the map's algorithm types
    /// (``SOMTopology``, ``SOMTraining``) to the document's own.
    ///
    /// - Parameters: as the document's memberwise initialiser, with the topology and training the map was made with.
    public init(featureVersion: Int, width: Int, height: Int, topology: SOMTopology, training: SOMTraining,
                quantizationError: Double, topographicError: Double?, clusters: [String], notes: [String],
                songs: [Song], codebook: [[Float]], uMatrix: [Double]) {
        let documentTopology: Topology
        switch topology {
        case .rectangular: documentTopology = .rectangular
        case .hexagonal: documentTopology = .hexagonal
        }
        let documentTraining: Training
        switch training {
        case .batch: documentTraining = .batch
        case .online: documentTraining = .online
        }
        self.init(featureVersion: featureVersion, width: width, height: height, topology: documentTopology,
                  training: documentTraining, quantizationError: quantizationError, topographicError: topographicError,
                  clusters: clusters, notes: notes, songs: songs, codebook: codebook, uMatrix: uMatrix)
    }
}
