/// What the cache knows about one file: its analysis, or why it failed.
///
/// SongAtlas's one record of a file's outcome: the cache stores it, and a
/// streamed analysis hands it over as it comes (`Atlas.Record` is this type).
public enum CachedOutcome: Sendable, Equatable {
    /// The file was analysed.
    case analyzed(TrackAnalysis)
    /// The file could not be analysed; its ``AnalysisFailure/kind`` and message
    /// are stored (time-outs never are: ``LibraryAnalyzer`` does not store them).
    case failed(AnalysisFailure)
}
