@testable import DSP
import Foundation
import TestSupport
import XCTest

/// The lane-by-lane kernels of debug builds give bit for bit what the SIMD kernels of release builds give.
///
/// Debug builds call the `lane…` functions, release builds the `simd…` ones
/// (`VectorKernels`), so a difference here would make a debug test pass on
/// numbers a release build never computes. Lengths cover every path: empty,
/// below, at and past 8 lanes and the 16-element step, and more than 16
/// blocks of 8 (where `sumOfLogarithms` flushes its Float lanes to Double).
/// Inputs start one element into their buffer, so loads are unaligned.
final class VectorKernelsLaneTests: XCTestCase {
    static let lengths = [0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 33, 127, 128, 129, 1000, 1031]

    /// Random values in `range`, one padding value first, with a few special values mixed in.
    static func data(_ count: Int, in range: ClosedRange<Float>, specials: [Float] = [], seed: UInt64) -> [Float] {
        var generator = VectorKernelsTests.Generator(state: seed)
        var values = (0..<count).map { _ in Float.random(in: range, using: &generator) }
        for (offset, special) in specials.enumerated() where count > 0 {
            values[(offset * 37) % count] = special
        }
        return [0] + values
    }

    func assertSameBits(_ simd: Float, _ lanes: Float, _ what: String, count: Int, line: UInt = #line) {
        XCTAssertEqual(simd.bitPattern, lanes.bitPattern, "\(what), \(count) values: SIMD \(simd), lanes \(lanes)", line: line)
    }

    func testDotSumAndSquaredDistanceMatchBitForBit() {
        for count in Self.lengths {
            let a = Self.data(count, in: -3...3, specials: [0, -0.0, 1e-30, 1e30], seed: UInt64(count) + 1)
            let b = Self.data(count, in: -3...3, specials: [1e-20], seed: UInt64(count) + 1000)
            a.withUnsafeBufferPointer { aBuffer in
                b.withUnsafeBufferPointer { bBuffer in
                    let x = aBuffer.baseAddress! + 1, y = bBuffer.baseAddress! + 1
                    assertSameBits(VectorKernels.simdDot(x, y, count: count), VectorKernels.laneDot(x, y, count: count),
                                   "dot", count: count)
                    assertSameBits(VectorKernels.simdSum(x, count: count), VectorKernels.laneSum(x, count: count),
                                   "sum", count: count)
                    assertSameBits(VectorKernels.simdSquaredDistance(x, y, count: count),
                                   VectorKernels.laneSquaredDistance(x, y, count: count), "squaredDistance", count: count)
                }
            }
        }
    }

    func testDecibelsAndSumOfLogarithmsMatchBitForBit() {
        let floor: Float = 1e-10
        for count in Self.lengths {
            // Powers over many octaves, with values at, below and around the floor, zero, negative and NaN.
            let exponents = Self.data(count, in: -12...6, seed: UInt64(count) + 7)
            var power = exponents.map { Float(pow(10, Double($0))) }
            for (offset, special) in [floor, floor / 2, 0, -1, .nan, 1.4142135, 1.4142137, 1].enumerated() where count > 0 {
                power[1 + (offset * 13) % count] = special
            }
            power.withUnsafeBufferPointer { buffer in
                let input = buffer.baseAddress! + 1
                var simd = [Float](repeating: -1, count: count), lanes = [Float](repeating: -2, count: count)
                simd.withUnsafeMutableBufferPointer { VectorKernels.simdDecibels(input, count: count, floor: floor, into: $0.baseAddress!) }
                lanes.withUnsafeMutableBufferPointer { VectorKernels.laneDecibels(input, count: count, floor: floor, into: $0.baseAddress!) }
                XCTAssertEqual(simd.map(\.bitPattern), lanes.map(\.bitPattern), "decibels, \(count) values")
                let simdSum = VectorKernels.simdSumOfLogarithms(input, count: count, floor: floor)
                let laneSum = VectorKernels.laneSumOfLogarithms(input, count: count, floor: floor)
                XCTAssertEqual(simdSum.bitPattern, laneSum.bitPattern, "sumOfLogarithms, \(count) values: \(simdSum) vs \(laneSum)")
            }
        }
    }

    /// One lane of the logarithm is that lane of the SIMD logarithm, across the mantissa split.
    func testLaneLogarithmIsOneLaneOfTheSIMDLogarithm() {
        let values: [Float] = [1e-30, 1e-10, 0.5, 0.7071067, 0.70710677, 1, 1.4142135, 1.4142137, 2, 3, 1000, 3.4e38,
                               0.1, 0.2, 0.3, 0.9, 1.1, 7.5]
        for start in Swift.stride(from: 0, to: values.count - 7, by: 1) {
            let vector = SIMD8<Float>(values[start..<(start + 8)])
            let simd = VectorKernels.logarithm(vector)
            for lane in 0..<8 {
                XCTAssertEqual(simd[lane].bitPattern, VectorKernels.laneLogarithm(vector[lane]).bitPattern, "ln \(vector[lane])")
            }
        }
    }
}
