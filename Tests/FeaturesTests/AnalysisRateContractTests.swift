import AudioDecoding
@testable import Features
import XCTest

/// The decoder must deliver samples at the STFT configuration's rate; the extractor checks it once, before decoding.
final class AnalysisRateContractTests: XCTestCase {
    func testDefaultConfigurationUsesTheAnalysisRate() {
        XCTAssertEqual(STFTConfiguration().sampleRate, AnalysisRate.sampleRate)
        XCTAssertEqual(DecodeOptions().outputSampleRate, STFTConfiguration().sampleRate)
    }

    func testMismatchedDecodeRateThrowsNamingBothRates() {
        let extractor = FeatureExtractor()
        let options = DecodeOptions(outputSampleRate: 44100)
        for call in [{ _ = try extractor.summarize(path: "/nonexistent.wav", decodeOptions: options) },
                     { _ = try extractor.frameFeatures(path: "/nonexistent.wav", decodeOptions: options) }] {
            XCTAssertThrowsError(try call()) { error in
                guard case let .invalidParameter(message)? = error as? DecodingError else {
                    return XCTFail("expected invalidParameter, got \(error)")
                }
                XCTAssertTrue(message.contains("44100") && message.contains("22050"), message)
            }
        }
    }
}
