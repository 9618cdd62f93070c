#if canImport(Glibc)
import Glibc
#endif

/// Small vector kernels shared by the resampler and the feature extractors.
///
/// Swift does not vectorise floating-point reductions on its own (it must keep
/// the order of additions), so these accumulate in several SIMD lanes
/// explicitly. Results differ from a sequential sum only by rounding.
/// They multiply and add separately: `addingProduct` becomes a libm `fmaf`
/// call per lane on a baseline x86-64 target without FMA, twenty times slower.
///
/// Debug builds are unoptimised (the package carries no unsafe flags, so
/// none can force `-O` here), and unoptimised SIMD types are about a hundred
/// times slower than optimised ones. There each kernel runs the same lanes as
/// plain Floats in a temporary buffer instead (`VectorKernels+Lanes.swift`):
/// the same additions in the same order, so bit for bit the same results
/// (`VectorKernelsTests` checks this), about five times faster unoptimised.
/// Release builds compile only the SIMD code.
public enum VectorKernels {
    /// The dot product of `count` elements of `a` and `b`.
    ///
    /// - Complexity: O(`count`).
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if DEBUG
        return laneDot(a, b, count: count)
        #else
        return simdDot(a, b, count: count)
        #endif
    }

    /// ``dot(_:_:count:)`` in SIMD8 registers.
    ///
    /// The pointers advance in place of index arithmetic (no overflow checks in
    /// the loop); lanes and order of additions are as ``laneDot(_:_:count:)``'s.
    @inlinable
    static func simdDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var accumulator0 = SIMD8<Float>()
        var accumulator1 = SIMD8<Float>()
        var rawA = UnsafeRawPointer(a)
        var rawB = UnsafeRawPointer(b)
        let vector = 8 * MemoryLayout<Float>.stride
        var remaining = count
        while remaining >= 16 {
            let a0 = rawA.loadUnaligned(as: SIMD8<Float>.self)
            let b0 = rawB.loadUnaligned(as: SIMD8<Float>.self)
            let a1 = rawA.loadUnaligned(fromByteOffset: vector, as: SIMD8<Float>.self)
            let b1 = rawB.loadUnaligned(fromByteOffset: vector, as: SIMD8<Float>.self)
            accumulator0 += a0 * b0
            accumulator1 += a1 * b1
            rawA += 2 * vector
            rawB += 2 * vector
            remaining &-= 16
        }
        if remaining >= 8 {
            let a0 = rawA.loadUnaligned(as: SIMD8<Float>.self)
            let b0 = rawB.loadUnaligned(as: SIMD8<Float>.self)
            accumulator0 += a0 * b0
            rawA += vector
            rawB += vector
            remaining &-= 8
        }
        var total = (accumulator0 + accumulator1).sum()
        let tailA = rawA.assumingMemoryBound(to: Float.self)
        let tailB = rawB.assumingMemoryBound(to: Float.self)
        var index = 0
        while index < remaining {
            total += tailA[index] * tailB[index]
            index &+= 1
        }
        return total
    }

    /// The sum of `count` elements of `a`.
    @inlinable
    public static func sum(_ a: UnsafePointer<Float>, count: Int) -> Float {
        #if DEBUG
        return laneSum(a, count: count)
        #else
        return simdSum(a, count: count)
        #endif
    }

    /// ``sum(_:count:)`` in SIMD8 registers.
    @inlinable
    static func simdSum(_ a: UnsafePointer<Float>, count: Int) -> Float {
        var accumulator = SIMD8<Float>()
        var index = 0
        let raw = UnsafeRawPointer(a)
        while index + 8 <= count {
            accumulator += raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
            index += 8
        }
        var total = accumulator.sum()
        while index < count {
            total += a[index]
            index += 1
        }
        return total
    }
}

extension VectorKernels {
    /// The squared Euclidean distance between `count` elements of `a` and `b`.
    @inlinable @inline(__always)
    public static func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if DEBUG
        return laneSquaredDistance(a, b, count: count)
        #else
        return simdSquaredDistance(a, b, count: count)
        #endif
    }

    /// ``squaredDistance(_:_:count:)`` in SIMD8 registers.
    @inlinable @inline(__always)
    static func simdSquaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var accumulator0 = SIMD8<Float>()
        var accumulator1 = SIMD8<Float>()
        var index = 0
        let rawA = UnsafeRawPointer(a)
        let rawB = UnsafeRawPointer(b)
        let stride = MemoryLayout<Float>.stride
        while index + 16 <= count {
            let d0 = rawA.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
                - rawB.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
            let d1 = rawA.loadUnaligned(fromByteOffset: (index + 8) * stride, as: SIMD8<Float>.self)
                - rawB.loadUnaligned(fromByteOffset: (index + 8) * stride, as: SIMD8<Float>.self)
            accumulator0 += d0 * d0
            accumulator1 += d1 * d1
            index += 16
        }
        if index + 8 <= count {
            let d0 = rawA.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
                - rawB.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
            accumulator0 += d0 * d0
            index += 8
        }
        var total = (accumulator0 + accumulator1).sum()
        while index < count {
            let difference = a[index] - b[index]
            total += difference * difference
            index += 1
        }
        return total
    }
}

