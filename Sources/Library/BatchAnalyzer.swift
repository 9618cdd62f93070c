import AudioDecoding
import Features
import Foundation
import Synchronization

/// Progress of a batch, reported after each file.
public struct BatchProgress: Sendable {
    public var completed: Int
    public var total: Int
    public var failed: Int
    public var currentPath: String
    /// Seconds since the batch started.
    public var elapsedSeconds: Double
}

/// Analyses many files in parallel, one result per file.
///
/// Each worker owns a ``FeatureExtractor`` (and an ``EmbeddingExtractor``
/// when the network is asked for) and takes the next file when it finishes
/// one, so memory is bounded by the number of workers, not of files.
/// A failure is recorded for its file and the batch goes on. When the
/// ``Cancellation`` passed in is cancelled, workers finish their current file
/// and stop; files not reached get a ``NotAnalysedError``.
public enum BatchAnalyzer {
    /// Analyses `paths` on `jobs` threads.
    ///
    /// - Parameters:
    ///   - paths: files to analyse.
    ///   - decodeOptions: passed to every decode (e.g. an excerpt length).
    ///   - embedding: the network to run on each file as well (one extractor per worker); nil for none.
    ///   - jobs: worker threads, ≥ 1; defaults to the number of cores.
    ///   - onResult: called with each file's index and result as soon as it is done
    ///     (e.g. to commit it to a cache), from the worker that finished it.
    ///   - progress: called after each file, from the worker that finished it, one call at a time.
    ///   - cancellation: stops the batch after the files in flight; default never.
    /// - Returns: one result per path, in the order of `paths`.
    public static func analyze(
        _ paths: [String], decodeOptions: DecodeOptions = DecodeOptions(), embedding: EmbeddingSetup? = nil,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        onResult: (@Sendable (Int, Result<TrackFeatures, Error>) -> Void)? = nil,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never
    ) -> [Result<TrackFeatures, Error>] {
        analyze(songs: paths.map { ScannedSong(path: $0) }, decodeOptions: decodeOptions, embedding: embedding, jobs: jobs,
                onResult: onResult, progress: progress, cancellation: cancellation)
    }

    /// Analyses `songs` (whole files, and cue tracks decoded only over their range) on `jobs` threads,
    /// as ``analyze(_:decodeOptions:embedding:jobs:onResult:progress:cancellation:)`` does files.
    public static func analyze(
        songs: [ScannedSong], decodeOptions: DecodeOptions = DecodeOptions(), embedding: EmbeddingSetup? = nil,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        onResult: (@Sendable (Int, Result<TrackFeatures, Error>) -> Void)? = nil,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never
    ) -> [Result<TrackFeatures, Error>] {
        run(songs.map(\.path), embedding: embedding, jobs: jobs, onResult: onResult, progress: progress,
            cancellation: cancellation) { worker, index in
            try worker.features.summarize(path: songs[index].path, decodeOptions: songs[index].decodeOptions(decodeOptions), embedding: worker.embedding,
                                          fingerprinter: worker.fingerprinter)
        }
    }

    /// Computes only the learned embedding of `paths` on `jobs` threads (for
    /// cached tracks that have their summary but not this model's embedding).
    ///
    /// - Parameters: as ``analyze(_:decodeOptions:embedding:jobs:onResult:progress:)``, with
    ///   - embedding: the network and patch budget.
    /// - Returns: one result per path, in the order of `paths`.
    public static func embed(
        _ paths: [String], decodeOptions: DecodeOptions = DecodeOptions(), embedding: EmbeddingSetup,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        onResult: (@Sendable (Int, Result<SongEmbedding, Error>) -> Void)? = nil,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never
    ) -> [Result<SongEmbedding, Error>] {
        run(paths, embedding: embedding, jobs: jobs, onResult: onResult, progress: progress,
            cancellation: cancellation) { worker, index in
            try worker.features.embed(path: paths[index], decodeOptions: decodeOptions, using: worker.embedding!).embedding
        }
    }

