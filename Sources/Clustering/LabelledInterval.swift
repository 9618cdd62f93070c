/// A labelled interval of a reference or estimated segmentation.
///
/// The input of ``SegmentAgreement``: one row of mir_eval's `intervals` array and its label.
public struct LabelledInterval: Sendable, Equatable {
    /// Start in seconds.
    public var start: Double
    /// End in seconds, ≥ ``start``.
    public var end: Double
    /// The section label; equal labels mean the same kind of section.
    public var label: String

    /// An interval from its fields.
    ///
    /// - Parameters:
    ///   - start: seconds.
    ///   - end: seconds, ≥ `start`.
    ///   - label: any string.
    public init(start: Double, end: Double, label: String) {
        self.start = start
        self.end = end
        self.label = label
    }
}
