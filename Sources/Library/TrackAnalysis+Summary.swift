import Features

extension TrackAnalysis {
    /// The value of one summary dimension, read by type: `track[.tempoBPM]`.
    ///
    /// Reads ``summary`` through ``SongSummary``'s typed subscript,
    /// at the dimension's index in ``SummaryLayout/current``.
    /// - Parameter dimension: a dimension of the current layout.
    /// - Precondition: the track was analysed with the current feature
    ///   version (the cache recomputes older ones), and has every dimension.
    /// - Complexity: O(1).
    public subscript(dimension: SummaryDimension) -> Float {
        summary[dimension]
    }
}
