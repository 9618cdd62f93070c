@testable import AudioDecoding
import TestSupport
import XCTest

/// The steep design the musicnn front end uses (22,050 → 16,000 Hz), and
/// skipping outputs a consumer does not need.
final class ResamplerQualityTests: XCTestCase {
    private func steep(_ samples: [Float]) -> [Float] {
        var resampler = Resampler(inputRate: 22050, outputRate: 16000, quality: .steep)
        var output: [Float] = []
        samples.withUnsafeBufferPointer { resampler.process($0, into: &output) }
        resampler.finish(into: &output)
        return output
    }

    /// Passband flat to 0.9 of the new Nyquist frequency (7.2 kHz): within 0.01 dB.
    func testSteepPassbandIsFlatTo7200Hertz() {
        for frequency in [1000.0, 5000.0, 7200.0] {
            let output = steep(Signals.sine(frequency: frequency, seconds: 1, sampleRate: 22050, amplitude: 0.5))
            let level = Signals.toneLevelDecibels(Array(output[2000..<14000]), frequency: frequency, sampleRate: 16000)
            assertClose(level, 20 * log10(0.5), tolerance: 0.01, "\(frequency) Hz")
        }
    }

    /// Above the new Nyquist frequency (8 kHz) everything is attenuated by more than 100 dB,
    /// where the standard design only promises 65 dB.
    func testSteepStopbandIsDeeperThan100Decibels() {
        for frequency in [8300.0, 9000.0, 10500.0] {
            let output = steep(Signals.sine(frequency: frequency, seconds: 1, sampleRate: 22050, amplitude: 0.5))
            let middle = output[(output.count / 8)..<(output.count * 7 / 8)]
            let rms = (middle.reduce(0) { $0 + Double($1 * $1) } / Double(middle.count)).squareRoot()
            XCTAssertLessThan(20 * log10(max(rms * 2.squareRoot(), 1e-20)) - 20 * log10(0.5), -100, "\(frequency) Hz")
        }
        let standard = Resampler(inputRate: 22050, outputRate: 16000)
        let sharp = Resampler(inputRate: 22050, outputRate: 16000, quality: .steep)
        XCTAssertGreaterThan(sharp.tapsPerPhase, 3 * standard.tapsPerPhase)
    }

    /// Outputs after a skip are exactly those the unskipped stream has at the same indices,
    /// block by block, also when the skip runs ahead of the input; the total count is unchanged.
    func testSkippedStreamResumesExactly() {
        let noise = Signals.noise(seconds: 3, sampleRate: 22050)
        let whole = steep(noise)
        for (skipAt, skipTo) in [(0, 10_000), (4096, 30_000), (8192, 9_000)] {
            var resampler = Resampler(inputRate: 22050, outputRate: 16000, quality: .steep)
            var collected: [(index: Int, value: Float)] = []
            var start = 0
            while start < noise.count {
                if start == skipAt { resampler.skipOutputs(to: skipTo) }
                let first = resampler.nextOutputIndex
                var output: [Float] = []
                let end = min(start + 4096, noise.count)
                noise.withUnsafeBufferPointer { resampler.process(UnsafeBufferPointer(rebasing: $0[start..<end]), into: &output) }
                collected += output.enumerated().map { (first + $0.offset, $0.element) }
                start = end
            }
            let first = resampler.nextOutputIndex
            var tail: [Float] = []
            resampler.finish(into: &tail)
            collected += tail.enumerated().map { (first + $0.offset, $0.element) }
            XCTAssertEqual(resampler.totalOutputCount, whole.count)
            XCTAssertEqual(collected.last?.index, whole.count - 1)
            XCTAssertTrue(collected.allSatisfy { $0.index >= skipTo || $0.index < skipAt * 16000 / 22050 + 1 })
            XCTAssertTrue(collected.allSatisfy { whole[$0.index] == $0.value }, "skip at \(skipAt) to \(skipTo)")
            XCTAssertGreaterThan(collected.filter { $0.index >= skipTo }.count, whole.count - skipTo - 1)
        }
    }

    /// A skip past the end appends nothing more and keeps the total.
    func testSkipPastTheEnd() {
        var resampler = Resampler(inputRate: 22050, outputRate: 16000, quality: .steep)
        var output: [Float] = []
        let noise = Signals.noise(seconds: 1, sampleRate: 22050)
        resampler.skipOutputs(to: .max)
        noise.withUnsafeBufferPointer { resampler.process($0, into: &output) }
        resampler.finish(into: &output)
        XCTAssertEqual(output, [])
        XCTAssertEqual(resampler.totalOutputCount, 16000)
    }
}
