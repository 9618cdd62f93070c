import Foundation
import TestSupport
import XCTest

/// The `cache` fuzz target's corpus and findings (scripts/fuzz cache), replayed:
/// each must pass every check of ``CacheRecordFuzzChecks``.
final class CacheRecordFuzzRegressionTests: XCTestCase {
    func testFuzzCorpusAndFindingsPassEveryCheck() throws {
        var checked = 0
        var trusted = 0
        for folder in ["Fuzz/cache-corpus", "Fuzz/cache-findings"] {
            let url = repositoryRoot.appendingPathComponent(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") {
                let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
                XCTAssertNoThrow(try CacheRecordFuzzChecks.check(bytes), "\(folder)/\(name)")
                if CacheRecordFuzzChecks.decodedTrack(bytes) != nil { trusted += 1 }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 1)
        XCTAssertGreaterThanOrEqual(trusted, 1, "the seed record written by the cache is trusted")
    }
}
