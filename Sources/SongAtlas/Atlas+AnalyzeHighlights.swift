import AudioDecoding
import Clustering
import Export
import Features
import Foundation
import Library

extension Atlas {
    /// Analyses files and folders in parallel as ``analyze(paths:excerptSeconds:timeLimitSeconds:embedding:jobs:progress:cancellation:each:)``
    /// does, and chooses each track's highlight in the same pass (`analyze --highlight`).
    ///
    /// The frame columns the segmenter compares are kept from the analysis's own decode
    /// (``FeatureExtractor/summarize(path:decodeOptions:embedding:keepingColumns:)``), and each track is
    /// segmented on the worker that analysed it: no second decode, and highlights run in parallel.
    /// The highlight equals `segment --highlight` of the same file with the same excerpt (its times are
    /// from the start of the analysed audio: the excerpt's start with `excerptSeconds`).
    ///
    /// Songs are found as every scanning command finds them (``CueSongScan/scan(_:readCueSheets:)``): a file
    /// a cue sheet describes is analysed track by track, each over its own range, so a track's highlight counts
    /// from the track's start.
    ///
    /// - Parameters: as ``analyze(paths:excerptSeconds:timeLimitSeconds:embedding:jobs:progress:cancellation:readCueSheets:sheetProblem:shard:sharded:each:)``, and
    ///   - highlightSeconds: the highlight's length, > 0.
    ///   - segmenter: how tracks are segmented for it; default ``TrackSegmenter``'s defaults (as `segment`).
    ///   - shard: analyse only this shard's files (``ShardSelection``), telling `sharded` how many it kept; default all.
    ///   - each: called with every record, and the track's highlight (nil for a failure).
    /// - Returns: the files in the scanned folders that are not audio, counted by extension.
    @discardableResult
    public static func analyze(
        paths: [String], excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil,
        embedding: EmbeddingSetup? = nil, jobs: Int? = nil, highlightSeconds: Double,
        segmenter: TrackSegmenter = TrackSegmenter(),
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never,
        readCueSheets: Bool = true, sheetProblem: ((CueSheetError) -> Void)? = nil,
        shard: ShardSelection? = nil, sharded: ((ShardTally) -> Void)? = nil,
        each: @escaping @Sendable (Record, SegmentHighlight?) -> Void
    ) -> OtherFiles {
        let songScan = CueSongScan.scan(paths, readCueSheets: readCueSheets)
        let selection = shard?.select(songScan.songs, roots: paths)
        if let selection { sharded?(selection.tally) }
        let (scan, songs) = (songScan.scan, selection?.songs ?? songScan.songs)
        for problem in songScan.sheetProblems { sheetProblem?(problem) }
        for problem in scan.problems { each(.failed(AnalysisFailure(path: problem.path, error: problem.reason)), nil) }
        BatchAnalyzer.analyzeInOrder(
            songs: songs, decodeOptions: DecodeOptions(excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds),
            embedding: embedding, keepingColumns: TrackSegmenter.comparedColumns,
            jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, progress: progress, cancellation: cancellation,
            derive: { _, features, columns in
                let duration = TrackSegmenter.analysedDuration(info: features.info, excerptSeconds: excerptSeconds,
                                                               streamed: columns)
                let highlight = segmenter.highlight(streamed: columns, durationSeconds: duration, seconds: highlightSeconds)
                return SegmentHighlight(highlight, durationSeconds: duration)
            }
        ) { index, result in
            switch result {
            case let .success((features, highlight)):
                each(.analyzed(TrackAnalysis(song: songs[index], features: features)), highlight)
            case let .failure(error):
                each(.failed(AnalysisFailure(path: songs[index].path, error: error)), nil)
            }
        }
        return scan.otherFiles
    }
}
