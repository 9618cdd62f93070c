/// What `evaluate segments --json` writes: how an estimated segmentation agrees
/// with a reference one, each score as mir_eval 0.8 computes it.
///
/// The file format's own type: filled from Clustering's `SegmentAgreement` by one
/// mapping (`SongAtlas/SegmentScoresDocument+Agreement.swift`), so renaming a field
/// of the algorithm cannot change the file. Keys are pinned by
/// `DocumentSchemaGoldenTests`.
public struct SegmentScoresDocument: Codable, Sendable, Equatable {
    /// Precision, recall and F-measure (β = 1).
    public struct Scores: Codable, Sendable, Equatable {
        public var precision: Double
        public var recall: Double
        public var fMeasure: Double

        public init(precision: Double, recall: Double, fMeasure: Double) {
            self.precision = precision
            self.recall = recall
            self.fMeasure = fMeasure
        }
    }

    /// Boundary hit rate at ±0.5 s, with and without the first and last boundary.
    public var hitRate05: Scores
    public var hitRate05Trimmed: Scores
    /// Boundary hit rate at ±3 s, with and without the first and last boundary.
    public var hitRate3: Scores
    public var hitRate3Trimmed: Scores
    /// Pairwise frame-clustering scores (10 Hz frames): how well the labels agree.
    public var pairwise: Scores
    /// Normalised conditional entropies: over-segmentation, under-segmentation and their F.
    public var overSegmentation: Double
    public var underSegmentation: Double
    public var entropyF: Double

    public init(hitRate05: Scores, hitRate05Trimmed: Scores, hitRate3: Scores, hitRate3Trimmed: Scores,
                pairwise: Scores, overSegmentation: Double, underSegmentation: Double, entropyF: Double) {
        self.hitRate05 = hitRate05
        self.hitRate05Trimmed = hitRate05Trimmed
        self.hitRate3 = hitRate3
        self.hitRate3Trimmed = hitRate3Trimmed
        self.pairwise = pairwise
        self.overSegmentation = overSegmentation
        self.underSegmentation = underSegmentation
        self.entropyF = entropyF
    }
}
