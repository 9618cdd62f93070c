import Synchronization

/// A request to stop one long job early, passed into every library call that can run for long.
///
/// A value, not a process-wide flag: two jobs in one process each take their
/// own, and cancelling one leaves the other running (Swift's structured
/// concurrency cancels a task, not a process, for the same reason). Copies
/// share one state, so the caller keeps a copy and calls ``cancel()`` from any
/// thread while the job reads ``isCancelled``. Batch analysis finishes the
/// files in flight and takes no new one (every finished file is committed to
/// the cache); clustering and map training stop at their next iteration and
/// throw `ClusteringError.cancelled`.
///
/// ``never`` is the default of every call: it is never cancelled, and its
/// ``cancel()`` does nothing, so no caller can stop another's job through it.
public struct Cancellation: Sendable {
    /// The shared state; nil for ``never``.
    private let state: State?

    private final class State: Sendable {
        let cancelled = Atomic<Bool>(false)
    }

    /// A new value, not cancelled.
    public init() {
        state = State()
    }

    private init(never: Void) {
        state = nil
    }

    /// Never cancelled: the default for callers that do not stop their jobs.
    public static let never = Cancellation(never: ())

    /// Whether ``cancel()`` was called on this value or a copy of it.
    public var isCancelled: Bool {
        state?.cancelled.load(ordering: .acquiring) ?? false
    }

    /// Asks the job (and every job given a copy of this value) to stop. Safe from any thread,
    /// including a signal handler's dispatch source; calling it again does nothing more.
    public func cancel() {
        state?.cancelled.store(true, ordering: .releasing)
    }

    /// ``isCancelled`` as a closure, for the algorithms' `shouldStop`.
    public var shouldStop: @Sendable () -> Bool {
        let state = self.state
        return { state?.cancelled.load(ordering: .acquiring) ?? false }
    }
}
