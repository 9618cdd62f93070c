@testable import AudioDecoding
import TestSupport
import XCTest

final class ResamplerTests: XCTestCase {
    private func resample(_ samples: [Float], from inputRate: Int, to outputRate: Int, blockSize: Int = 4096) -> [Float] {
        var resampler = Resampler(inputRate: inputRate, outputRate: outputRate)
        var output: [Float] = []
        var start = 0
        samples.withUnsafeBufferPointer { all in
            while start < all.count {
                let end = min(start + blockSize, all.count)
                resampler.process(UnsafeBufferPointer(rebasing: all[start..<end]), into: &output)
                start = end
            }
        }
        resampler.finish(into: &output)
        return output
    }

    func testOneKilohertzPassesWithinATenthOfADecibel() {
        for inputRate in [44100, 48000, 96000, 8000, 16000, 192_000] {
            let tone = Signals.sine(frequency: 1000, seconds: 1, sampleRate: inputRate, amplitude: 0.5)
            let output = resample(tone, from: inputRate, to: 22050)
            let level = Signals.toneLevelDecibels(output, frequency: 1000, sampleRate: 22050)
            assertClose(level, 20 * log10(0.5), tolerance: 0.1, "1 kHz from \(inputRate) Hz")
        }
    }

    func testContentAboveTheNewNyquistIsAttenuatedBy60Decibels() {
        for (inputRate, frequency) in [(44100, 15000.0), (48000, 12000.0), (96000, 30000.0), (192_000, 50000.0)] {
            let tone = Signals.sine(frequency: frequency, seconds: 1, sampleRate: inputRate, amplitude: 0.5)
            let output = resample(tone, from: inputRate, to: 22050)
            // Where the tone would alias to.
            var aliased = frequency.truncatingRemainder(dividingBy: 22050)
            if aliased > 11025 { aliased = 22050 - aliased }
            let level = Signals.toneLevelDecibels(output, frequency: aliased, sampleRate: 22050)
            // Energy left anywhere, away from the clicks at the tone's abrupt start and end.
            let middle = output[(output.count / 8)..<(output.count * 7 / 8)]
            let rms = (middle.reduce(0) { $0 + Double($1 * $1) } / Double(middle.count)).squareRoot()
            XCTAssertLessThan(level - 20 * log10(0.5), -60, "\(frequency) Hz from \(inputRate) Hz aliases at \(level) dB")
            XCTAssertLessThan(20 * log10(max(rms * 2.squareRoot(), 1e-20)) - 20 * log10(0.5), -60,
                              "\(frequency) Hz from \(inputRate) Hz leaves energy")
        }
    }

    func testOutputLengthIsTheRatioRoundedUp() {
        for (inputRate, count) in [(44100, 44100), (48000, 12345), (8000, 1), (22050, 777), (96000, 3)] {
            let output = resample([Float](repeating: 0.1, count: count), from: inputRate, to: 22050)
            let expected = (count * 22050 + inputRate - 1) / inputRate
            XCTAssertEqual(output.count, expected, "\(count) samples at \(inputRate) Hz")
        }
    }

    func testBlockSizeDoesNotChangeTheResult() {
        let noise = Signals.noise(seconds: 0.5, sampleRate: 48000)
        let whole = resample(noise, from: 48000, to: 22050, blockSize: noise.count)
        for blockSize in [1, 7, 1000] {
            let blocked = resample(noise, from: 48000, to: 22050, blockSize: blockSize)
            XCTAssertEqual(blocked.count, whole.count, "block size \(blockSize)")
            XCTAssertTrue(blocked == whole, "block size \(blockSize): largest difference \(maximumDifference(blocked, whole))")
        }
    }

    func testEqualRatesPassSamplesThrough() {
        let noise = Signals.noise(seconds: 0.1)
        XCTAssertTrue(resample(noise, from: 22050, to: 22050) == noise)
    }

    func testDirectCurrentGainIsOne() {
        let output = resample([Float](repeating: 0.25, count: 48000), from: 48000, to: 22050)
        for value in output[2000..<20000] { XCTAssertEqual(value, 0.25, accuracy: 1e-4) }
    }
}
