/// The per-track feature vector: what playlists and the song map compare.
///
/// The mean and (population) standard deviation over frames of every
/// frame feature (``FrameFeatureNames``), then the tempo, the pulse clarity
/// and the fraction of near-silent frames, laid out by
/// ``SummaryLayout/current``. Read dimensions by type (`summary[.tempoBPM]`,
/// `summary[.mean(.centroid)]`); ``SongSummary/names`` names them for output.
/// The layout is versioned: any change to a dimension or to how it is
/// computed bumps ``SongSummary/version``, so that cached and exported
/// vectors from another version are recognised as stale.
public struct SongSummary: Codable, Sendable, Equatable {
    /// Version of the layout and of the computation behind it (``SummaryLayout/current``'s).
    public static let version = SummaryLayout.current.version
    /// RMS below this (about -60 dBFS) marks a frame as near-silent.
    public static let silenceRMS: Float = 1e-3

    /// The output name of every dimension, in vector order (``SummaryLayout/names``).
    public static let names: [String] = SummaryLayout.current.names

    /// The feature version the values were computed with.
    public var version: Int
    /// One value per dimension, in ``SummaryLayout`` order.
    public var values: [Float]

    /// A summary of `values`, laid out as feature version `version`.
    ///
    /// - Parameters:
    ///   - version: the feature version; default ``SongSummary/version``.
    ///   - values: one per dimension of that version's layout.
    public init(version: Int = SongSummary.version, values: [Float]) {
        self.version = version
        self.values = values
    }

    /// The value of `dimension`: `summary[.tempoBPM]`, `summary[.standardDeviation(.rms)]`.
    ///
    /// - Parameter dimension: a dimension of ``SummaryLayout/current``.
    /// - Precondition: the summary is of the current ``version`` and has its
    ///   full length; vectors of another version are stale and never reach
    ///   analysis code (the cache recomputes them), so a mismatch is a programmer error.
    /// - Complexity: O(1).
    public subscript(dimension: SummaryDimension) -> Float {
        precondition(version == SummaryLayout.current.version,
                     "a version \(version) summary read with the version \(SummaryLayout.current.version) layout")
        return values[SummaryLayout.current.index(of: dimension)]
    }

    /// The value of the dimension called `name`; nil if there is none.
    ///
    /// For names that come from outside (a CSV header, a user's choice);
    /// code should use the typed ``subscript(_:)``.
    /// - Complexity: O(dimensions).
    public subscript(name: String) -> Float? {
        Self.names.firstIndex(of: name).map { values[$0] }
    }

    /// Pairs of name and value, in order.
    public var named: [(name: String, value: Float)] {
        zip(Self.names, values).map { (name: $0, value: $1) }
    }
}
