import AudioDecoding
import Clustering
import Export
import Features
import Foundation
import Library
import Synchronization

/// The public face of SongAtlas: one call per job.
///
/// Everything the `songatlas` command line does goes through here, so other
/// Swift code can do the same work without the CLI.
public enum Atlas {
    /// Analyses one file: tags, duration, the named song summary vector and, with a model, its embedding.
    ///
    /// - Parameters:
    ///   - excerptSeconds: analyse only this many seconds from the middle.
    ///   - timeLimitSeconds: give up on a file after this many seconds of work.
    ///   - embedding: the network to run as well (``prepareEmbedding(_:)``); nil for none.
    /// - Throws: ``DecodingError`` for files that cannot be analysed.
    public static func analyze(path: String, excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil,
                               embedding: EmbeddingSetup? = nil) throws -> TrackAnalysis {
        let features = try FeatureExtractor().summarize(
            path: path, decodeOptions: DecodeOptions(excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds),
            embedding: embedding?.makeExtractor())
        return TrackAnalysis(path: path, features: features)
    }

    /// Analyses files and folders (searched recursively) in parallel.
    ///
    /// One bad file never stops the batch: it gets an ``AnalysisFailure``.
    /// Holds every record until the end; for large folders use
    /// ``analyze(paths:excerptSeconds:timeLimitSeconds:jobs:progress:each:)``.
    ///
    /// - Parameters:
    ///   - paths: files and folders.
    ///   - excerptSeconds: analyse only this many seconds from the middle of each track.
    ///   - timeLimitSeconds: give up on a file after this many seconds of work
    ///     (it gets a ``DecodingError/timedOut(path:limitSeconds:decodedSeconds:)`` failure).
    ///   - embedding: the network to run on each file as well (``prepareEmbedding(_:)``); nil for none.
    ///   - jobs: worker threads; defaults to the number of cores.
    ///   - progress: called after each file.
    ///   - cancellation: stops after the files in flight; the files not reached get no record. Default never.
    public static func analyze(
        paths: [String], excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil,
        embedding: EmbeddingSetup? = nil, jobs: Int? = nil,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never
    ) -> AnalysisReport {
        let collected = RecordCollector()
        analyze(paths: paths, excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds, embedding: embedding,
                jobs: jobs, progress: progress, cancellation: cancellation) { collected.add($0) }
        return collected.report
    }

    /// One file's outcome in a streamed analysis: the one record type the cache stores too
    /// (``CachedOutcome``), ``CachedOutcome/analyzed(_:)`` or ``CachedOutcome/failed(_:)``.
    public typealias Record = CachedOutcome

    /// Analyses files and folders in parallel and hands over each record as soon as it is ready.
    ///
    /// Records arrive in scan order (files and folders that could not be read
    /// first), one call at a time, from worker threads; nothing is kept, so
    /// memory stays flat however many files there are. Once `cancellation` is
    /// cancelled the files not reached get no record.
    ///
    /// - Parameters: as ``analyze(paths:excerptSeconds:timeLimitSeconds:embedding:jobs:progress:cancellation:)``, and
    ///   - readCueSheets: split files that cue sheets describe into their tracks (``CueSongScan``); default true.
    ///   - sheetProblem: called, before any record, with each cue sheet that cannot be used (its files are taken whole).
    ///   - shard: analyse only this shard's files (``ShardSelection``), telling `sharded` how many it kept; default all.
    ///   - each: called with every record.
    /// - Returns: the files in the scanned folders that are not audio, counted by extension.
    @discardableResult
    public static func analyze(
        paths: [String], excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil,
        embedding: EmbeddingSetup? = nil, jobs: Int? = nil,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never,
        readCueSheets: Bool = true, sheetProblem: ((CueSheetError) -> Void)? = nil,
        shard: ShardSelection? = nil, sharded: ((ShardTally) -> Void)? = nil,
        each: @escaping @Sendable (Record) -> Void
    ) -> OtherFiles {
        let songScan = CueSongScan.scan(paths, readCueSheets: readCueSheets)
        let selection = shard?.select(songScan.songs, roots: paths)
        if let selection { sharded?(selection.tally) }
        let (scan, songs) = (songScan.scan, selection?.songs ?? songScan.songs)
        for problem in songScan.sheetProblems { sheetProblem?(problem) }
        for problem in scan.problems { each(.failed(AnalysisFailure(path: problem.path, error: problem.reason))) }
        BatchAnalyzer.analyzeInOrder(
            songs: songs, decodeOptions: DecodeOptions(excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds),
            embedding: embedding, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, progress: progress,
            cancellation: cancellation
        ) { index, result in
            switch result {
            case let .success(features): each(.analyzed(TrackAnalysis(song: songs[index], features: features)))
            case let .failure(error): each(.failed(AnalysisFailure(path: songs[index].path, error: error)))
            }
        }
        return scan.otherFiles
    }

    /// Analyses a music library through the feature cache: only new or changed
    /// files are decoded, and only missing embeddings computed; see ``LibraryAnalyzer``.
    ///
    /// - Parameters:
    ///   - cancellation: stops after the files in flight (they are kept in the cache);
    ///     ``LibraryAnalysis/interrupted`` says so. Default never.
    ///   - origin: ``RecordOrigin/library`` (the default) for a library scan, ``RecordOrigin/seed`` for songs
    ///     named only as seeds, which are then never recommended from the cache (``cachedTracks(_:)``).
    ///   - readCueSheets: split files that cue sheets describe into their tracks (``CueSongScan``); default true.
    ///   - shard: analyse only this shard's files (``ShardSelection``); default all.
    public static func analyzeLibrary(
        paths: [String], cache: FeatureCache?, excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil,
        embedding: EmbeddingSetup? = nil, jobs: Int? = nil, progress: (@Sendable (BatchProgress) -> Void)? = nil,
        cancellation: Cancellation = .never, origin: RecordOrigin = .library, readCueSheets: Bool = true,
        shard: ShardSelection? = nil
    ) -> LibraryAnalysis {
        LibraryAnalyzer.analyze(paths: paths, cache: cache, excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds,
                                embedding: embedding, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, progress: progress,
                                cancellation: cancellation, origin: origin, readCueSheets: readCueSheets, shard: shard)
    }

    /// Frame-level features of one file, matching librosa's frame-level calls.
    public static func frameFeatures(path: String, excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil)
        throws -> (info: AudioFileInfo, features: FrameFeatureMatrix)
    {
        try FeatureExtractor().frameFeatures(
            path: path, decodeOptions: DecodeOptions(excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds))
    }
}

/// Collects streamed records into one report.
private final class RecordCollector: Sendable {
    private let collected = Mutex(AnalysisReport(tracks: [], failures: []))

    func add(_ record: Atlas.Record) {
        collected.withLock { collected in
            switch record {
            case let .analyzed(track): collected.tracks.append(track)
            case let .failed(failure): collected.failures.append(failure)
            }
        }
    }

    var report: AnalysisReport { collected.withLock { $0 } }
}
