/// One section of a track as the segment documents write it (`segment` JSON, `sections.json`).
///
/// The format's own type: the segmenters' `Section` is mapped into it
/// (`SegmentationDocument+Result.swift` in SongAtlas), so renaming a field of
/// an algorithm's result cannot change a file. Pinned by the segment golden files.
public struct SegmentSection: Codable, Sendable, Equatable {
    /// Start in seconds from the start of the analysed audio, ≥ 0.
    public var start: Double
    /// End in seconds, after ``start``.
    public var end: Double
    /// `A`, `B`, … : sections that sound alike share a label.
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
