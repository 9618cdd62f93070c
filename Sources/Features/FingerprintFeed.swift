/// What a ``Fingerprinter`` hands Chromaprint: the analysis decode's mono `Float` blocks as 16-bit
/// samples, halved in rate when they come at twice Chromaprint's 11,025 Hz.
///
/// Chromaprint's default algorithm works at 11,025 Hz; fed the analysis rate (22,050 Hz) it would
/// run its own resampler. Halving here instead takes one 7-tap half-band low-pass,
/// (−1, 0, 9, 16, 9, 0, −1) / 32, evaluated only at the kept (even) samples and only on its five
/// non-zero taps: flat to 2 kHz within 0.1 dB (Chromaprint's chroma reaches 3.5 kHz, −0.9 dB
/// there), −6 dB at the new Nyquist. The filter's window spans block boundaries, so any split of
/// a signal into blocks gives the same samples. Non-finite input reads as 0; output is rounded half
/// away from zero and clipped to the 16-bit range.
///
/// Every buffer is kept and reused from block to block and track to track, and the inner loops
/// work on raw buffers: per input sample the cost is one copy, and per kept sample five
/// multiply-adds and a rounding.
struct FingerprintFeed {
    /// The half-band filter's taps, newest sample first.
    static let halfBandTaps: [Float] = [-1, 0, 9, 16, 9, 0, -1].map { $0 / 32 }
    /// Input samples the filter looks back over.
    static let reach = halfBandTaps.count - 1

    /// Whether every other sample is dropped after the filter (input at twice Chromaprint's rate).
    private(set) var halving: Bool
    /// The 16-bit samples of the last ``convert(_:)``, in its first `count` places.
    private(set) var output: [Int16] = []
    /// The last ``reach`` input samples, finite, oldest first, then room for one block.
    private var window: [Float]
    /// Whether the next input sample is an even one (kept after filtering).
    private var evenPhase = true

    /// A feed for a new track.
    ///
    /// - Parameter halving: whether to filter and keep every other sample (22,050 → 11,025 Hz).
    init(halving: Bool) {
        self.halving = halving
        window = [Float](repeating: 0, count: Self.reach)
    }

    /// Starts a new track: the filter forgets the last track's samples; buffers are kept.
    mutating func reset(halving: Bool) {
        self.halving = halving
        evenPhase = true
        window.withUnsafeMutableBufferPointer { all in
            for index in 0..<Self.reach { all[index] = 0 }
        }
    }

    /// Converts one block; the 16-bit samples are then ``output``'s first `count` (the returned value).
    ///
    /// - Parameter block: mono samples, nominally in [−1, 1] (clipped beyond).
    /// - Returns: how many 16-bit samples were produced: `block.count`, or about half of it when halving.
    mutating func convert(_ block: UnsafeBufferPointer<Float>) -> Int {
        let count = block.count
        guard count > 0 else { return 0 }
        let reach = Self.reach
        if output.count < count { output = [Int16](repeating: 0, count: count) }
        guard halving else {
            output.withUnsafeMutableBufferPointer { out in
                for index in 0..<count { out[index] = Self.quantised(block[index]) }
            }
            return count
        }
        if window.count < reach + count {
            let history = Array(window.prefix(reach))
            window = history + [Float](repeating: 0, count: count)
        }
        let firstKept = evenPhase ? 0 : 1
        let produced = window.withUnsafeMutableBufferPointer { samples in
            for index in 0..<count {
                let sample = block[index]
                samples[reach + index] = sample.isFinite ? sample : 0
            }
            let taps = (Self.halfBandTaps[0], Self.halfBandTaps[2], Self.halfBandTaps[3], Self.halfBandTaps[4],
                        Self.halfBandTaps[6])
            let produced = output.withUnsafeMutableBufferPointer { out in
                var written = 0
                var index = firstKept
                while index < count {
                    let newest = reach + index
                    // The order of the original tap-by-tap sum (its zero taps added nothing), so the result is unchanged.
                    var sum = taps.0 * samples[newest]
                    sum += taps.1 * samples[newest - 2]
                    sum += taps.2 * samples[newest - 3]
                    sum += taps.3 * samples[newest - 4]
                    sum += taps.4 * samples[newest - 6]
                    out[written] = Self.quantised(sum)
                    written += 1
                    index += 2
                }
                return written
            }
            // The last `reach` samples become the next block's history.
            for index in 0..<reach { samples[index] = samples[count + index] }
            return produced
        }
        if count % 2 == 1 { evenPhase.toggle() }
        return produced
    }

    /// `sample` × 32767 rounded half away from zero and clipped to [−32768, 32767]; 0 when not finite.
    ///
    /// Exactly `Int16(max(-32768, min(32767, (sample * 32767).rounded())))`, without a call to `roundf`:
    /// the value is clipped first (the bounds are whole numbers), truncated, and moved one step
    /// away from zero when the part dropped is at least a half (that part is exact in `Float`).
    @inline(__always)
    static func quantised(_ sample: Float) -> Int16 {
        let value = sample * 32767
        guard value.isFinite else { return 0 }
        let clipped = max(-32768, min(32767, value))
        var whole = Int32(clipped)
        let dropped = clipped - Float(whole)
        if dropped >= 0.5 { whole += 1 } else if dropped <= -0.5 { whole -= 1 }
        return Int16(truncatingIfNeeded: whole)
    }
}