    /// Computes every network of `embedding` on `paths` (one decode and one front end per file), as
    /// ``embed(_:decodeOptions:embedding:jobs:onResult:progress:cancellation:)`` does for one.
    public static func embedParts(
        _ paths: [String], decodeOptions: DecodeOptions = DecodeOptions(), embedding: EmbeddingSetup,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        onResult: (@Sendable (Int, Result<[SongEmbedding], Error>) -> Void)? = nil,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never
    ) -> [Result<[SongEmbedding], Error>] {
        embedParts(songs: paths.map { ScannedSong(path: $0) }, decodeOptions: decodeOptions, embedding: embedding,
                   jobs: jobs, onResult: onResult, progress: progress, cancellation: cancellation)
    }

    /// As ``embedParts(_:decodeOptions:embedding:jobs:onResult:progress:cancellation:)``, for songs
    /// (a cue track decoded only over its range).
    public static func embedParts(
        songs: [ScannedSong], decodeOptions: DecodeOptions = DecodeOptions(), embedding: EmbeddingSetup,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        onResult: (@Sendable (Int, Result<[SongEmbedding], Error>) -> Void)? = nil,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never
    ) -> [Result<[SongEmbedding], Error>] {
        run(songs.map(\.path), embedding: embedding, jobs: jobs, onResult: onResult, progress: progress,
            cancellation: cancellation) { worker, index in
            try worker.features.embedAll(path: songs[index].path, decodeOptions: songs[index].decodeOptions(decodeOptions), using: worker.embedding!).embeddings
        }
    }

    /// What one worker thread owns: its feature extractor, its fingerprinter and, when asked for, its network.
    struct Worker {
        let features = FeatureExtractor()
        let embedding: EmbeddingExtractor?
        /// Every analysed track also gets its Chromaprint fingerprint, from the same decode.
        let fingerprinter = Fingerprinter()

        init(_ setup: EmbeddingSetup?) {
            embedding = setup?.makeExtractor()
        }
    }

    /// Runs `work` on every path, `jobs` workers at a time, one result per path.
    private static func run<Output: Sendable>(
        _ paths: [String], embedding: EmbeddingSetup?, jobs: Int,
        onResult: (@Sendable (Int, Result<Output, Error>) -> Void)?,
        progress: (@Sendable (BatchProgress) -> Void)?, cancellation: Cancellation,
        work: @Sendable (Worker, Int) throws -> Output
    ) -> [Result<Output, Error>] {
        let results = Mutex<(values: [Result<Output, Error>?], completed: Int, failed: Int)>(
            (Array(repeating: nil, count: paths.count), 0, 0))
        let reporting = Mutex<Void>(())
        let nextIndex = Atomic<Int>(0)
        let workers = max(1, min(jobs, paths.count))
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let worker = Worker(embedding)
            while !cancellation.isCancelled {
                let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < paths.count else { break }
                let result: Result<Output, Error>
                do {
                    result = .success(try work(worker, index))
                } catch {
                    result = .failure(error)
                }
                onResult?(index, result)
                let snapshot = results.withLock { results in
                    results.values[index] = result
                    results.completed += 1
                    if case .failure = result { results.failed += 1 }
                    return BatchProgress(completed: results.completed, total: paths.count, failed: results.failed,
                                         currentPath: paths[index], elapsedSeconds: Date().timeIntervalSince(start))
                }
                if let progress { reporting.withLock { _ in progress(snapshot) } }
            }
        }
        return results.withLock { $0.values }.map { $0 ?? .failure(NotAnalysedError()) }
    }
}

/// What every worker of a batch needs to run an embedding model: the
/// shared, read-only loaded networks of its parts and the patch budget.
public struct EmbeddingSetup: Sendable {
    /// The loaded networks, in the model's order (shared by every worker); one front end feeds them all.
    public var networks: RunnableEmbeddingNetworks
    public var patchBudget: PatchBudget
    /// The model the setup computes (``parts`` may be only some of its networks, when only missing parts run).
    public var model: EmbeddingModel

    /// One musicnn network.
    ///
    /// - Parameters:
    ///   - weights: a loaded model (shared by every worker).
    ///   - patchBudget: which patches to run; default ``PatchBudget/default``.
    public init(weights: MusicnnWeights, patchBudget: PatchBudget = .default) {
        self.init(model: EmbeddingModel(weights.identity), networks: RunnableEmbeddingNetworks(musicnn: weights),
                  patchBudget: patchBudget)
    }

