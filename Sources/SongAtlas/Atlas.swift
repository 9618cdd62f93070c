@_exported import AudioDecoding
@_exported import Clustering
@_exported import Export
@_exported import Features
@_exported import Library
import Foundation

/// The public face of SongAtlas: one call per job.
///
/// Everything the `songatlas` command line does goes through here, so other
/// Swift code can do the same work without the CLI.
public enum Atlas {
    /// Analyses one file: tags, duration and the named song summary vector.
    ///
    /// - Parameters:
    ///   - excerptSeconds: analyse only this many seconds from the middle.
    ///   - timeLimitSeconds: give up on a file after this many seconds of work.
    /// - Throws: ``DecodingError`` for files that cannot be analysed.
    public static func analyze(path: String, excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil) throws -> TrackAnalysis {
        let features = try FeatureExtractor().summarize(
            path: path, decodeOptions: DecodeOptions(excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds))
        return TrackAnalysis(path: path, features: features)
    }

    /// Analyses files and folders (searched recursively) in parallel.
    ///
    /// One bad file never stops the batch: it gets an ``AnalysisFailure``.
    ///
    /// - Parameters:
    ///   - paths: files and folders.
    ///   - excerptSeconds: analyse only this many seconds from the middle of each track.
    ///   - timeLimitSeconds: give up on a file after this many seconds of work
    ///     (it gets a ``DecodingError/timedOut(path:limitSeconds:decodedSeconds:)`` failure).
    ///   - jobs: worker threads; defaults to the number of cores.
    ///   - progress: called after each file.
    public static func analyze(
        paths: [String], excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil, jobs: Int? = nil,
        progress: (@Sendable (BatchProgress) -> Void)? = nil
    ) -> AnalysisReport {
        let (files, problems) = AudioFileScanner.scan(paths)
        let results = BatchAnalyzer.analyze(
            files, decodeOptions: DecodeOptions(excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds),
            jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, progress: progress)
        var report = AnalysisReport(tracks: [], failures: problems.map { AnalysisFailure(path: $0.path, error: $0.reason) })
        for (path, result) in zip(files, results) {
            switch result {
            case let .success(features): report.tracks.append(TrackAnalysis(path: path, features: features))
            case let .failure(error): report.failures.append(AnalysisFailure(path: path, error: error))
            }
        }
        return report
    }

    /// Analyses a music library through the feature cache: only new or changed
    /// files are decoded; see ``LibraryAnalyzer``.
    public static func analyzeLibrary(
        paths: [String], cache: FeatureCache?, excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil,
        jobs: Int? = nil, progress: (@Sendable (BatchProgress) -> Void)? = nil
    ) -> LibraryAnalysis {
        LibraryAnalyzer.analyze(paths: paths, cache: cache, excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds,
                                jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, progress: progress)
    }

    /// Frame-level features of one file, matching librosa's frame-level calls.
    public static func frameFeatures(path: String, excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil)
        throws -> (info: AudioFileInfo, features: FrameFeatureMatrix)
    {
        try FeatureExtractor().frameFeatures(
            path: path, decodeOptions: DecodeOptions(excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds))
    }
}
