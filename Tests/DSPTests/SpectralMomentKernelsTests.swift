@testable import DSP
import Foundation
import XCTest

/// `weightedSquaredDeviation` and `sumOfFloored` against plain Double loops,
/// and their SIMD and lane-by-lane (debug) forms against each other, bit for bit.
final class SpectralMomentKernelsTests: XCTestCase {
    static let lengths = [0, 1, 7, 8, 9, 15, 16, 17, 31, 1025]

    /// `count` values from a fixed linear congruential sequence in `range`, after one
    /// padding value (so loads start unaligned).
    static func data(_ count: Int, in range: ClosedRange<Float>, seed: UInt64) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return [0] + (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let unit = Float(state >> 40) / Float(1 << 24)
            return range.lowerBound + unit * (range.upperBound - range.lowerBound)
        }
    }

    func testWeightedSquaredDeviationMatchesDoubleLoop() {
        for count in Self.lengths {
            let weights = Self.data(count, in: 0...2, seed: UInt64(count) + 1)
            let frequencies = (0..<(count + 1)).map { Float($0 - 1) * 10.766602 }
            let centre: Float = 2_345.5
            var expected = 0.0, magnitude = 0.0
            for index in 1..<(count + 1) {
                let deviation = Double(frequencies[index]) - Double(centre)
                expected += Double(weights[index]) * deviation * deviation
                magnitude += abs(Double(weights[index]) * deviation * deviation)
            }
            let (simd, lanes) = weights.withUnsafeBufferPointer { w in
                frequencies.withUnsafeBufferPointer { f in
                    (VectorKernels.simdWeightedSquaredDeviation(w.baseAddress! + 1, f.baseAddress! + 1,
                                                                around: centre, count: count),
                     VectorKernels.laneWeightedSquaredDeviation(w.baseAddress! + 1, f.baseAddress! + 1,
                                                                around: centre, count: count))
                }
            }
            // n · ε · Σ|term|, plus a few ulps per term for the products.
            let tolerance = Double(count + 4) * Double(Float.ulpOfOne) * magnitude + 1e-30
            XCTAssertEqual(Double(simd), expected, accuracy: tolerance, "\(count) values")
            XCTAssertEqual(simd.bitPattern, lanes.bitPattern, "\(count) values: SIMD \(simd), lanes \(lanes)")
        }
    }

    func testSumOfFlooredMatchesDoubleLoop() {
        let floor: Float = 1e-10
        for count in Self.lengths {
            var power = Self.data(count, in: 0...5, seed: UInt64(count) + 99)
            for (offset, special) in [Float(0), -1, .nan, 1e-12, floor].enumerated() where count > 0 {
                power[1 + (offset * 7) % count] = special
            }
            var expected = 0.0
            for index in 1..<(count + 1) { expected += Double(max(floor, power[index])) }
            let (simd, lanes) = power.withUnsafeBufferPointer {
                (VectorKernels.simdSumOfFloored($0.baseAddress! + 1, count: count, floor: floor),
                 VectorKernels.laneSumOfFloored($0.baseAddress! + 1, count: count, floor: floor))
            }
            XCTAssertFalse(simd.isNaN, "\(count) values: NaN must count as the floor")
            XCTAssertEqual(simd, expected, accuracy: 1e-12 * max(expected, 1), "\(count) values")
            XCTAssertEqual(simd.bitPattern, lanes.bitPattern, "\(count) values: SIMD \(simd), lanes \(lanes)")
        }
    }
}