    /// A model of one or more musicnn networks.
    ///
    /// - Parameters:
    ///   - model: the model whose embedding is wanted.
    ///   - weights: the loaded weights of `model`'s first part.
    ///   - otherWeights: those of its other parts, in its order; default none.
    ///   - patchBudget: which patches to run; default ``PatchBudget/default``.
    public init(model: EmbeddingModel, weights: MusicnnWeights, otherWeights: [MusicnnWeights] = [],
                patchBudget: PatchBudget = .default) {
        self.init(model: model, networks: RunnableEmbeddingNetworks(musicnn: weights, otherWeights),
                  patchBudget: patchBudget)
    }

    /// A model of networks of any architecture.
    ///
    /// - Parameters:
    ///   - model: the model whose embedding is wanted.
    ///   - networks: the loaded networks of (some of) `model`'s parts, in its order, checked to run together.
    ///   - patchBudget: which patches to run; default ``PatchBudget/default``.
    public init(model: EmbeddingModel, networks: RunnableEmbeddingNetworks, patchBudget: PatchBudget = .default) {
        self.model = model
        self.networks = networks
        self.patchBudget = patchBudget
    }

    /// Every loaded network, in order.
    public var parts: [any EmbeddingNetwork] { networks.networks }

    /// The setup that runs only the networks in `networks` (for a cached track that has the others),
    /// or nil when none of them is loaded here.
    public func running(only networks: [EmbeddingNetworkIdentity]) -> EmbeddingSetup? {
        guard let kept = self.networks.filter({ networks.contains($0.identity) }) else { return nil }
        return EmbeddingSetup(model: model, networks: kept, patchBudget: patchBudget)
    }

    /// A new extractor of every part (one per worker).
    public func makeExtractor() -> EmbeddingExtractor {
        EmbeddingExtractor(networks: networks, patchBudget: patchBudget)
    }
}

extension BatchAnalyzer {
    /// Analyses `paths` on `jobs` threads and hands each result to `deliver` in
    /// the order of `paths`, as soon as it and all before it are done; nothing is kept.
    ///
    /// Memory stays flat however many files there are: only results that
    /// finished ahead of a slower file wait, and only until it finishes. When
    /// `cancellation` is cancelled, workers finish their current file and
    /// stop; the files not reached are not delivered.
    ///
    /// - Parameters:
    ///   - deliver: called with each index and result, one call at a time, from a worker thread.
    ///   - progress: called after each file, one call at a time.
    ///   - cancellation: stops the batch after the files in flight; default never.
    public static func analyzeInOrder(
        _ paths: [String], decodeOptions: DecodeOptions = DecodeOptions(), embedding: EmbeddingSetup? = nil,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never,
        deliver: @escaping @Sendable (Int, Result<TrackFeatures, Error>) -> Void
    ) {
        analyzeInOrder(songs: paths.map { ScannedSong(path: $0) }, decodeOptions: decodeOptions, embedding: embedding,
                       jobs: jobs, progress: progress, cancellation: cancellation, deliver: deliver)
    }

    /// As ``analyzeInOrder(_:decodeOptions:embedding:jobs:progress:cancellation:deliver:)``, for songs
    /// (a cue track decoded only over its range).
    public static func analyzeInOrder(
        songs: [ScannedSong], decodeOptions: DecodeOptions = DecodeOptions(), embedding: EmbeddingSetup? = nil,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never,
        deliver: @escaping @Sendable (Int, Result<TrackFeatures, Error>) -> Void
    ) {
        runInOrder(songs.map(\.path), embedding: embedding, jobs: jobs, progress: progress, cancellation: cancellation,
                   work: { worker, index in
                       try worker.features.summarize(path: songs[index].path, decodeOptions: songs[index].decodeOptions(decodeOptions), embedding: worker.embedding,
                                                     fingerprinter: worker.fingerprinter)
                   }, deliver: deliver)
    }

