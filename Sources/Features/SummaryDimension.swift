/// One dimension of the song summary, named by type rather than by string:
/// `.tempoBPM`, `.mean(.centroid)`, `.standardDeviation(.mfcc(2))`.
///
/// Read a value with ``SongSummary/subscript(_:)`` and find its position with
/// ``SummaryLayout/index(of:)``; ``name`` is the output column name.
public enum SummaryDimension: Hashable, Sendable {
    /// Mean over frames of a frame-feature column (`<column>_mean`).
    case mean(FrameFeatureColumn)
    /// Population standard deviation over frames of a frame-feature column (`<column>_std`).
    case standardDeviation(FrameFeatureColumn)
    /// Tempo in beats per minute (`tempo_bpm`).
    case tempoBPM
    /// Pulse clarity in [0, 1] (`pulse_clarity`).
    case pulseClarity
    /// Fraction of near-silent frames in [0, 1] (`silent_fraction`).
    case silentFraction

    /// The block the dimension lies in.
    public var block: SummaryBlock {
        switch self {
        case let .mean(column), let .standardDeviation(column): .frameStatistics(column.kind)
        case .tempoBPM: .tempoBPM
        case .pulseClarity: .pulseClarity
        case .silentFraction: .silentFraction
        }
    }

    /// Position within ``block``: for frame statistics `2 × position`
    /// (mean) or `2 × position + 1` (standard deviation); otherwise 0.
    public var offsetInBlock: Int {
        switch self {
        case let .mean(column): 2 * column.position
        case let .standardDeviation(column): 2 * column.position + 1
        case .tempoBPM, .pulseClarity, .silentFraction: 0
        }
    }

    /// The output column name, e.g. `centroid_mean`, `mfcc_2_std`, `tempo_bpm`.
    public var name: String {
        switch self {
        case let .mean(column): "\(column.name)_mean"
        case let .standardDeviation(column): "\(column.name)_std"
        case .tempoBPM: "tempo_bpm"
        case .pulseClarity: "pulse_clarity"
        case .silentFraction: "silent_fraction"
        }
    }
}
