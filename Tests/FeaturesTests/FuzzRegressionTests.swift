import AudioDecoding
import Features
import Foundation
import TestSupport
import XCTest

/// Inputs the fuzzer (scripts/fuzz) found interesting, and its seeds: each
/// must give a clear error or finite features, never a crash or a NaN.
final class FuzzRegressionTests: XCTestCase {
    func testFuzzFindingsAndSeedsAnalyseSafely() throws {
        let extractor = FeatureExtractor()
        var checked = 0
        for folder in ["Fuzz/findings", "Fuzz/corpus"] {
            let url = repositoryRoot.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() {
                let path = url.appendingPathComponent(name).path
                do {
                    let features = try extractor.summarize(path: path, decodeOptions: DecodeOptions(excerptSeconds: 30))
                    XCTAssertTrue(features.summary.values.allSatisfy(\.isFinite), "\(name): non-finite features")
                } catch let error as DecodingError {
                    XCTAssertFalse(error.description.isEmpty)
                }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 7)
    }
}
