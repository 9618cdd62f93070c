#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The vector kernels for unoptimised (debug) builds: the SIMD8 lanes as plain Floats.
///
/// Each function keeps the lanes of its SIMD twin in a small temporary
/// buffer and performs the same IEEE operations in the same order: lane `j`
/// of a SIMD8 accumulator is `lanes[j]`, a horizontal `sum()` is a left-to-right
/// addition of the lanes starting from −0, the tails are the same scalar
/// loops. The results are therefore bit for bit those of the SIMD code
/// (`VectorKernelsTests` compares them on every length class), while an
/// unoptimised build runs them about five times faster than unoptimised SIMD
/// types, whose every operation is a generic call.
extension VectorKernels {
    /// ``simdDot(_:_:count:)`` lane by lane.
    @usableFromInline
    static func laneDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { buffer in
            let lanes = buffer.baseAddress!         // lanes 0..<8: accumulator 0; 8..<16: accumulator 1
            lanes.initialize(repeating: 0, count: 16)
            var index = 0
            while index + 16 <= count {
                var lane = 0
                while lane < 16 {
                    lanes[lane] += a[index + lane] * b[index + lane]
                    lane += 1
                }
                index += 16
            }
            if index + 8 <= count {
                var lane = 0
                while lane < 8 {
                    lanes[lane] += a[index + lane] * b[index + lane]
                    lane += 1
                }
                index += 8
            }
            var total = horizontalSum(lanes)
            while index < count {
                total += a[index] * b[index]
                index += 1
            }
            return total
        }
    }

    /// ``simdSum(_:count:)`` lane by lane.
    @usableFromInline
    static func laneSum(_ a: UnsafePointer<Float>, count: Int) -> Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 8) { buffer in
            let lanes = buffer.baseAddress!
            lanes.initialize(repeating: 0, count: 8)
            var index = 0
            while index + 8 <= count {
                var lane = 0
                while lane < 8 {
                    lanes[lane] += a[index + lane]
                    lane += 1
                }
                index += 8
            }
            var total: Float = -0.0
            var lane = 0
            while lane < 8 {
                total += lanes[lane]
                lane += 1
            }
            while index < count {
                total += a[index]
                index += 1
            }
            return total
        }
    }

    /// ``simdSquaredDistance(_:_:count:)`` lane by lane.
    @usableFromInline
    static func laneSquaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { buffer in
            let lanes = buffer.baseAddress!
            lanes.initialize(repeating: 0, count: 16)
            var index = 0
            while index + 16 <= count {
                var lane = 0
                while lane < 16 {
                    let difference = a[index + lane] - b[index + lane]
                    lanes[lane] += difference * difference
                    lane += 1
                }
                index += 16
            }
            if index + 8 <= count {
                var lane = 0
                while lane < 8 {
                    let difference = a[index + lane] - b[index + lane]
                    lanes[lane] += difference * difference
                    lane += 1
                }
                index += 8
            }
            var total = horizontalSum(lanes)
            while index < count {
                let difference = a[index] - b[index]
                total += difference * difference
                index += 1
            }
            return total
        }
    }

    /// `(accumulator0 + accumulator1).sum()` for two SIMD8 accumulators held in `lanes[0..<16]`.
    @usableFromInline
    static func horizontalSum(_ lanes: UnsafeMutablePointer<Float>) -> Float {
        var total: Float = -0.0
        var lane = 0
        while lane < 8 {
            total += lanes[lane] + lanes[lane + 8]
            lane += 1
        }
        return total
    }

    /// One lane of ``logarithm(_:)``: the same splitting and series, on one Float.
    @usableFromInline
    static func laneLogarithm(_ x: Float) -> Float {
        let bits = Int32(bitPattern: x.bitPattern)
        var exponent = Float((bits &>> 23) & 0xFF) - 127
        var mantissa = Float(bitPattern: UInt32(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000))
        if mantissa > 1.41421356 {
            mantissa = mantissa * 0.5
            exponent = exponent + 1
        }
        let z: Float = (mantissa - 1) / (mantissa + 1)
        let z2: Float = z * z
        var series: Float = 1.0 / 9
        series = series * z2 + 1.0 / 7
        series = series * z2 + 1.0 / 5
        series = series * z2 + 1.0 / 3
        series = series * z2 + 1
        let logMantissa: Float = 2 * z * series
        return exponent * 0.693147180559945 + logMantissa
    }

    /// ``simdDecibels(_:count:floor:into:)`` lane by lane.
    @usableFromInline
    static func laneDecibels(_ input: UnsafePointer<Float>, count: Int, floor: Float,
                             into output: UnsafeMutablePointer<Float>) {
        let scale: Float = 4.342944819032518    // 10 / ln 10
        var index = 0
        while index + 8 <= count {
            var lane = 0
            while lane < 8 {
                let value = input[index + lane]
                output[index + lane] = laneLogarithm(value >= floor ? value : floor) * scale
                lane += 1
            }
            index += 8
        }
        while index < count {
            output[index] = 10 * Float(log10(Double(Swift.max(floor, input[index]))))
            index += 1
        }
    }

    /// ``simdSumOfLogarithms(_:count:floor:)`` lane by lane.
    @usableFromInline
    static func laneSumOfLogarithms(_ input: UnsafePointer<Float>, count: Int, floor: Float) -> Double {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 8) { buffer in
            let lanes = buffer.baseAddress!
            lanes.initialize(repeating: 0, count: 8)
            var total = 0.0
            var index = 0
            var block = 0
            while index + 8 <= count {
                var lane = 0
                while lane < 8 {
                    let value = input[index + lane]
                    lanes[lane] += laneLogarithm(value >= floor ? value : floor)
                    lane += 1
                }
                index += 8
                block += 1
                if block == 16 {      // keep Float partial sums short, as the SIMD code does
                    lane = 0
                    while lane < 8 {
                        total += Double(lanes[lane])
                        lanes[lane] = 0
                        lane += 1
                    }
                    block = 0
                }
            }
            var lane = 0
            while lane < 8 {
                total += Double(lanes[lane])
                lane += 1
            }
            while index < count {
                total += log(Double(Swift.max(floor, input[index])))
                index += 1
            }
            return total
        }
    }
}
