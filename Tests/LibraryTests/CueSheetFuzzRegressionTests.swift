import Foundation
import TestSupport
import XCTest

/// The `cue` fuzz target's corpus and findings (scripts/fuzz cue), replayed:
/// each must pass every check of ``CueSheetFuzzChecks``.
final class CueSheetFuzzRegressionTests: XCTestCase {
    func testFuzzCorpusAndFindingsPassEveryCheck() throws {
        var checked = 0
        var accepted = 0
        for folder in ["Fuzz/cue-corpus", "Fuzz/cue-findings"] {
            let url = repositoryRoot.appendingPathComponent(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") {
                let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
                XCTAssertNoThrow(try CueSheetFuzzChecks.check(bytes), "\(folder)/\(name)")
                if CueSheetFuzzChecks.sheet(bytes) != nil { accepted += 1 }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 8)
        XCTAssertGreaterThanOrEqual(accepted, 4, "the seed sheets are read")
    }
}