    /// As ``analyzeInOrder(_:decodeOptions:embedding:jobs:progress:cancellation:deliver:)``, and from
    /// the same decode and frame analysis also keeps `columns` of every frame and hands them, with the
    /// features, to `derive` on the worker that analysed the file (so a per-track computation over
    /// the frames, such as a segmentation, runs in parallel); only what `derive` returns is delivered.
    ///
    /// - Parameters:
    ///   - columns: indices into ``FrameFeatureNames/all`` (see ``FeatureExtractor/summarize(path:decodeOptions:embedding:keepingColumns:)``).
    ///   - derive: called once per analysed file, on its worker, with its path, features and kept columns.
    ///   - deliver: called with each index, the features and what `derive` returned, in order, one call at a time.
    public static func analyzeInOrder<Derived: Sendable>(
        _ paths: [String], decodeOptions: DecodeOptions = DecodeOptions(), embedding: EmbeddingSetup? = nil,
        keepingColumns columns: [Int], jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never,
        derive: @Sendable (_ path: String, _ features: TrackFeatures, _ columns: StreamedFrameColumns) -> Derived,
        deliver: @Sendable (Int, Result<(features: TrackFeatures, derived: Derived), Error>) -> Void
    ) {
        analyzeInOrder(songs: paths.map { ScannedSong(path: $0) }, decodeOptions: decodeOptions, embedding: embedding,
                       keepingColumns: columns, jobs: jobs, progress: progress, cancellation: cancellation,
                       derive: { song, features, kept in derive(song.path, features, kept) }, deliver: deliver)
    }

    /// As ``analyzeInOrder(_:decodeOptions:embedding:keepingColumns:jobs:progress:cancellation:derive:deliver:)``,
    /// for songs: a cue track is decoded over its own range only (sample-exact), so its features and
    /// kept columns, and what `derive` makes of them, count from the track's start.
    public static func analyzeInOrder<Derived: Sendable>(
        songs: [ScannedSong], decodeOptions: DecodeOptions = DecodeOptions(), embedding: EmbeddingSetup? = nil,
        keepingColumns columns: [Int], jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (BatchProgress) -> Void)? = nil, cancellation: Cancellation = .never,
        derive: @Sendable (_ song: ScannedSong, _ features: TrackFeatures, _ columns: StreamedFrameColumns) -> Derived,
        deliver: @Sendable (Int, Result<(features: TrackFeatures, derived: Derived), Error>) -> Void
    ) {
        runInOrder(songs.map(\.path), embedding: embedding, jobs: jobs, progress: progress, cancellation: cancellation,
                   work: { worker, index in
                       let song = songs[index]
                       let (features, kept) = try worker.features.summarize(
                           path: song.path, decodeOptions: song.decodeOptions(decodeOptions), embedding: worker.embedding,
                           keepingColumns: columns)
                       return (features, derive(song, features, kept))
                   }, deliver: deliver)
    }

    /// Runs `work` on every path, `jobs` workers at a time, and hands each result on in path order.
    private static func runInOrder<Output: Sendable>(
        _ paths: [String], embedding: EmbeddingSetup?, jobs: Int,
        progress: (@Sendable (BatchProgress) -> Void)?, cancellation: Cancellation,
        work: @Sendable (Worker, Int) throws -> Output,
        deliver: @Sendable (Int, Result<Output, Error>) -> Void
    ) {
        // Results that finished ahead of a slower file, and the index to deliver next.
        let waiting = Mutex<(results: [Int: Result<Output, Error>], next: Int)>(([:], 0))
        let counts = Mutex<(completed: Int, failed: Int)>((0, 0))
        let reporting = Mutex<Void>(())
        let nextIndex = Atomic<Int>(0)
        let start = Date()
        let total = paths.count
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, total))) { _ in
            let worker = Worker(embedding)
            while !cancellation.isCancelled {
                let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < total else { break }
                let result: Result<Output, Error>
                do {
                    result = .success(try work(worker, index))
                } catch {
                    result = .failure(error)
                }
                let snapshot = counts.withLock { counts in
                    counts.completed += 1
                    if case .failure = result { counts.failed += 1 }
                    return BatchProgress(completed: counts.completed, total: total, failed: counts.failed,
                                         currentPath: paths[index], elapsedSeconds: Date().timeIntervalSince(start))
                }
                waiting.withLock { waiting in
                    waiting.results[index] = result
                    while let ready = waiting.results.removeValue(forKey: waiting.next) {
                        deliver(waiting.next, ready)
                        waiting.next += 1
                    }
                }
                if let progress { reporting.withLock { _ in progress(snapshot) } }
            }
        }
    }
}
