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

    /// The `ffmpeg` target's inputs (scripts/fuzz ffmpeg), named `.m4a` as
    /// that target names them, so FFmpeg decodes each one.
    func testFFmpegFuzzFindingsAndSeedsAnalyseSafely() throws {
        let extractor = FeatureExtractor()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let scratch = directory.file("input.m4a")
        var checked = 0
        var decodedByFFmpeg = 0
        for folder in ["Fuzz/ffmpeg-findings", "Fuzz/ffmpeg-corpus"] {
            let url = repositoryRoot.appendingPathComponent(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { continue }
            for name in names.sorted() {
                try? FileManager.default.removeItem(atPath: scratch)
                try FileManager.default.copyItem(atPath: url.appendingPathComponent(name).path, toPath: scratch)
                do {
                    let features = try extractor.summarize(path: scratch, decodeOptions: DecodeOptions(excerptSeconds: 30))
                    XCTAssertTrue(features.summary.values.allSatisfy(\.isFinite), "\(name): non-finite features")
                    if features.info.decoder == .ffmpeg { decodedByFFmpeg += 1 }
                } catch let error as DecodingError {
                    XCTAssertFalse(error.description.isEmpty)
                }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 11)
        XCTAssertGreaterThanOrEqual(decodedByFFmpeg, 11, "the seeds decode")
    }
}
