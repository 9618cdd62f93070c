import DSP
import Foundation
import TestSupport
import XCTest

/// Each vector kernel against a plain scalar loop in Double on random data.
///
/// Lengths cover the empty vector, lengths below, at and just past the
/// 8-lane SIMD width and the 16-element unrolled step, and a long vector.
/// Inputs start one element into their buffer, so loads are unaligned.
/// Tolerances follow the usual bound for a Float sum of n terms,
/// n · ε · Σ|term| (ε = 2⁻²³), which the lane-wise sums stay well inside.
final class VectorKernelsTests: XCTestCase {
    static let lengths = [0, 1, 7, 8, 9, 15, 16, 17, 31, 1000]

    /// SplitMix64, so every run sees the same data.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// `count` values uniform in `range`, preceded by one padding value so the
    /// data starts at an odd offset.
    static func randomBuffer(_ count: Int, in range: ClosedRange<Float>, using generator: inout Generator) -> [Float] {
        [0] + (0..<count).map { _ in Float.random(in: range, using: &generator) }
    }

    /// The accuracy bound of a Float sum: n · ε · Σ|term|, plus a floor for n ≤ 1.
    static func sumTolerance(count: Int, magnitude: Double) -> Double {
        Double(max(count, 1)) * Double(Float.ulpOfOne) * magnitude + 1e-30
    }

    func testDotMatchesScalarLoop() {
        var generator = Generator(state: 1)
        for count in Self.lengths {
            let a = Self.randomBuffer(count, in: -2...2, using: &generator)
            let b = Self.randomBuffer(count, in: -2...2, using: &generator)
            var expected = 0.0, magnitude = 0.0
            for index in 1..<(count + 1) {
                expected += Double(a[index]) * Double(b[index])
                magnitude += abs(Double(a[index]) * Double(b[index]))
            }
            let result = a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in VectorKernels.dot(a.baseAddress! + 1, b.baseAddress! + 1, count: count) }
            }
            assertClose(Double(result), expected, tolerance: Self.sumTolerance(count: count, magnitude: magnitude),
                        "dot of \(count)")
        }
    }

    func testSumMatchesScalarLoop() {
        var generator = Generator(state: 2)
        for count in Self.lengths {
            let a = Self.randomBuffer(count, in: -5...5, using: &generator)
            var expected = 0.0, magnitude = 0.0
            for index in 1..<(count + 1) {
                expected += Double(a[index])
                magnitude += abs(Double(a[index]))
            }
            let result = a.withUnsafeBufferPointer { VectorKernels.sum($0.baseAddress! + 1, count: count) }
            assertClose(Double(result), expected, tolerance: Self.sumTolerance(count: count, magnitude: magnitude),
                        "sum of \(count)")
        }
    }

    func testSquaredDistanceMatchesScalarLoop() {
        var generator = Generator(state: 3)
        for count in Self.lengths {
            let a = Self.randomBuffer(count, in: -3...3, using: &generator)
            let b = Self.randomBuffer(count, in: -3...3, using: &generator)
            var expected = 0.0
            for index in 1..<(count + 1) {
                let difference = Double(a[index]) - Double(b[index])
                expected += difference * difference
            }
            let (result, reversed, toItself) = a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    (VectorKernels.squaredDistance(a.baseAddress! + 1, b.baseAddress! + 1, count: count),
                     VectorKernels.squaredDistance(b.baseAddress! + 1, a.baseAddress! + 1, count: count),
                     VectorKernels.squaredDistance(a.baseAddress! + 1, a.baseAddress! + 1, count: count))
                }
            }
            // Each difference is rounded to Float once, then squared: two more ε per term.
            assertClose(Double(result), expected, tolerance: Self.sumTolerance(count: count + 2, magnitude: expected),
                        "squared distance of \(count)")
            XCTAssertEqual(result, reversed, "squared distance of \(count) is symmetric")
            XCTAssertEqual(toItself, 0, "distance of a vector of \(count) to itself")
        }
    }

    /// `logarithm` against `log` in Double over positive normal floats from
    /// 1e-30 to 1e30, and exactly at powers of two and 1.
    func testLogarithmMatchesLog() {
        var generator = Generator(state: 4)
        var values: [Float] = [1, 2, 0.5, 1024, Float.leastNormalMagnitude, 1.41421356, 1.41421366, 0.70710677]
        values += (0..<2000).map { _ in Float(pow(10, Double.random(in: -30...30, using: &generator))) }
        values += (0..<1000).map { _ in Float.random(in: 0.5...2, using: &generator) }
        while values.count % 8 != 0 { values.append(1) }
        for start in stride(from: 0, to: values.count, by: 8) {
            let input = SIMD8<Float>(values[start..<(start + 8)])
            let output = VectorKernels.logarithm(input)
            for lane in 0..<8 {
                let expected = log(Double(input[lane]))
                // Relative error below about one Float ulp of the result, with
                // an absolute floor near x = 1 where ln x is near 0.
                assertClose(Double(output[lane]), expected, tolerance: 2 * Double(Float.ulpOfOne) * max(abs(expected), 0.5),
                            "ln \(input[lane])")
            }
        }
    }

    /// `decibels` against `10 · log10(max(floor, x))` in Double, for every
    /// length, with values below the floor, zeros and negatives mixed in.
    func testDecibelsMatchesScalarLoop() {
        var generator = Generator(state: 5)
        let floor: Float = 1e-10
        for count in Self.lengths {
            var input = Self.randomBuffer(count, in: 0...1, using: &generator)
            for index in stride(from: 1, to: input.count, by: 5) { input[index] = [0, -1, 1e-12, 3e5, 7][index % 5] }
            var output = [Float](repeating: .nan, count: count + 1)
            input.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { output in
                    VectorKernels.decibels(input.baseAddress! + 1, count: count, floor: floor, into: output.baseAddress! + 1)
                }
            }
            XCTAssertTrue(output[0].isNaN, "decibels of \(count) wrote before its output")
            for index in 1..<(count + 1) {
                let expected = 10 * log10(Double(max(floor, input[index])))
                assertClose(Double(output[index]), expected, tolerance: 1e-5 * max(abs(expected), 1),
                            "decibels of \(input[index]) (index \(index - 1) of \(count))")
            }
        }
    }

    /// `sumOfLogarithms` against Σ ln(max(floor, x)) in Double.
    func testSumOfLogarithmsMatchesScalarLoop() {
        var generator = Generator(state: 6)
        let floor: Float = 1e-6
        for count in Self.lengths + [128, 129, 5000] {
            var input = Self.randomBuffer(count, in: 0...10, using: &generator)
            for index in stride(from: 1, to: input.count, by: 7) { input[index] = index % 2 == 0 ? 0 : 1e-9 }
            var expected = 0.0, magnitude = 0.0
            for index in 1..<(count + 1) {
                let term = log(Double(max(floor, input[index])))
                expected += term
                magnitude += abs(term)
            }
            let result = input.withUnsafeBufferPointer {
                VectorKernels.sumOfLogarithms($0.baseAddress! + 1, count: count, floor: floor)
            }
            // Each logarithm is within about one Float ulp; the lanes add at most
            // sixteen terms in Float before the total moves to Double.
            assertClose(result, expected, tolerance: 20 * Double(Float.ulpOfOne) * magnitude + 1e-12,
                        "sum of logarithms of \(count)")
        }
    }
}
