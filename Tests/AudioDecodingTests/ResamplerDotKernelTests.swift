@testable import AudioDecoding
import XCTest

/// `Resampler.dot4` (pointer-advancing loop) against the index-based loop it
/// replaced: the same lanes and the same additions, so the same bits.
final class ResamplerDotKernelTests: XCTestCase {
    /// The earlier implementation, kept here as the reference.
    private static func referenceDot4(_ samples: UnsafePointer<Float>, stride: Int, _ coefficients: UnsafePointer<Float>,
                                      count: Int) -> [Float] {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        let raw = UnsafeRawPointer(samples)
        let weights = UnsafeRawPointer(coefficients)
        var tap = 0
        while tap + 8 <= count {
            let c = weights.loadUnaligned(fromByteOffset: tap * 4, as: SIMD8<Float>.self)
            a0 += c * raw.loadUnaligned(fromByteOffset: tap * 4, as: SIMD8<Float>.self)
            a1 += c * raw.loadUnaligned(fromByteOffset: (tap + stride) * 4, as: SIMD8<Float>.self)
            a2 += c * raw.loadUnaligned(fromByteOffset: (tap + 2 * stride) * 4, as: SIMD8<Float>.self)
            a3 += c * raw.loadUnaligned(fromByteOffset: (tap + 3 * stride) * 4, as: SIMD8<Float>.self)
            tap += 8
        }
        return [a0.sum(), a1.sum(), a2.sum(), a3.sum()]
    }

    /// Deterministic values in [-1, 1) (a linear congruential sequence).
    private static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
        }
    }

    func testDot4MatchesTheIndexedLoopBitForBit() {
        for taps in [8, 16, 104, 256] {
            for stride in [1, 2, 3, 7] {
                let samples = Self.values(taps + 3 * stride + 5, seed: UInt64(taps * 31 + stride))
                let coefficients = Self.values(taps, seed: UInt64(taps + 977))
                var output = [Float](repeating: .nan, count: 4)
                samples.withUnsafeBufferPointer { samples in
                    coefficients.withUnsafeBufferPointer { coefficients in
                        let expected = Self.referenceDot4(samples.baseAddress! + 2, stride: stride,
                                                          coefficients.baseAddress!, count: taps)
                        output.withUnsafeMutableBufferPointer { output in
                            Resampler.dot4(samples.baseAddress! + 2, stride: stride, coefficients.baseAddress!,
                                           count: taps, into: output.baseAddress!)
                        }
                        for lane in 0..<4 {
                            XCTAssertEqual(output[lane].bitPattern, expected[lane].bitPattern,
                                           "taps \(taps), stride \(stride), output \(lane): \(output[lane]) vs \(expected[lane])")
                        }
                    }
                }
            }
        }
    }

    func testDot4IsFourDotProducts() {
        // Analytic: all-ones coefficients give the sums of the four windows.
        let samples = (0..<64).map { Float($0) }
        let ones = [Float](repeating: 1, count: 16)
        var output = [Float](repeating: 0, count: 4)
        samples.withUnsafeBufferPointer { samples in
            ones.withUnsafeBufferPointer { ones in
                output.withUnsafeMutableBufferPointer {
                    Resampler.dot4(samples.baseAddress!, stride: 2, ones.baseAddress!, count: 16, into: $0.baseAddress!)
                }
            }
        }
        // Window w starts at 2w: the sum of 2w ..< 2w + 16 is 16 · 2w + 120.
        XCTAssertEqual(output, [120, 152, 184, 216])
    }
}
