import Foundation

/// A request to stop a long run early (Ctrl-C), shared by every worker.
///
/// Workers finish the file they are on and take no new one, so every
/// finished file is committed to the cache and nothing is half-written.
public final class Interruption: @unchecked Sendable {
    public static let shared = Interruption()
    private let lock = NSLock()
    private var requested = false

    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    public func request() {
        lock.lock()
        requested = true
        lock.unlock()
    }
}

/// Files a batch did not get to because it was interrupted.
public struct NotAnalysedError: Error, CustomStringConvertible {
    public var description: String { "not analysed: the run was interrupted" }
}
