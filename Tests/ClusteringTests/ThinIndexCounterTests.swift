import Dispatch
@testable import Clustering
import XCTest

/// ``IndexCounter``, the one counter that hands out row chunks, restarts and
/// distance groups to worker threads (an `Atomic`, where three hand-rolled
/// lock classes were).
final class ThinIndexCounterTests: XCTestCase {
    func testEveryIndexIsTakenExactlyOnceAcrossThreads() {
        let limit = 10_000
        let counter = IndexCounter()
        let taken = UnsafeMutableBufferPointer<Int>.allocate(capacity: limit)
        taken.initialize(repeating: 0)
        defer { taken.deallocate() }
        let slots = SendablePointer(taken.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            while let index = counter.take(below: limit) { slots.pointer[index] += 1 }
        }
        XCTAssertEqual(Array(taken), [Int](repeating: 1, count: limit))
        // Exhausted: every later call says so.
        XCTAssertNil(counter.take(below: limit))
        XCTAssertNil(counter.take(below: 1))
    }

    func testNoIndexBelowZero() {
        XCTAssertNil(IndexCounter().take(below: 0))
    }

    func testRowChunksVisitEveryChunkOnceWhateverTheJobs() {
        let rowCount = 5 * RowChunks.size + 17
        for jobs in [1, 2, 7] {
            let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: rowCount)
            seen.initialize(repeating: 0)
            let slots = SendablePointer(seen.baseAddress!)
            RowChunks.forEach(rowCount, jobs: jobs) { _, rows in for row in rows { slots.pointer[row] += 1 } }
            XCTAssertEqual(Array(seen), [Int](repeating: 1, count: rowCount), "jobs \(jobs)")
            seen.deallocate()
        }
    }
}
