/// Reductions of the spectral-shape features (bandwidth, flatness), in SIMD
/// lanes with a lane-by-lane twin for debug builds, as in ``VectorKernels``.
extension VectorKernels {
    /// Σ weight · (value − centre)² over `count` elements: librosa's
    /// `spectral_bandwidth(p=2)` numerator, with `weights` a magnitude spectrum
    /// and `values` the bin frequencies.
    ///
    /// - Complexity: O(`count`).
    @inlinable
    public static func weightedSquaredDeviation(_ weights: UnsafePointer<Float>, _ values: UnsafePointer<Float>,
                                                around centre: Float, count: Int) -> Float {
        #if DEBUG
        return laneWeightedSquaredDeviation(weights, values, around: centre, count: count)
        #else
        return simdWeightedSquaredDeviation(weights, values, around: centre, count: count)
        #endif
    }

    /// ``weightedSquaredDeviation(_:_:around:count:)`` in two SIMD8 accumulators.
    @inlinable
    static func simdWeightedSquaredDeviation(_ weights: UnsafePointer<Float>, _ values: UnsafePointer<Float>,
                                             around centre: Float, count: Int) -> Float {
        let rawWeights = UnsafeRawPointer(weights)
        let rawValues = UnsafeRawPointer(values)
        let centreVector = SIMD8<Float>(repeating: centre)
        var accumulator0 = SIMD8<Float>()
        var accumulator1 = SIMD8<Float>()
        var index = 0
        while index + 16 <= count {
            let deviation0 = rawValues.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self) - centreVector
            let deviation1 = rawValues.loadUnaligned(fromByteOffset: index * 4 + 32, as: SIMD8<Float>.self) - centreVector
            accumulator0 += rawWeights.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
                * deviation0 * deviation0
            accumulator1 += rawWeights.loadUnaligned(fromByteOffset: index * 4 + 32, as: SIMD8<Float>.self)
                * deviation1 * deviation1
            index += 16
        }
        var total = (accumulator0 + accumulator1).sum()
        while index < count {
            let deviation = values[index] - centre
            total += weights[index] * deviation * deviation
            index += 1
        }
        return total
    }

    /// ``simdWeightedSquaredDeviation(_:_:around:count:)`` lane by lane: the same operations in the same order.
    @usableFromInline
    static func laneWeightedSquaredDeviation(_ weights: UnsafePointer<Float>, _ values: UnsafePointer<Float>,
                                             around centre: Float, count: Int) -> Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { buffer in
            let lanes = buffer.baseAddress!
            lanes.initialize(repeating: 0, count: 16)
            var index = 0
            while index + 16 <= count {
                var lane = 0
                while lane < 16 {
                    let deviation = values[index + lane] - centre
                    lanes[lane] += weights[index + lane] * deviation * deviation
                    lane += 1
                }
                index += 16
            }
            var total = horizontalSum(lanes)
            while index < count {
                let deviation = values[index] - centre
                total += weights[index] * deviation * deviation
                index += 1
            }
            return total
        }
    }

    /// Σ max(floor, x) over `count` values, in Double: librosa's
    /// `spectral_flatness` denominator (its arithmetic mean).
    ///
    /// - Complexity: O(`count`).
    @inlinable
    public static func sumOfFloored(_ input: UnsafePointer<Float>, count: Int, floor: Float) -> Double {
        #if DEBUG
        return laneSumOfFloored(input, count: count, floor: floor)
        #else
        return simdSumOfFloored(input, count: count, floor: floor)
        #endif
    }

    /// ``sumOfFloored(_:count:floor:)`` in two SIMD4<Double> accumulators.
    @inlinable
    static func simdSumOfFloored(_ input: UnsafePointer<Float>, count: Int, floor: Float) -> Double {
        let raw = UnsafeRawPointer(input)
        let floorVector = SIMD4<Float>(repeating: floor)
        var accumulator0 = SIMD4<Double>()
        var accumulator1 = SIMD4<Double>()
        var index = 0
        while index + 8 <= count {
            let low = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD4<Float>.self)
            let high = raw.loadUnaligned(fromByteOffset: index * 4 + 16, as: SIMD4<Float>.self)
            accumulator0 += SIMD4<Double>(low.replacing(with: floorVector, where: .!(low .>= floorVector)))
            accumulator1 += SIMD4<Double>(high.replacing(with: floorVector, where: .!(high .>= floorVector)))
            index += 8
        }
        var total = (accumulator0 + accumulator1).sum()
        while index < count {
            total += Double(Swift.max(floor, input[index]))
            index += 1
        }
        return total
    }

    /// ``simdSumOfFloored(_:count:floor:)`` lane by lane: the same operations in the same order.
    @usableFromInline
    static func laneSumOfFloored(_ input: UnsafePointer<Float>, count: Int, floor: Float) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 8) { buffer in
            let lanes = buffer.baseAddress!         // lanes 0..<4: accumulator 0; 4..<8: accumulator 1
            lanes.initialize(repeating: 0, count: 8)
            var index = 0
            while index + 8 <= count {
                var lane = 0
                while lane < 8 {
                    let value = input[index + lane]
                    lanes[lane] += Double(value >= floor ? value : floor)
                    lane += 1
                }
                index += 8
            }
            var total: Double = -0.0
            var lane = 0
            while lane < 4 {
                total += lanes[lane] + lanes[lane + 4]
                lane += 1
            }
            while index < count {
                total += Double(Swift.max(floor, input[index]))
                index += 1
            }
            return total
        }
    }
}
