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
/// Each worker owns a ``FeatureExtractor`` and takes the next file when it
/// finishes one, so memory is bounded by the number of workers, not of files.
/// A failure is recorded for its file and the batch goes on. When
/// ``Interruption/shared`` is requested, workers finish their current file
/// and stop; files not reached get a ``NotAnalysedError``.
public enum BatchAnalyzer {
    /// Analyses `paths` on `jobs` threads.
    ///
    /// - Parameters:
    ///   - paths: files to analyse.
    ///   - decodeOptions: passed to every decode (e.g. an excerpt length).
    ///   - jobs: worker threads, ≥ 1; defaults to the number of cores.
    ///   - onResult: called with each file's index and result as soon as it is done
    ///     (e.g. to commit it to a cache), from the worker that finished it.
    ///   - progress: called after each file, from the worker that finished it, one call at a time.
    /// - Returns: one result per path, in the order of `paths`.
    public static func analyze(
        _ paths: [String], decodeOptions: DecodeOptions = DecodeOptions(),
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        onResult: (@Sendable (Int, Result<TrackFeatures, Error>) -> Void)? = nil,
        progress: (@Sendable (BatchProgress) -> Void)? = nil
    ) -> [Result<TrackFeatures, Error>] {
        let state = BatchState(count: paths.count)
        let workers = max(1, min(jobs, paths.count))
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let extractor = FeatureExtractor()
            while !Interruption.shared.isRequested, let index = state.claimNext() {
                let result: Result<TrackFeatures, Error>
                do {
                    result = .success(try extractor.summarize(path: paths[index], decodeOptions: decodeOptions))
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

/// Shared state of one batch, guarded by a lock.
private final class BatchState: @unchecked Sendable {
    private let lock = NSLock()
    private let reportLock = NSLock()
    private var next = 0
    private var completed = 0
    private var failed = 0
    private(set) var results: [Result<TrackFeatures, Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func claimNext() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < results.count else { return nil }
        next += 1
        return next - 1
    }

    func finish(_ index: Int, with result: Result<TrackFeatures, Error>, path: String, start: Date) -> BatchProgress {
        lock.lock()
        defer { lock.unlock() }
        results[index] = result
        completed += 1
        if case .failure = result { failed += 1 }
        return BatchProgress(completed: completed, total: results.count, failed: failed, currentPath: path,
                             elapsedSeconds: Date().timeIntervalSince(start))
    }

    func report(_ body: () -> Void) {
        reportLock.lock()
        body()
        reportLock.unlock()
    }
}
