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

    /// At least this fraction of near-silent frames leaves no pitch to measure: chroma is absent.
    public static let silentChromaFraction: Float = 0.99

    /// Features that are not defined on this track, each with the measure that decided it.
    ///
    /// - **Tempo** (`tempo_bpm`) when no beat is measurable (``TempoEstimate/absence(bpm:pulseClarity:)``:
    ///   pulse clarity below ``TempoEstimate/minimumPulseClarity``, as on speech, ambient pads or noise).
    /// - **Chroma** (every `chroma_*` mean and deviation) when at least ``silentChromaFraction`` of the
    ///   frames are near-silent (a silent track has no pitch classes).
    ///
    /// The vector itself still holds a finite number in each of these dimensions (the estimator's best
    /// candidate tempo, or 0 when it found none; the chroma averaged over the frames as always), so a feature matrix built from it never holds NaN and
    /// clustering sees the track next to others alike; only the renderings (`analyze` JSON and CSV) show
    /// them as absent. Derived from the vector's own pulse clarity and silent fraction, so a cached
    /// summary says the same. Empty for a summary of another version than the current one.
    public var absentFeatures: [AbsentFeature] {
        guard version == SummaryLayout.current.version, values.count == SummaryLayout.current.dimensionCount else { return [] }
        var absent: [AbsentFeature] = []
        if let reason = TempoEstimate.absence(bpm: Double(self[.tempoBPM]), pulseClarity: Double(self[.pulseClarity])) {
            absent.append(AbsentFeature(names: [SummaryDimension.tempoBPM.name], reason: reason))
        }
        let silent = self[.silentFraction]
        if silent >= Self.silentChromaFraction {
            let names = SummaryLayout.current.range(of: .frameStatistics(.chroma)).map { Self.names[$0] }
            absent.append(AbsentFeature(names: names, reason: String(
                format: "silent fraction %.3f is at least %.2f: no pitch to measure", silent, Self.silentChromaFraction)))
        }
        return absent
    }

    /// Dimensions the summary holds a number for that is not defined on the track (``absentFeatures``).
    public struct AbsentFeature: Sendable, Equatable {
        /// The output names of the dimensions (`tempo_bpm`; `chroma_C_mean`, …).
        public var names: [String]
        /// The measure that decided it, with its value and threshold.
        public var reason: String
    }
}
