import AudioDecoding
import Features
import FilePaths
import Foundation
import Synchronization

/// Everything known about a music library after a cache-aware analysis: the
/// ``AnalysisReport`` (what `analyze` writes: the tracks and the failures) and
/// how the run got it (analysed, cached, removed, notes).
public struct LibraryAnalysis: Sendable {
    /// The tracks and the failures, as `analyze` writes them.
    public var report: AnalysisReport
    /// Analysed tracks, in scan order.
    public var tracks: [TrackAnalysis] {
        get { report.tracks }
        set { report.tracks = newValue }
    }
    /// Files that could not be analysed, and folders that could not be read.
    public var failures: [AnalysisFailure] {
        get { report.failures }
        set { report.failures = newValue }
    }
    /// Files analysed in this run.
    public var analyzedCount: Int
    /// Files whose result came from the cache (analysed or failed before, unchanged since).
    public var cachedCount: Int
    /// Cached tracks that had only the embedding computed (for a model or patch budget new to them).
    public var embeddedCount = 0
    /// Cache entries dropped because their files are gone.
    public var removedCount: Int
    /// Problems with the cache itself (rebuilt, read-only, busy, or a write that failed); the run went on.
    public var cacheNotes: [String]
    /// True when the run was interrupted before every file was analysed.
    public var interrupted = false
    /// Files in the scanned folders that are not audio, counted by extension.
    public var otherFiles = OtherFiles()
    /// Notes about files analysed in this run, each naming its file: a header whose length
    /// disagrees with the decoded one (``TrackAnalysis/durationNote``).
    public var notes: [String] = []
    /// Cue sheets that could not be used, one error each naming the sheet and the fault
    /// (``CueSongScan``); their files were taken as whole songs.
    public var sheetProblems: [CueSheetError] = []
    /// With a shard (``ShardSelection``), how many of the files found it kept; nil without one.
    public var shardTally: ShardTally?
}

