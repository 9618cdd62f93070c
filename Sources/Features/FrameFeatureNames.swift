/// The names and column ranges of the per-frame features, in column order.
///
/// `mfcc_1 … mfcc_20, chroma_C … chroma_B, centroid, bandwidth, rolloff,
/// flatness, zcr, rms, onset, contrast_1 … contrast_7`: the columns of
/// ``FrameFeatureMatrix`` and of `songatlas features` CSV output. The order
/// is that of ``FrameFeatureKind/allCases``; select columns by kind with
/// ``columns(of:)`` or one by one with ``FrameFeatureColumn``.
public enum FrameFeatureNames {
    /// MFCCs per frame (librosa's `n_mfcc`).
    public static let mfccCount = 20
    /// Pitch-class names, C first, sharps for black keys.
    public static let pitchClasses = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    /// `mfcc_1 … mfcc_20`.
    public static let mfcc = FrameFeatureKind.mfcc.columnNames
    /// `chroma_C … chroma_B`.
    public static let chroma = FrameFeatureKind.chroma.columnNames
    /// The single-column features: `centroid, bandwidth, rolloff, flatness, zcr, rms, onset`.
    public static let spectral = FrameFeatureKind.allCases.filter { $0.width == 1 }.flatMap(\.columnNames)
    /// `contrast_1 … contrast_7`.
    public static let contrast = FrameFeatureKind.contrast.columnNames
    /// Every column name, in row order.
    public static let all = FrameFeatureKind.allCases.flatMap(\.columnNames)

    /// The range of row columns each kind occupies, computed once.
    private static let ranges: [FrameFeatureKind: Range<Int>] = {
        var ranges: [FrameFeatureKind: Range<Int>] = [:]
        var start = 0
        for kind in FrameFeatureKind.allCases {
            ranges[kind] = start..<(start + kind.width)
            start += kind.width
        }
        return ranges
    }()

    /// The columns of a frame row that `kind` occupies.
    ///
    /// - Parameter kind: the feature, e.g. `.mfcc` (columns 0..<20).
    /// - Returns: a range of `kind.width` column indices.
    /// - Complexity: O(1).
    public static func columns(of kind: FrameFeatureKind) -> Range<Int> { ranges[kind]! }

    // Column indices, kept for the hot per-frame writes and existing callers;
    // each is the start of ``columns(of:)`` for its kind.

    /// First MFCC column (0).
    public static let mfccOffset = columns(of: .mfcc).lowerBound
    /// First chroma column (`chroma_C`).
    public static let chromaOffset = columns(of: .chroma).lowerBound
    /// The spectral-centroid column.
    public static let centroid = columns(of: .centroid).lowerBound
    /// The spectral-bandwidth column.
    public static let bandwidth = columns(of: .bandwidth).lowerBound
    /// The spectral roll-off column.
    public static let rolloff = columns(of: .rolloff).lowerBound
    /// The spectral-flatness column.
    public static let flatness = columns(of: .flatness).lowerBound
    /// The zero-crossing-rate column.
    public static let zcr = columns(of: .zeroCrossingRate).lowerBound
    /// The RMS column.
    public static let rms = columns(of: .rms).lowerBound
    /// The onset-strength column.
    public static let onset = columns(of: .onset).lowerBound
    /// First spectral-contrast column (`contrast_1`).
    public static let contrastOffset = columns(of: .contrast).lowerBound
    /// Columns per frame row (46).
    public static let count = all.count
}
