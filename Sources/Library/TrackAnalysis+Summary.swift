import Features

extension TrackAnalysis {
    /// The value of one summary dimension, read by type: `track[.tempoBPM]`.
    ///
    /// Reads the stored ``features`` at the dimension's index in
    /// ``SummaryLayout/current`` without building a ``SongSummary``.
    /// - Parameter dimension: a dimension of the current layout.
    /// - Precondition: the track was analysed with the current feature
    ///   version (the cache recomputes older ones), and has every dimension.
    /// - Complexity: O(1).
    public subscript(dimension: SummaryDimension) -> Float {
        precondition(featureVersion == SummaryLayout.current.version,
                     "a version \(featureVersion) analysis read with the version \(SummaryLayout.current.version) layout")
        return features[SummaryLayout.current.index(of: dimension)].value
    }
}
