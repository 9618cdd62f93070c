import Foundation
import Synchronization

/// Splits rows into fixed chunks and works on them in parallel.
///
/// The chunks do not depend on the number of threads, and each chunk writes
/// its own slot, so a caller that reduces the slots in chunk order gets the
/// same floating-point result whatever `jobs` is.
enum RowChunks {
    /// Rows per chunk.
    static let size = 1024

    /// How many chunks `rowCount` rows make (0 for none).
    static func count(_ rowCount: Int) -> Int { (rowCount + size - 1) / size }

    /// The rows of chunk `chunk`.
    static func rows(_ chunk: Int, of rowCount: Int) -> Range<Int> {
        (chunk * size)..<min(rowCount, (chunk + 1) * size)
    }

    /// Calls `body(chunk, rows)` once for every chunk, on up to `jobs` threads.
    ///
    /// - Parameters:
    ///   - rowCount: ≥ 0.
    ///   - jobs: threads, ≥ 1 (fewer are used when there are fewer chunks).
    ///   - body: must only write memory that belongs to its chunk.
    static func forEach(_ rowCount: Int, jobs: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        let chunks = count(rowCount)
        let workers = max(1, min(jobs, chunks))
        if workers == 1 {
            for chunk in 0..<chunks { body(chunk, rows(chunk, of: rowCount)) }
            return
        }
        let next = IndexCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let chunk = next.take(below: chunks) { body(chunk, rows(chunk, of: rowCount)) }
        }
    }

    /// Calls `body(index)` for every index in `0..<count`, on up to `jobs` threads, in blocks.
    static func forEachIndex(_ count: Int, jobs: Int, _ body: @Sendable (Int) -> Void) {
        forEach(count, jobs: jobs) { _, rows in for index in rows { body(index) } }
    }
}

/// Hands out the indices 0, 1, 2, … to worker threads, each index once.
///
/// One atomic add per index, no lock. Past `limit` the counter goes on
/// counting; every later call returns nil.
final class IndexCounter: Sendable {
    private let next = Atomic<Int>(0)

    /// The next index not yet taken, or nil once all of `0..<limit` are taken.
    func take(below limit: Int) -> Int? {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < limit ? index : nil
    }
}
