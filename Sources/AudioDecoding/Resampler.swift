import DSP
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif


/// A streaming, band-limited sample-rate converter for one channel.
///
/// A polyphase windowed-sinc filter for the rational ratio `outputRate /
/// inputRate` (reduced by their gcd to L/M). The prototype low-pass is a
/// Kaiser-windowed sinc whose passband ends at ``passbandEdgeFraction``
/// (default 0.84) and whose stopband starts at 1.0 times the lower of the two
/// Nyquist frequencies, with ``stopbandAttenuationDecibels`` (default 65) of
/// attenuation. So with the defaults a 1 kHz tone passes within 0.01 dB and
/// nothing above the new Nyquist frequency aliases back by more than -65 dB.
/// ``Resampler/Quality/steep`` (passband to 0.913, 120 dB, like soxr's "HQ"
/// recipe) is the sharper filter the musicnn embedding needs; it costs about
/// five times as many taps. Output sample `n` estimates the input at time
/// `n * inputRate / outputRate`: the filter is centred, with no delay.
///
/// Feed it blocks with ``process(_:into:)`` and call ``finish(into:)`` once at
/// the end; the total output is `ceil(inputCount * L / M)` samples.
public struct Resampler: Sendable {
    /// The low-pass filter's design: where the passband ends and how deep the stopband is.
    public struct Quality: Sendable, Equatable, Hashable {
        /// End of the passband as a fraction of the lower Nyquist frequency, in (0, 1).
        public var passbandEdgeFraction: Double
        /// Stopband attenuation in dB, ≥ 21.
        public var stopbandAttenuationDecibels: Double

        public init(passbandEdgeFraction: Double, stopbandAttenuationDecibels: Double) {
            self.passbandEdgeFraction = passbandEdgeFraction
            self.stopbandAttenuationDecibels = stopbandAttenuationDecibels
        }

        /// The analysis decoder's filter: passband to 0.84, 65 dB.
        public static let standard = Quality(passbandEdgeFraction: 0.84, stopbandAttenuationDecibels: 65)
        /// A steep filter like soxr's "HQ" recipe (passband to 0.913, 120 dB),
        /// which librosa uses by default and musicnn's front end was trained on.
        public static let steep = Quality(passbandEdgeFraction: 0.913, stopbandAttenuationDecibels: 120)
    }

    public static let stopbandAttenuationDecibels = Quality.standard.stopbandAttenuationDecibels
    public static let passbandEdgeFraction = Quality.standard.passbandEdgeFraction

    public let inputRate: Int
    public let outputRate: Int
    /// The filter design in use.
    public let quality: Quality
    /// Upsampling factor L and downsampling factor M.
    let upFactor: Int
    let downFactor: Int
    /// Taps per polyphase branch.
    let tapsPerPhase: Int
    /// The prototype's centre, in samples at the virtual rate `L * inputRate`.
    let centre: Int
    /// `upFactor` branches of `tapsPerPhase` coefficients, each stored in the
    /// order that matches the input window read forwards.
    let phases: [Float]

    /// Input samples not yet consumed. Index 0 is input sample `bufferStart`.
    private var buffer: [Float] = []
    private var bufferStart = 0
    /// Input samples seen so far, and output samples produced so far.
    private var inputCount = 0
    private var outputCount = 0

