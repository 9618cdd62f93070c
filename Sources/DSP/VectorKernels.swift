/// Small vector kernels shared by the resampler and the feature extractors.
///
/// Swift does not vectorise floating-point reductions on its own (it must keep
/// the order of additions), so these accumulate in several SIMD lanes
/// explicitly. Results differ from a sequential sum only by rounding.
/// They multiply and add separately: `addingProduct` becomes a libm `fmaf`
/// call per lane on a baseline x86-64 target without FMA, twenty times slower.
public enum VectorKernels {
    /// The dot product of `count` elements of `a` and `b`.
    ///
    /// - Complexity: O(`count`).
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var accumulator0 = SIMD8<Float>()
        var accumulator1 = SIMD8<Float>()
        var index = 0
        let rawA = UnsafeRawPointer(a)
        let rawB = UnsafeRawPointer(b)
        let stride = MemoryLayout<Float>.stride
        while index + 16 <= count {
            let a0 = rawA.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
            let b0 = rawB.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
            let a1 = rawA.loadUnaligned(fromByteOffset: (index + 8) * stride, as: SIMD8<Float>.self)
            let b1 = rawB.loadUnaligned(fromByteOffset: (index + 8) * stride, as: SIMD8<Float>.self)
            accumulator0 += a0 * b0
            accumulator1 += a1 * b1
            index += 16
        }
        if index + 8 <= count {
            let a0 = rawA.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
            let b0 = rawB.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
            accumulator0 += a0 * b0
            index += 8
        }
        var total = (accumulator0 + accumulator1).sum()
        while index < count {
            total += a[index] * b[index]
            index += 1
        }
        return total
    }

    /// The sum of `count` elements of `a`.
    @inlinable
    public static func sum(_ a: UnsafePointer<Float>, count: Int) -> Float {
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
    @inlinable
    public static func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
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
