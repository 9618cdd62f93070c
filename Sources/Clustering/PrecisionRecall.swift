/// Precision, recall and F-measure (β = 1), as mir_eval's `util.f_measure`.
public struct PrecisionRecall: Sendable, Equatable, Codable {
    /// Fraction of the estimate that matches the reference, in [0, 1].
    public var precision: Double
    /// Fraction of the reference that the estimate matches, in [0, 1].
    public var recall: Double
    /// Harmonic mean of precision and recall, in [0, 1]; 0 when both are 0.
    public var fMeasure: Double

    /// The scores from precision and recall; the F-measure is derived.
    init(precision: Double, recall: Double) {
        self.precision = precision
        self.recall = recall
        fMeasure = precision == 0 && recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }
}
