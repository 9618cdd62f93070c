import Clustering
import Export

extension SegmentScoresDocument {
    /// The document of `agreement`: the one mapping from Clustering's scores to the file format.
    public init(_ agreement: SegmentAgreement) {
        func scores(_ value: PrecisionRecall) -> Scores {
            Scores(precision: value.precision, recall: value.recall, fMeasure: value.fMeasure)
        }
        self.init(hitRate05: scores(agreement.hitRate05), hitRate05Trimmed: scores(agreement.hitRate05Trimmed),
                  hitRate3: scores(agreement.hitRate3), hitRate3Trimmed: scores(agreement.hitRate3Trimmed),
                  pairwise: scores(agreement.pairwise), overSegmentation: agreement.overSegmentation,
                  underSegmentation: agreement.underSegmentation, entropyF: agreement.entropyF)
    }
}
