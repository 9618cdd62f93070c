import Foundation

/// A request to stop a long run early (Ctrl-C, SIGTERM), shared by every worker.
///
/// Batch analysis finishes the files in flight and takes no new one, so every
/// finished file is committed to the cache; clustering and map training stop
/// at their next iteration; outputs not yet in place are not written.
public final class Interruption: @unchecked Sendable {
    public static let shared = Interruption()
    private let lock = NSLock()
    private var requestedSignal: Int32?

    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requestedSignal != nil
    }

    /// Asks every worker to stop.
    ///
    /// - Parameter signal: the signal that asked (SIGINT for Ctrl-C, SIGTERM); the first one is kept.
    public func request(signal: Int32 = SIGINT) {
        lock.lock()
        if requestedSignal == nil { requestedSignal = signal }
        lock.unlock()
    }

    /// The exit status a shell expects after the signal that asked: 128 + its number (130 for SIGINT, 143 for SIGTERM).
    public var exitStatus: Int32 {
        lock.lock()
        defer { lock.unlock() }
        return 128 + (requestedSignal ?? SIGINT)
    }
}

/// Files a batch did not get to because it was interrupted.
public struct NotAnalysedError: Error, CustomStringConvertible {
    public var description: String { "not analysed: the run was interrupted" }
}