extension VectorKernels {
    /// The natural logarithm of eight positive, normal floats.
    ///
    /// Splits each value into 2^e · m with m in [√½, √2), then
    /// ln m = 2 atanh((m − 1)/(m + 1)) by its odd series to z⁹; the
    /// relative error is below 1e-7, about one float ulp. Zero, negative,
    /// subnormal and non-finite inputs give meaningless results: clamp first.
    @inlinable
    public static func logarithm(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
        let shifted: SIMD8<Int32> = (bits &>> 23) & SIMD8<Int32>(repeating: 0xFF)
        var exponent = SIMD8<Float>(shifted) - SIMD8<Float>(repeating: 127)
        let mantissaBits: SIMD8<Int32> = (bits & SIMD8<Int32>(repeating: 0x007F_FFFF)) | SIMD8<Int32>(repeating: 0x3F80_0000)
        var mantissa = unsafeBitCast(mantissaBits, to: SIMD8<Float>.self)
        let large = mantissa .> SIMD8<Float>(repeating: 1.41421356)
        mantissa = mantissa.replacing(with: mantissa * SIMD8<Float>(repeating: 0.5), where: large)
        exponent = exponent.replacing(with: exponent + SIMD8<Float>(repeating: 1), where: large)
        let one = SIMD8<Float>(repeating: 1)
        let z: SIMD8<Float> = (mantissa - one) / (mantissa + one)
        let z2: SIMD8<Float> = z * z
        var series: SIMD8<Float> = SIMD8<Float>(repeating: 1.0 / 9)
        series = series * z2 + SIMD8<Float>(repeating: 1.0 / 7)
        series = series * z2 + SIMD8<Float>(repeating: 1.0 / 5)
        series = series * z2 + SIMD8<Float>(repeating: 1.0 / 3)
        series = series * z2 + one
        let logMantissa: SIMD8<Float> = SIMD8<Float>(repeating: 2) * z * series
        return exponent * SIMD8<Float>(repeating: 0.693147180559945) + logMantissa
    }

    /// `10 · log10(max(floor, x))` for `count` values, in place into `output`.
    @inlinable
    public static func decibels(_ input: UnsafePointer<Float>, count: Int, floor: Float,
                                into output: UnsafeMutablePointer<Float>) {
        #if DEBUG
        laneDecibels(input, count: count, floor: floor, into: output)
        #else
        simdDecibels(input, count: count, floor: floor, into: output)
        #endif
    }

    /// ``decibels(_:count:floor:into:)`` in SIMD8 registers.
    @inlinable
    static func simdDecibels(_ input: UnsafePointer<Float>, count: Int, floor: Float,
                             into output: UnsafeMutablePointer<Float>) {
        let scale: Float = 4.342944819032518    // 10 / ln 10
        let raw = UnsafeRawPointer(input)
        let target = UnsafeMutableRawPointer(output)
        let floorVector = SIMD8<Float>(repeating: floor)
        var index = 0
        while index + 8 <= count {
            let value = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            let clamped = value.replacing(with: floorVector, where: .!(value .>= floorVector))
            target.storeBytes(of: logarithm(clamped) * scale, toByteOffset: index * 4, as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            output[index] = 10 * Float(log10(Double(Swift.max(floor, input[index]))))
            index += 1
        }
    }

    /// Σ ln(max(floor, x)) over `count` values, accumulated per lane then in Double.
    @inlinable
    public static func sumOfLogarithms(_ input: UnsafePointer<Float>, count: Int, floor: Float) -> Double {
        #if DEBUG
        return laneSumOfLogarithms(input, count: count, floor: floor)
        #else
        return simdSumOfLogarithms(input, count: count, floor: floor)
        #endif
    }

    /// ``sumOfLogarithms(_:count:floor:)`` in SIMD8 registers.
    @inlinable
    static func simdSumOfLogarithms(_ input: UnsafePointer<Float>, count: Int, floor: Float) -> Double {
        let raw = UnsafeRawPointer(input)
        let floorVector = SIMD8<Float>(repeating: floor)
        var accumulator = SIMD8<Float>()
        var total = 0.0
        var index = 0
        var block = 0
        while index + 8 <= count {
            let value = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            accumulator += logarithm(value.replacing(with: floorVector, where: .!(value .>= floorVector)))
            index += 8
            block += 1
            if block == 16 {      // keep Float partial sums short
                for lane in 0..<8 { total += Double(accumulator[lane]) }
                accumulator = SIMD8<Float>()
                block = 0
            }
        }
        for lane in 0..<8 { total += Double(accumulator[lane]) }
        while index < count {
            total += log(Double(Swift.max(floor, input[index])))
            index += 1
        }
        return total
    }
}
