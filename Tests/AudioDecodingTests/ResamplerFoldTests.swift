@testable import AudioDecoding
import TestSupport
import XCTest

/// The folded form of the 44.1 → 22.05 kHz decimation filter: same design,
/// half the multiplies, the same output up to float rounding.
final class ResamplerFoldTests: XCTestCase {
    private let halving = Resampler(inputRate: 44100, outputRate: 22050)

    private func resample(_ resampler: Resampler, _ samples: [Float], blockSize: Int) -> [Float] {
        var resampler = resampler
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

    /// The unfolded filter, output by output: the plain dot product of the whole
    /// branch with each window (zero history before the signal, zeros after it).
    private func reference(_ samples: [Float]) -> [Float] {
        let taps = halving.tapsPerPhase
        let padded = [Float](repeating: 0, count: taps) + samples + [Float](repeating: 0, count: taps + 1)
        let total = (samples.count + 1) / 2
        return (0..<total).map { index in
            let oldest = index * 2 + halving.centre - taps + 1 + taps
            var sum = 0.0
            for tap in 0..<taps { sum += Double(halving.phases[tap]) * Double(padded[oldest + tap]) }
            return Float(sum)
        }
    }

    func testHalvingFilterIsFolded() throws {
        let fold = try XCTUnwrap(halving.fold, "the 44.1 → 22.05 kHz branch should be exactly symmetric")
        XCTAssertLessThan(fold.weights.count, halving.tapsPerPhase, "folding should cut the multiplies")
        XCTAssertEqual(fold.weights.count % 8, 0)
        // Weights plus their mirrors (the centre counted once) give the unit DC gain back.
        let half = (halving.tapsPerPhase - fold.lead - 1) / 2
        let gain = fold.weights.prefix(half).reduce(0.0) { $0 + 2 * Double($1) } + 2 * Double(fold.weights[half])
        XCTAssertEqual(gain, 1, accuracy: 1e-5)
    }

    func testAsymmetricBranchIsNotFolded() {
        var branch = [Float](repeating: 0, count: 16)
        for index in 5..<16 { branch[index] = Float(index) }
        XCTAssertNil(Resampler.SymmetricFold(branch: branch, length: 11))
    }

    func testFoldedOutputMatchesTheUnfoldedFilter() {
        let noise = Signals.noise(seconds: 0.5, sampleRate: 44100)
        let folded = resample(halving, noise, blockSize: 4096)
        let expected = reference(noise)
        XCTAssertEqual(folded.count, expected.count)
        var largest: Float = 0
        for (a, b) in zip(folded, expected) { largest = max(largest, abs(a - b)) }
        XCTAssertLessThan(largest, 1e-5, "largest difference from the unfolded filter")
        XCTAssertGreaterThan(expected.map(abs).max() ?? 0, 0.1, "the reference should not be silent")
    }

    func testBlockSizeDoesNotChangeTheFoldedResult() {
        let noise = Signals.noise(seconds: 0.3, sampleRate: 44100)
        let whole = resample(halving, noise, blockSize: noise.count)
        for blockSize in [1, 7, 1000, 5001] {
            let blocked = resample(halving, noise, blockSize: blockSize)
            XCTAssertEqual(blocked.count, whole.count, "block size \(blockSize)")
            XCTAssertTrue(blocked == whole, "block size \(blockSize)")
        }
    }

    func testFoldedDot4IsFourFoldedDots() {
        let samples = (0..<200).map { Float(($0 * 37) % 101) / 50 - 1 }
        let reversed = Array(samples.reversed())
        let weights = (0..<24).map { Float($0 % 7) / 10 - 0.3 }
        var four = [Float](repeating: .nan, count: 4)
        samples.withUnsafeBufferPointer { forward in
            reversed.withUnsafeBufferPointer { mirrored in
                weights.withUnsafeBufferPointer { weights in
                    four.withUnsafeMutableBufferPointer {
                        Resampler.foldedDot4(forward.baseAddress! + 3, mirrored.baseAddress! + 100, stride: 2,
                                             weights.baseAddress!, count: 24, into: $0.baseAddress!)
                    }
                    for output in 0..<4 {
                        let one = Resampler.foldedDot(forward.baseAddress! + 3 + 2 * output,
                                                      mirrored.baseAddress! + 100 - 2 * output,
                                                      weights.baseAddress!, count: 24)
                        XCTAssertEqual(four[output].bitPattern, one.bitPattern, "output \(output)")
                        var sum = 0.0
                        for m in 0..<24 {
                            sum += Double(weights[m]) * (Double(samples[3 + 2 * output + m])
                                                         + Double(reversed[100 - 2 * output + m]))
                        }
                        XCTAssertEqual(Double(one), sum, accuracy: 1e-5)
                    }
                }
            }
        }
    }
}
