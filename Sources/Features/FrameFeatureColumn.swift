/// One column of a frame-feature row, named by its feature and its position
/// within that feature rather than by a string.
///
/// `FrameFeatureColumn.centroid`, `.mfcc(2)` (the column `mfcc_2`),
/// `.chroma(9)` (`chroma_A`), `.contrast(1)` (`contrast_1`).
public struct FrameFeatureColumn: Hashable, Sendable {
    /// The feature the column belongs to.
    public let kind: FrameFeatureKind
    /// Position within the feature, in `0..<kind.width`.
    public let position: Int

    /// The column at `position` of `kind`.
    ///
    /// - Parameters:
    ///   - kind: the feature.
    ///   - position: 0-based position within the feature, in `0..<kind.width`; default 0.
    /// - Precondition: `position` is in range (a programmer error otherwise).
    public init(_ kind: FrameFeatureKind, position: Int = 0) {
        precondition((0..<kind.width).contains(position),
                     "position=\(position) is outside 0..<\(kind.width) for \(kind.rawValue)")
        self.kind = kind
        self.position = position
    }

    /// The MFCC column `mfcc_<number>`.
    ///
    /// - Parameter number: 1-based, as in the column name, in 1...20 (1 is the 0th cepstral coefficient).
    public static func mfcc(_ number: Int) -> FrameFeatureColumn { FrameFeatureColumn(.mfcc, position: number - 1) }
    /// The chroma column of pitch class `pitchClass` (0 = C … 11 = B).
    public static func chroma(_ pitchClass: Int) -> FrameFeatureColumn { FrameFeatureColumn(.chroma, position: pitchClass) }
    /// The spectral-contrast column `contrast_<band>`.
    ///
    /// - Parameter band: 1-based, as in the column name, in 1...7 (1 is below 200 Hz).
    public static func contrast(_ band: Int) -> FrameFeatureColumn { FrameFeatureColumn(.contrast, position: band - 1) }
    /// Spectral centroid (Hz).
    public static let centroid = FrameFeatureColumn(.centroid)
    /// Spectral bandwidth (Hz).
    public static let bandwidth = FrameFeatureColumn(.bandwidth)
    /// Spectral roll-off (Hz).
    public static let rolloff = FrameFeatureColumn(.rolloff)
    /// Spectral flatness.
    public static let flatness = FrameFeatureColumn(.flatness)
    /// Zero-crossing rate.
    public static let zeroCrossingRate = FrameFeatureColumn(.zeroCrossingRate)
    /// RMS level.
    public static let rms = FrameFeatureColumn(.rms)
    /// Onset strength.
    public static let onset = FrameFeatureColumn(.onset)

    /// Every column, in row order.
    public static let all: [FrameFeatureColumn] = FrameFeatureKind.allCases.flatMap { kind in
        (0..<kind.width).map { FrameFeatureColumn(kind, position: $0) }
    }

    /// Index of the column in a frame row (``FrameFeatureNames/all`` order).
    public var index: Int { FrameFeatureNames.columns(of: kind).lowerBound + position }
    /// The column's output name, e.g. `mfcc_2`, `chroma_A`, `zcr`.
    public var name: String { kind.columnNames[position] }
}