/// Analyses a music library through the ``FeatureCache``: only new or
/// changed files are decoded, each result is committed as soon as it is
/// ready, and entries for files that are gone from a scanned folder are dropped.
/// A read-only cache (``FeatureCache/Mode/readOnly``) gives its entries and
/// stores nothing; new results are still analysed and returned.
///
/// With an ``EmbeddingSetup``, every track also gets that model's embedding:
/// new files get both in one decode; cached tracks that have their summary
/// but not this model's current embedding (another model, version or patch
/// budget) get only the embedding computed, and the cache keeps every
/// model's. A cached track whose embedding cannot be computed is reported as
/// a failure of this run and its cache entry is left as it was.
public enum LibraryAnalyzer {
    /// Analyses `paths` (files and folders) through `cache`.
    ///
    /// - Parameters:
    ///   - paths: files and folders (searched recursively).
    ///   - cache: the feature cache, or nil to analyse everything.
    ///   - excerptSeconds: analyse only this many seconds from the middle of each track.
    ///   - timeLimitSeconds: give up on a file after this many seconds of work.
    ///   - embedding: the network to run as well, or nil for the hand-crafted summary only.
    ///   - jobs: worker threads.
    ///   - progress: called after each file.
    ///   - cancellation: stops the analysis after the files in flight (they are kept in the cache); default never.
    ///   - origin: how the files are being analysed (``RecordOrigin``): a library scan (the default) stores
    ///     library records, marks the seed records it reaches as library records, and drops the entries of
    ///     files gone from its folders; ``RecordOrigin/seed`` stores seed records, which a later library
    ///     scan never counts as dropped while their files are there (nor at all once they are gone).
    ///   - readCueSheets: split the files cue sheets describe into their tracks (``CueSongScan``); default
    ///     true; false (`--ignore-cue`) takes every file whole. The cache keys a cue track by its file and
    ///     track number and keeps its range: a changed sheet re-analyses only the tracks whose ranges changed.
    ///   - shard: analyse only this shard's files (``ShardSelection``); only their entries count as gone. Default all.
    public static func analyze(
        paths: [String], cache: FeatureCache?, excerptSeconds: Double? = nil, timeLimitSeconds: Double? = nil,
        embedding: EmbeddingSetup? = nil, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never,
        origin: RecordOrigin = .library, readCueSheets: Bool = true, shard: ShardSelection? = nil
    ) -> LibraryAnalysis {
        let songScan = CueSongScan.scan(paths, readCueSheets: readCueSheets)
        let scan = songScan.scan
        let sharded = shard?.select(songScan.songs, roots: paths)
        let songs = sharded?.songs ?? songScan.songs
        var notes: [String] = []
        var entries: [String: (key: CacheKey, outcome: CachedOutcome)] = [:]
        var cueEntries: [CueTrackSlot: (key: CacheKey, outcome: CachedOutcome)] = [:]
        var seedPaths: Set<String> = []
        if let cache {
            do {
                // One pass over the cache: a large cache's records are read once.
                let contents = try cache.loadContents(cueTracks: songs.contains { $0.cueTrack != nil })
                entries = contents.wholeFiles
                cueEntries = contents.cueTracks
                seedPaths = contents.seedPaths
            } catch { notes.append("\(error)") }
        }

        var outcomes = [CachedOutcome?](repeating: nil, count: songs.count)
        var keys = [CacheKey?](repeating: nil, count: songs.count)
        var misses: [Int] = []
        for (index, song) in songs.enumerated() {
            keys[index] = CacheKey.current(song: song, excerptSeconds: excerptSeconds)
            let entry = keys[index].flatMap { key in
                key.cueTrack == 0 ? entries[key.path] : cueEntries[CueTrackSlot(path: key.path, track: key.cueTrack)]
            }
            if let key = keys[index], let entry, entry.key == key {
                outcomes[index] = entry.outcome
            } else {
                misses.append(index)
            }
        }
        if let cache, origin == .library {
            // Seed records this scan reached are part of the library from now on.
            let reached = keys.compactMap { $0?.path }.filter { seedPaths.contains($0) }
            do { try cache.markLibrary(reached) } catch { notes.append("\(error)") }
        }

        let writeErrors = NoteList()
        let decodeOptions = DecodeOptions(excerptSeconds: excerptSeconds, timeLimitSeconds: timeLimitSeconds)
        var embeddingInterrupted = false
        var embeddedCount = 0
        if let embedding {
            (embeddedCount, embeddingInterrupted) = completeEmbeddings(
                &outcomes, keys: keys, songs: songs, embedding: embedding, cache: cache,
                decodeOptions: decodeOptions, jobs: jobs, writeErrors: writeErrors, progress: progress,
                cancellation: cancellation, origin: origin)
        }
        let missSongs = misses.map { songs[$0] }
        let missKeys = misses.map { keys[$0] }
        let results = BatchAnalyzer.analyze(
            songs: missSongs, decodeOptions: decodeOptions, embedding: embedding, jobs: jobs,
            onResult: { index, result in
                guard let cache, let key = missKeys[index] else { return }
                // Not cached: files the run did not reach, and files that ran out of
                // time (a later run, perhaps with a longer limit, tries again).
                if case let .failure(error) = result, error is NotAnalysedError || Self.isTimeout(error) { return }
                // A cue track's failure is its file's (or its sheet's) and is found again next run: not stored.
                if case .failure = result, key.cueTrack != 0 { return }
                do {
                    try cache.store(outcome(song: missSongs[index], result), for: key, origin: origin)
                } catch {
                    writeErrors.append("\(error)")
                }
            },
            progress: progress, cancellation: cancellation)
        var interrupted = embeddingInterrupted
        var trackNotes: [String] = []
        for (slot, index) in misses.enumerated() {
            if case let .failure(error) = results[slot], error is NotAnalysedError { interrupted = true }
            outcomes[index] = outcome(song: songs[index], results[slot])
            if case let .analyzed(track)? = outcomes[index], let note = track.durationNote {
                trackNotes.append("\(RawPath.display(songs[index].path)): \(note); its length is taken as decoded")
            }
        }

        // Drop entries for files gone from the folders just scanned. A seed record is no part of
        // the library: kept while its file is there (a seed given outside the scan, such as a
        // text file), dropped without a word once it is gone.
        var removed = 0
        if let cache, !scan.scannedFolders.isEmpty, !interrupted {
            // A file a sheet splits keeps its whole-file record (for a run with --ignore-cue).
            let present = Set(keys.compactMap { $0?.path } + songs.filter { $0.cueTrack != nil }.map { PathKey.of($0.path) })
            let stored = Set(entries.keys).union(cueEntries.keys.map(\.path))
            let gone = stored.sorted().filter { path in
                !present.contains(path) && scan.scannedFolders.contains { path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
                    && shard?.contains(path, roots: paths) != false   // another shard's file is not gone
            }
            let goneSeeds = gone.filter { seedPaths.contains($0) }
            let goneLibrary = gone.filter { !seedPaths.contains($0) }
            do {
                removed = try cache.remove(goneLibrary)
                try cache.remove(goneSeeds.filter { !FileManager.default.fileExists(atPath: $0) })
            } catch { notes.append("\(error)") }
        }

        // Drop the tracks a sheet no longer has, for the files its whole sheet split this run.
        if let cache, !interrupted, !songScan.splitFiles.isEmpty {
            let current = Set(songs.compactMap { song in
                song.cueTrack.map { CueTrackSlot(path: PathKey.of(song.path), track: $0.trackNumber) }
            })
            let stale = cueEntries.keys.filter { slot in
                songScan.splitFiles.contains(slot.path) && !current.contains(slot)
                    && shard?.contains(slot.path, roots: paths) != false   // another shard's tracks are not stale
            }
                .sorted { ($0.path, $0.track) < ($1.path, $1.track) }
            do { removed += try cache.removeCueTracks(stale) } catch { notes.append("\(error)") }
        }

        var analysis = LibraryAnalysis(
            report: AnalysisReport(tracks: [], failures: scan.problems.map { AnalysisFailure(path: $0.path, error: $0.reason) }),
            analyzedCount: results.count { if case let .failure(error) = $0 { !(error is NotAnalysedError) } else { true } }, cachedCount: songs.count - misses.count, removedCount: removed,
            cacheNotes: (cache?.notes ?? []) + notes + writeErrors.all, interrupted: interrupted,
            otherFiles: scan.otherFiles)
        analysis.embeddedCount = embeddedCount
        analysis.notes = trackNotes
        analysis.sheetProblems = songScan.sheetProblems
        analysis.shardTally = sharded?.tally
        for (index, song) in songs.enumerated() {
            switch outcomes[index]! {
            case var .analyzed(track):
                track.path = song.path      // as the user spelled it this time
                analysis.report.tracks.append(track)    // in place: through `tracks` each append copied the array
            case var .failed(failure):
                failure.path = song.path    // as the user spelled it this time
                analysis.report.failures.append(failure)
            }
        }
        return analysis
    }

    /// Computes the parts of `embedding`'s model that the cached tracks in
    /// `outcomes` lack (only those: a fused model after a run of one of its
    /// parts runs only the other network), and stores each completed track
    /// back in the cache.
    ///
    /// - Returns: how many tracks got it, and whether the run was interrupted before every track had it.
    private static func completeEmbeddings(
        _ outcomes: inout [CachedOutcome?], keys: [CacheKey?], songs: [ScannedSong], embedding: EmbeddingSetup,
        cache: FeatureCache?, decodeOptions: DecodeOptions, jobs: Int, writeErrors: NoteList,
        progress: (@Sendable (BatchProgress) -> Void)?, cancellation: Cancellation, origin: RecordOrigin
    ) -> (embedded: Int, interrupted: Bool) {
        // Tracks grouped by the parts they lack, groups in order of first appearance.
        var groups: [(missing: [EmbeddingNetworkIdentity], indices: [Int])] = []
        for (index, outcome) in outcomes.enumerated() {
            guard case let .analyzed(track)? = outcome else { continue }
            let missing = track.missingParts(of: embedding.model, patchBudget: embedding.patchBudget)
            guard !missing.isEmpty else { continue }
            if let group = groups.firstIndex(where: { $0.missing == missing }) {
                groups[group].indices.append(index)
            } else {
                groups.append((missing, [index]))
            }
        }
        var interrupted = false
        var embedded = 0
        for group in groups where !interrupted {
            // A setup always holds its model's parts (Atlas.prepareEmbedding loads them all).
            guard let setup = embedding.running(only: group.missing) else { continue }
            let lacking = group.indices
            var cachedTracks: [TrackAnalysis] = []
            for index in lacking { if case let .analyzed(track)? = outcomes[index] { cachedTracks.append(track) } }
            let lackingKeys = lacking.map { keys[$0] }
            let completed = cachedTracks
            let results = BatchAnalyzer.embedParts(
                songs: lacking.map { songs[$0] }, decodeOptions: decodeOptions,
                embedding: setup, jobs: jobs,
                onResult: { slot, result in
                    guard let cache, let key = lackingKeys[slot], case let .success(values) = result else { return }
                    var track = completed[slot]
                    for value in values { track.setEmbedding(value) }
                    do { try cache.store(.analyzed(track), for: key, origin: origin) } catch { writeErrors.append("\(error)") }
                },
                progress: progress, cancellation: cancellation)
            for (slot, index) in lacking.enumerated() {
                switch results[slot] {
                case let .success(values):
                    embedded += 1
                    var track = cachedTracks[slot]
                    for value in values { track.setEmbedding(value) }
                    outcomes[index] = .analyzed(track)
                case let .failure(error) where !(error is NotAnalysedError):
                    outcomes[index] = .failed(AnalysisFailure(path: songs[index].path, error: error))
                case .failure:
                    interrupted = true
                }
            }
        }
        return (embedded, interrupted)
    }

    private static func isTimeout(_ error: Error) -> Bool {
        AnalysisFailure.Kind(error) == .timedOut
    }

    private static func outcome(song: ScannedSong, _ result: Result<TrackFeatures, Error>) -> CachedOutcome {
        switch result {
        case let .success(features): return .analyzed(TrackAnalysis(song: song, features: features))
        case let .failure(error): return .failed(AnalysisFailure(path: song.path, error: error))
        }
    }
}

/// Messages collected from several threads.
private final class NoteList: Sendable {
    private let notes = Mutex<[String]>([])
    func append(_ note: String) { notes.withLock { $0.append(note) } }
    var all: [String] { notes.withLock { $0 } }
}
