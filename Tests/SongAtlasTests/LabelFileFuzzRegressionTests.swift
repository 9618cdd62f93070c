import Foundation
import TestSupport
import XCTest

/// The `labels` fuzz target's corpus and findings (scripts/fuzz labels), replayed:
/// each must pass every check of ``LabelFileFuzzChecks``.
final class LabelFileFuzzRegressionTests: XCTestCase {
    func testFuzzCorpusAndFindingsPassEveryCheck() throws {
        var checked = 0
        for folder in ["Fuzz/labels-corpus", "Fuzz/labels-findings"] {
            let url = repositoryRoot.appendingPathComponent(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") {
                let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
                XCTAssertNoThrow(try LabelFileFuzzChecks.check(bytes), "\(folder)/\(name)")
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 7)
    }
}
