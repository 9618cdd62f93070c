/// One contiguous block of song-summary dimensions.
///
/// A ``SummaryLayout`` is a list of blocks; a block knows its width, its
/// output names and its weighting group, so the layout never needs a list of
/// per-dimension strings. A block of many dimensions is one value: a learned
/// embedding of 200 dimensions would be one more case (say
/// `.embedding(width: 200)`, named `emb_1 … emb_200`) appended to a new
/// layout version, not 200 new names.
public enum SummaryBlock: Hashable, Sendable {
    /// The mean and population standard deviation over frames of every
    /// column of one frame feature, interleaved per column:
    /// `<column>_mean, <column>_std, …` (2 × `kind.width` dimensions).
    case frameStatistics(FrameFeatureKind)
    /// The estimated tempo in beats per minute (``TempoEstimate/bpm``); 0 when none was found.
    case tempoBPM
    /// How clearly the onset envelope pulses at that tempo, in [0, 1] (``TempoEstimate/pulseClarity``).
    case pulseClarity
    /// The fraction of frames whose RMS is below ``SongSummary/silenceRMS``, in [0, 1].
    case silentFraction

    /// Dimensions in the block.
    public var width: Int {
        switch self {
        case let .frameStatistics(kind): 2 * kind.width
        case .tempoBPM, .pulseClarity, .silentFraction: 1
        }
    }

    /// The weighting group every dimension of the block belongs to.
    public var group: FeatureGroup {
        switch self {
        case let .frameStatistics(kind): kind.group
        case .tempoBPM, .pulseClarity: .rhythm
        case .silentFraction: .loudness
        }
    }

    /// The block's dimensions, in order.
    public var dimensions: [SummaryDimension] {
        switch self {
        case let .frameStatistics(kind):
            (0..<kind.width).flatMap { position -> [SummaryDimension] in
                let column = FrameFeatureColumn(kind, position: position)
                return [.mean(column), .standardDeviation(column)]
            }
        case .tempoBPM: [.tempoBPM]
        case .pulseClarity: [.pulseClarity]
        case .silentFraction: [.silentFraction]
        }
    }
}
