import AudioDecoding
@testable import Features
import TestSupport
import XCTest

/// Features of signals whose answers are known without a reference tool.
final class AnalyticFeatureTests: XCTestCase {
    let extractor = FeatureExtractor()

    private func middleMean(_ column: [Float]) -> Float {
        let middle = column[(column.count / 4)..<(column.count * 3 / 4)]
        return middle.reduce(0, +) / Float(middle.count)
    }

    func testPureA4GivesPitchClassA() {
        let features = extractor.frameFeatures(samples: Signals.sine(frequency: 440, seconds: 2))
        let means = (0..<12).map { middleMean(features.column(FrameFeatureNames.chromaOffset + $0)) }
        let strongest = means.indices.max { means[$0] < means[$1] }!
        XCTAssertEqual(FrameFeatureNames.pitchClasses[strongest], "A")
        XCTAssertEqual(means[strongest], 1, accuracy: 1e-6)
    }

    func testEveryPitchClassIsFoundFromItsTone() {
        for semitone in 0..<12 {
            // C4 = 261.63 Hz and up.
            let frequency = 261.6255653 * pow(2, Double(semitone) / 12)
            let features = extractor.frameFeatures(samples: Signals.sine(frequency: frequency, seconds: 1))
            let means = (0..<12).map { middleMean(features.column(FrameFeatureNames.chromaOffset + $0)) }
            XCTAssertEqual(means.indices.max { means[$0] < means[$1] }, semitone, "\(frequency) Hz")
        }
    }

    func testSineCentroidSitsAtItsFrequency() {
        for frequency in [250.0, 1000, 3000, 6000] {
            let features = extractor.frameFeatures(samples: Signals.sine(frequency: frequency, seconds: 1))
            // Within one FFT bin (10.8 Hz): the Hann main lobe is symmetric about the tone.
            assertClose(Double(middleMean(features.column(FrameFeatureNames.centroid))), frequency, tolerance: 10.8,
                        "centroid of \(frequency) Hz")
            assertClose(Double(middleMean(features.column(FrameFeatureNames.rolloff))), frequency, tolerance: 21.6,
                        "rolloff of \(frequency) Hz")
        }
    }

    func testSineRMSIsAmplitudeOverRootTwo() {
        let features = extractor.frameFeatures(samples: Signals.sine(frequency: 440, seconds: 1, amplitude: 0.5))
        assertClose(Double(middleMean(features.column(FrameFeatureNames.rms))), 0.5 / 2.squareRoot(), tolerance: 1e-3)
    }

    func testSineZeroCrossingRateIsTwiceItsFrequency() {
        let features = extractor.frameFeatures(samples: Signals.sine(frequency: 1000, seconds: 1))
        // 2000 crossings per second = 2000 / 22050 per sample.
        assertClose(Double(middleMean(features.column(FrameFeatureNames.zcr))), 2000.0 / 22050, tolerance: 1.0 / 2048)
    }

    func testWhiteNoiseIsFlatAndSineIsNot() {
        let noise = extractor.frameFeatures(samples: Signals.noise(seconds: 1))
        let sine = extractor.frameFeatures(samples: Signals.sine(frequency: 1000, seconds: 1))
        // Flatness of white noise's periodogram is e^-γ ≈ 0.56 in expectation.
        assertClose(Double(middleMean(noise.column(FrameFeatureNames.flatness))), 0.5615, tolerance: 0.05)
        XCTAssertLessThan(middleMean(sine.column(FrameFeatureNames.flatness)), 1e-3)
    }

    func testSilenceGivesFiniteValues() {
        let features = extractor.frameFeatures(samples: Signals.silence(seconds: 2))
        XCTAssertTrue(features.values.allSatisfy(\.isFinite))
        XCTAssertEqual(features.column(FrameFeatureNames.rms).max(), 0)
        let (summary, tempo) = extractor.summarize(samples: Signals.silence(seconds: 2))
        XCTAssertTrue(summary.values.allSatisfy(\.isFinite))
        XCTAssertEqual(tempo.bpm, 0)
        XCTAssertEqual(summary[.silentFraction], 1)
    }

    func testFrameCountFollowsCentredFraming() {
        for count in [2048, 2049, 22050, 22050 + 511, 22050 + 512] {
            let features = extractor.frameFeatures(samples: [Float](repeating: 0.1, count: count))
            XCTAssertEqual(features.frameCount, 1 + count / 512, "\(count) samples")
        }
    }

    func testStreamingSummaryAgreesWithFrameLevelFeatures() {
        let samples = Signals.sine(frequency: 80, seconds: 0.5, amplitude: 0.9) + Signals.drumLoop(bpm: 120, seconds: 6)
        let matrix = extractor.frameFeatures(samples: samples)
        let (summary, _) = extractor.summarize(samples: samples)
        for column in FrameFeatureColumn.all {
            let name = column.name
            let values = matrix.column(column).map(Double.init)
            let mean = values.reduce(0, +) / Double(values.count)
            let deviation = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
            // MFCC, onset and contrast depend on the 80 dB floor, which streaming takes from the loudest
            // frame so far rather than the whole track's (MelDecibelFloor): only the frames
            // before the peak differ. Everything else must agree to rounding.
            let floorDependent = [.mfcc, .onset, .contrast].contains(column.kind)
            var tolerance = floorDependent ? 0.05 * max(deviation, 1) : 1e-4 * max(abs(mean), deviation, 1e-3)
            if column.kind == .contrast { tolerance = 0.5 }   // dB; valleys reach their floor late here
            assertClose(Double(summary[.mean(column)]), mean, tolerance: tolerance, "\(name)_mean")
            assertClose(Double(summary[.standardDeviation(column)]), deviation, tolerance: tolerance, "\(name)_std")
        }
    }

    func testSummaryNamesEveryDimension() {
        XCTAssertEqual(SongSummary.names.count, 2 * FrameFeatureNames.count + 3)
        XCTAssertEqual(Set(SongSummary.names).count, SongSummary.names.count)
        let (summary, _) = extractor.summarize(samples: Signals.noise(seconds: 1))
        XCTAssertEqual(summary.values.count, SongSummary.names.count)
        XCTAssertEqual(summary.version, SongSummary.version)
    }

    func testBlockBoundariesDoNotChangeFeatures() throws {
        // The file path streams in 16384-frame blocks at 44.1 kHz; the same audio written at
        // 22050 Hz and decoded in one block must give identical frames.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let samples = Signals.drumLoop(bpm: 100, seconds: 3)
        let path = directory.file("loop.wav")
        try AudioFileWriter.write(samples, to: path, sampleRate: 22050)
        let streamed = try extractor.frameFeatures(path: path, decodeOptions: DecodeOptions(blockFrameCount: 1000)).features
        let direct = extractor.frameFeatures(samples: samples)
        XCTAssertEqual(streamed.frameCount, direct.frameCount)
        XCTAssertTrue(streamed.values == direct.values, "largest difference \(maximumDifference(streamed.values, direct.values))")
    }
}
