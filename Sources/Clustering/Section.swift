/// One section of a track, as the segmenters report it.
public struct Section: Codable, Sendable, Equatable {
    /// Start in seconds from the start of the track, ≥ 0.
    public var start: Double
    /// End in seconds, after ``start``.
    public var end: Double
    /// `A`, `B`, … : sections that sound alike share a label, in order of first appearance.
    public var label: String
    /// How clear the cut at the section's start is, in [0, 1] (1 for the first section).
    public var confidence: Double

    /// A section from its fields.
    ///
    /// - Parameters:
    ///   - start: seconds, ≥ 0.
    ///   - end: seconds, after `start`.
    ///   - label: `A`, `B`, …
    ///   - confidence: in [0, 1].
    public init(start: Double, end: Double, label: String, confidence: Double) {
        self.start = start
        self.end = end
        self.label = label
        self.confidence = confidence
    }
}