    /// Plans a converter.
    ///
    /// - Parameters:
    ///   - inputRate: the source rate in Hz, > 0.
    ///   - outputRate: the target rate in Hz, > 0.
    ///   - quality: the low-pass design; default ``Quality/standard``.
    /// - Complexity: O(taps) to design the filter: about 4,500 taps from
    ///   44.1 to 22.05 kHz with the standard design, about 80,000 from 22.05 to
    ///   16 kHz with the steep one (design once and copy the value per stream).
    public init(inputRate: Int, outputRate: Int, quality: Quality = .standard) {
        precondition(inputRate > 0 && outputRate > 0, "sample rates must be positive")
        precondition(quality.passbandEdgeFraction > 0 && quality.passbandEdgeFraction < 1
                     && quality.stopbandAttenuationDecibels >= 21, "resampler quality out of range")
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.quality = quality
        let divisor = gcd(inputRate, outputRate)
        upFactor = outputRate / divisor
        downFactor = inputRate / divisor

        if upFactor == 1 && downFactor == 1 {
            tapsPerPhase = 1
            centre = 0
            phases = [1]
            return
        }

        // Design at the virtual rate L * inputRate, in cycles per virtual sample.
        let virtualRate = Double(upFactor) * Double(inputRate)
        let nyquist = Double(min(inputRate, outputRate)) / 2
        let passbandEdge = quality.passbandEdgeFraction * nyquist
        let cutoff = (passbandEdge + nyquist) / 2 / virtualRate
        let transition = (nyquist - passbandEdge) / virtualRate
        let beta = KaiserWindow.beta(attenuationDecibels: quality.stopbandAttenuationDecibels)
        var length = KaiserWindow.length(
            attenuationDecibels: quality.stopbandAttenuationDecibels, transitionWidth: transition)
        if length % 2 == 0 { length += 1 }
        let halfLength = (length - 1) / 2
        // Whole SIMD vectors per branch: the extra taps are zeros on the oldest side.
        let exactTaps = (length + upFactor - 1) / upFactor
        tapsPerPhase = (exactTaps + 7) / 8 * 8
        centre = halfLength

        var prototype = [Double](repeating: 0, count: tapsPerPhase * upFactor)
        precondition(prototype.count >= length)
        for index in 0..<length {
            let offset = Double(index - halfLength)
            let argument = 2 * cutoff * offset
            let sinc = argument == 0 ? 1.0 : sin(Double.pi * argument) / (Double.pi * argument)
            let window = KaiserWindow.value(at: offset / Double(halfLength), beta: beta)
            prototype[index] = 2 * cutoff * sinc * window
        }

        // Branch r holds prototype[r + j*L] for j = tapsPerPhase-1 ... 0, so
        // that a forward dot product with the input window works. Each branch
        // is scaled to unit DC gain.
        var coefficients = [Float](repeating: 0, count: tapsPerPhase * upFactor)
        for phase in 0..<upFactor {
            var branch = [Double](repeating: 0, count: tapsPerPhase)
            for tap in 0..<tapsPerPhase {
                branch[tapsPerPhase - 1 - tap] = prototype[phase + tap * upFactor]
            }
            let gain = branch.reduce(0, +)
            for tap in 0..<tapsPerPhase {
                coefficients[phase * tapsPerPhase + tap] = Float(gain != 0 ? branch[tap] / gain : 0)
            }
        }
        phases = coefficients
        // Start with the zero history that precedes the signal.
        buffer = [Float](repeating: 0, count: tapsPerPhase)
        bufferStart = -tapsPerPhase
    }

    /// True when input and output rates are equal and samples pass through.
    public var isIdentity: Bool { upFactor == 1 && downFactor == 1 }

    /// Consumes `input` and appends every output sample that is now fully determined.
    public mutating func process(_ input: UnsafeBufferPointer<Float>, into output: inout [Float]) {
        if isIdentity {
            output.append(contentsOf: input)
            inputCount += input.count
            outputCount += input.count
            return
        }
        buffer.append(contentsOf: input)
        inputCount += input.count
        produce(into: &output, availableInputs: inputCount)
        dropConsumedInput()
    }

    /// Flushes the filter's tail: appends the remaining output samples so the
    /// total is `ceil(inputCount * L / M)`.
    public mutating func finish(into output: inout [Float]) {
        if isIdentity { return }
        let totalOutputs = (inputCount * upFactor + downFactor - 1) / downFactor
        // Zeros after the end, enough for the last output's window.
        let padding = tapsPerPhase + 1
        buffer.append(contentsOf: repeatElement(0, count: padding))
        produce(into: &output, availableInputs: inputCount + padding, limit: totalOutputs)
    }

