import Foundation
import TestSupport
import XCTest

/// The clustering fuzz target's seeds and findings (scripts/fuzz clustering),
/// replayed: each must pass every check of ``ClusteringFuzzChecks``.
final class ClusteringFuzzRegressionTests: XCTestCase {
    func testFuzzSeedsAndFindingsPassEveryCheck() throws {
        var checked = 0
        for folder in ["Fuzz/clustering-corpus", "Fuzz/clustering-findings"] {
            let url = repositoryRoot.appendingPathComponent(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { continue }
            for name in names.sorted() {
                let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
                XCTAssertNoThrow(try ClusteringFuzzChecks.check(bytes), "\(folder)/\(name)")
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 3)
    }
}
