/// How ``StructureSegmenter`` decides how many cuts a track has, when the
/// number of sections is not given.
///
/// Every rule starts from the same candidates, the local maxima of the
/// novelty curve at least a minimum section apart (the highest kept first),
/// and differs in which of them it keeps.
public enum CutSelection: Sendable, Equatable {
    /// Every candidate whose novelty is at least `fraction` (0–1) of the
    /// track's highest: one global threshold, the rule before issue 16. One
    /// strong change hides the others, and a track without one is cut at its
    /// small ripples.
    case fractionOfHighestPeak(Double)
    /// Every candidate whose novelty stands `deviations` standard deviations
    /// above the curve's own mean (a threshold from the curve's statistics).
    case aboveCurveMean(deviations: Double)
    /// The subset of candidates with the lowest penalised kernel cost
    /// (kernel change-point detection, Arlot, Celisse & Harchaoui 2019, with
    /// the cosine kernel on z-scored blocks): the sum over sections of the
    /// blocks' scatter around their section's mean direction, plus `penalty`
    /// per cut. The penalty is in seconds of the track's own mean scatter (a
    /// cut must explain at least as much scatter as `penalty` seconds of the
    /// track hold on average), so the rule does not depend on the block size,
    /// the track's length or how varied the track is overall; found exactly by
    /// dynamic programming over the candidates.
    ///
    /// The penalty grows with the track's length as `(length / 240 s)^lengthExponent`:
    /// a short track is cut at smaller changes than a long one (kernel
    /// change-point penalties grow with the number of points, Arlot et al.).
    case penalisedCost(penalty: Double, lengthExponent: Double)

    /// The rule `segment` uses: chosen on the development collages
    /// (scripts/make-segment-dev-audio), checked on the older collages.
    public static let `default` = CutSelection.penalisedCost(penalty: 5, lengthExponent: 0.5)

    /// The length the penalty is stated for.
    public static let penaltyReferenceSeconds = 240.0
}
