/// A segmented track: its sections and the evidence for them.
public struct Segmentation: Sendable {
    /// The sections, in time order.
    public var sections: [Section]
    /// The time of each point of ``novelty``, in seconds.
    public var noveltyTimes: [Double]
    /// The novelty curve, in [0, 1]; as long as ``noveltyTimes``.
    public var novelty: [Double]
    /// Things the user should know (e.g. too short to split).
    public var notes: [String]
}