    private mutating func produce(into output: inout [Float], availableInputs: Int, limit: Int = .max) {
        let taps = tapsPerPhase
        // Outputs whose newest input is available: virtualTime / L < availableInputs.
        let numerator = availableInputs * upFactor - centre
        let producible = numerator > 0 ? (numerator + downFactor - 1) / downFactor : 0
        let end = min(producible, limit)
        guard end > outputCount else { return }
        let first = outputCount
        let startIndex = output.count
        output.append(contentsOf: repeatElement(0, count: end - first))
        buffer.withUnsafeBufferPointer { samples in
            phases.withUnsafeBufferPointer { coefficients in
                output.withUnsafeMutableBufferPointer { target in
                    var index = first
                    if upFactor == 1 {
                        // Pure decimation: one branch of coefficients serves every output, so
                        // four outputs share each coefficient load.
                        let step = downFactor
                        while index + 4 <= end {
                            let oldest = index * step + centre - taps + 1 - bufferStart
                            Self.dot4(samples.baseAddress! + oldest, stride: step, coefficients.baseAddress!,
                                      count: taps, into: target.baseAddress! + startIndex + index - first)
                            index += 4
                        }
                    }
                    while index < end {
                        defer { index += 1 }
                        let virtualTime = index * downFactor + centre
                        let newest = virtualTime / upFactor          // newest input index in the window
                        let phase = virtualTime - newest * upFactor
                        let oldest = newest - taps + 1
                        target[startIndex + index - first] = VectorKernels.dot(
                            samples.baseAddress! + (oldest - bufferStart),
                            coefficients.baseAddress! + phase * taps,
                            count: taps)
                    }
                }
            }
        }
        outputCount = end
        dropConsumedInput()
    }

    /// Drops buffered input that no future output needs (all of it, and
    /// input still to come, after a skip past the input received so far).
    private mutating func dropConsumedInput() {
        let nextVirtualTime = outputCount * downFactor + centre
        let oldestNeeded = nextVirtualTime / upFactor - tapsPerPhase + 1
        let droppable = min(oldestNeeded - bufferStart, buffer.count)
        if droppable > 4096 {
            buffer.removeFirst(droppable)
            bufferStart += droppable
        }
    }

    /// The index of the next output sample ``process(_:into:)`` or ``finish(into:)`` appends.
    public var nextOutputIndex: Int { outputCount }

    /// Output samples in all, `ceil(inputCount * L / M)`: final once ``finish(into:)`` was called.
    public var totalOutputCount: Int {
        isIdentity ? inputCount : (inputCount * upFactor + downFactor - 1) / downFactor
    }

    /// Skips the output samples before `index`: they are never computed nor
    /// appended, and the output resumes, exact, at `index` (even beyond the
    /// end, in which case nothing more is appended). For a consumer that needs
    /// only parts of the stream. Does nothing when `index` ≤ ``nextOutputIndex``.
    ///
    /// - Precondition: not ``isIdentity`` (an identity converter passes every sample through).
    public mutating func skipOutputs(to index: Int) {
        precondition(!isIdentity, "an identity resampler cannot skip")
        let index = min(index, Int.max / 4 / downFactor)   // "past any end", without overflow
        guard index > outputCount else { return }
        outputCount = index
        dropConsumedInput()
    }
}

extension Resampler {
    /// Four dot products of `coefficients` with windows of `samples` starting
    /// `stride` apart, written to `output[0..<4]`.
    ///
    /// The pointers advance in place of index arithmetic, so the loop carries
    /// no overflow checks (about a third fewer instructions); the additions are
    /// the same, in the same order.
    @inline(__always)
    static func dot4(_ samples: UnsafePointer<Float>, stride: Int, _ coefficients: UnsafePointer<Float>, count: Int,
                     into output: UnsafeMutablePointer<Float>) {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var weights = UnsafeRawPointer(coefficients)
        var window0 = UnsafeRawPointer(samples)
        var window1 = UnsafeRawPointer(samples + stride)
        var window2 = UnsafeRawPointer(samples + 2 &* stride)
        var window3 = UnsafeRawPointer(samples + 3 &* stride)
        let step = 8 * MemoryLayout<Float>.stride
        var remaining = count
        while remaining >= 8 {
            let c = weights.loadUnaligned(as: SIMD8<Float>.self)
            a0 += c * window0.loadUnaligned(as: SIMD8<Float>.self)
            a1 += c * window1.loadUnaligned(as: SIMD8<Float>.self)
            a2 += c * window2.loadUnaligned(as: SIMD8<Float>.self)
            a3 += c * window3.loadUnaligned(as: SIMD8<Float>.self)
            weights += step
            window0 += step
            window1 += step
            window2 += step
            window3 += step
            remaining &-= 8
        }
        output[0] = a0.sum()
        output[1] = a1.sum()
        output[2] = a2.sum()
        output[3] = a3.sum()
    }
}

private func gcd(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return x
}
