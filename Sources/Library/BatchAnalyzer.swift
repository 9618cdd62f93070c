import AudioDecoding
import Features
import Foundation

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
        run(paths, embedding: embedding, jobs: jobs, onResult: onResult, progress: progress,
            cancellation: cancellation) { worker, path in
            try worker.features.summarize(path: path, decodeOptions: decodeOptions, embedding: worker.embedding)
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
            cancellation: cancellation) { worker, path in
            try worker.features.embed(path: path, decodeOptions: decodeOptions, using: worker.embedding!).embedding
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
        run(paths, embedding: embedding, jobs: jobs, onResult: onResult, progress: progress,
            cancellation: cancellation) { worker, path in
            try worker.features.embedAll(path: path, decodeOptions: decodeOptions, using: worker.embedding!).embeddings
        }
    }

    /// What one worker thread owns: its feature extractor and, when asked for, its network.
    struct Worker {
        let features = FeatureExtractor()
        let embedding: EmbeddingExtractor?

        init(_ setup: EmbeddingSetup?) {
            embedding = setup?.makeExtractor()
        }
    }

    /// Runs `work` on every path, `jobs` workers at a time, one result per path.
    private static func run<Output>(
        _ paths: [String], embedding: EmbeddingSetup?, jobs: Int,
        onResult: (@Sendable (Int, Result<Output, Error>) -> Void)?,
        progress: (@Sendable (BatchProgress) -> Void)?, cancellation: Cancellation,
        work: @Sendable (Worker, String) throws -> Output
    ) -> [Result<Output, Error>] {
        let state = BatchState<Output>(count: paths.count)
        let workers = max(1, min(jobs, paths.count))
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let worker = Worker(embedding)
            while !cancellation.isCancelled, let index = state.claimNext() {
                let result: Result<Output, Error>
                do {
                    result = .success(try work(worker, paths[index]))
                } catch {
                    result = .failure(error)
                }
                onResult?(index, result)
                let snapshot = state.finish(index, with: result, path: paths[index], start: start)
                if let progress { state.report { progress(snapshot) } }
            }
        }
        return state.results.map { $0 ?? .failure(NotAnalysedError()) }
    }
}

/// What every worker of a batch needs to run an embedding model: the
/// shared, read-only weights of each of its networks and the patch budget.
public struct EmbeddingSetup: Sendable {
    /// The first network's weights (shared by every worker).
    public var weights: MusicnnWeights
    /// The other networks' weights, in order; one front end feeds them all.
    public var otherWeights: [MusicnnWeights]
    public var patchBudget: PatchBudget
    /// The model the setup computes (``parts`` may be only some of its networks, when only missing parts run).
    public var model: EmbeddingModel

    /// One network.
    ///
    /// - Parameters:
    ///   - weights: a loaded model (shared by every worker).
    ///   - patchBudget: which patches to run; default ``PatchBudget/default``.
    public init(weights: MusicnnWeights, patchBudget: PatchBudget = .default) {
        self.init(model: EmbeddingModel(weights.model), weights: weights, patchBudget: patchBudget)
    }

    /// A model of one or more networks.
    ///
    /// - Parameters:
    ///   - model: the model whose embedding is wanted.
    ///   - weights: the loaded weights of `model`'s first part.
    ///   - otherWeights: those of its other parts, in its order; default none.
    ///   - patchBudget: which patches to run; default ``PatchBudget/default``.
    public init(model: EmbeddingModel, weights: MusicnnWeights, otherWeights: [MusicnnWeights] = [],
                patchBudget: PatchBudget = .default) {
        self.model = model
        self.weights = weights
        self.otherWeights = otherWeights
        self.patchBudget = patchBudget
    }

    /// Every network's weights, in order.
    public var parts: [MusicnnWeights] { [weights] + otherWeights }

    /// The setup that runs only the networks in `models` (for a cached track that has the others),
    /// or nil when none of them is loaded here.
    public func running(only models: [MusicnnModel]) -> EmbeddingSetup? {
        let kept = parts.filter { models.contains($0.model) }
        guard let first = kept.first else { return nil }
        return EmbeddingSetup(model: model, weights: first, otherWeights: Array(kept.dropFirst()), patchBudget: patchBudget)
    }

    /// A new extractor of every part (one per worker).
    public func makeExtractor() -> EmbeddingExtractor {
        EmbeddingExtractor(weights: weights, alongside: otherWeights, patchBudget: patchBudget)
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
        let queue = InOrderDelivery(deliver)
        let counters = BatchState<TrackFeatures>(count: 0)
        let start = Date()
        let next = NextIndex()
        let total = paths.count
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, total))) { _ in
            let worker = Worker(embedding)
            while !cancellation.isCancelled, let index = next.take(below: total) {
                let result: Result<TrackFeatures, Error>
                do {
                    result = .success(try worker.features.summarize(
                        path: paths[index], decodeOptions: decodeOptions, embedding: worker.embedding))
                } catch {
                    result = .failure(error)
                }
                let snapshot = counters.count(result, path: paths[index], total: total, start: start)
                queue.add(index, result)
                if let progress { counters.report { progress(snapshot) } }
            }
        }
    }
}

/// Hands results on in index order, holding only those that finished early.
private final class InOrderDelivery: @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [Int: Result<TrackFeatures, Error>] = [:]
    private var nextIndex = 0
    private let deliver: @Sendable (Int, Result<TrackFeatures, Error>) -> Void

    init(_ deliver: @escaping @Sendable (Int, Result<TrackFeatures, Error>) -> Void) { self.deliver = deliver }

    func add(_ index: Int, _ result: Result<TrackFeatures, Error>) {
        lock.lock()
        defer { lock.unlock() }
        waiting[index] = result
        while let ready = waiting.removeValue(forKey: nextIndex) {
            deliver(nextIndex, ready)
            nextIndex += 1
        }
    }
}

/// Hands out file indices to worker threads.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// Shared state of one batch, guarded by a lock.
private final class BatchState<Output>: @unchecked Sendable {
    private let lock = NSLock()
    private let reportLock = NSLock()
    private var next = 0
    private var completed = 0
    private var failed = 0
    private(set) var results: [Result<Output, Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func claimNext() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < results.count else { return nil }
        next += 1
        return next - 1
    }

    func finish(_ index: Int, with result: Result<Output, Error>, path: String, start: Date) -> BatchProgress {
        lock.lock()
        defer { lock.unlock() }
        results[index] = result
        completed += 1
        if case .failure = result { failed += 1 }
        return BatchProgress(completed: completed, total: results.count, failed: failed, currentPath: path,
                             elapsedSeconds: Date().timeIntervalSince(start))
    }

    /// Counts a finished file without keeping its result (for ``BatchAnalyzer/analyzeInOrder``).
    func count(_ result: Result<Output, Error>, path: String, total: Int, start: Date) -> BatchProgress {
        lock.lock()
        defer { lock.unlock() }
        completed += 1
        if case .failure = result { failed += 1 }
        return BatchProgress(completed: completed, total: total, failed: failed, currentPath: path,
                             elapsedSeconds: Date().timeIntervalSince(start))
    }

    func report(_ body: () -> Void) {
        reportLock.lock()
        body()
        reportLock.unlock()
    }
}
