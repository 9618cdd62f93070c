import CChromaprint

/// Computes a track's ``AudioFingerprint`` with Chromaprint, block by block, as the analysis decodes it.
///
/// Wraps one `ChromaprintContext` (created in `init`, freed in `deinit`) and
/// one 16-bit conversion buffer, both reused for every track; one fingerprinter
/// serves one thread, like the ``FeatureExtractor`` beside it. Samples past
/// ``AudioFingerprint/maximumSeconds`` are not fed, so Chromaprint's memory
/// stops growing there whatever the file's length.
public final class Fingerprinter {
    private let context: OpaquePointer
    private var buffer: [Int16] = []
    private var sampleRate = 0
    private var fedSamples = 0
    private var maximumSamples = 0
    private var started = false

    /// A fingerprinter for Chromaprint's default algorithm (TEST2); nil if Chromaprint cannot make a context.
    public init?() {
        guard let context = chromaprint_new(Int32(CHROMAPRINT_ALGORITHM_DEFAULT.rawValue)) else { return nil }
        self.context = context
    }

    deinit { chromaprint_free(context) }

    /// The Chromaprint library's version ("1.5.1").
    public static var chromaprintVersion: String { String(cString: chromaprint_get_version()) }

    /// The rate Chromaprint works at; input at twice this rate is halved here, so its own resampler never runs.
    static let chromaprintRate = 11025
    /// Whether the input is halved before Chromaprint sees it.
    private var halving = false
    /// The last samples of the previous block, for the halving filter (``halfBandTaps``).
    private var history: [Float] = []
    /// Whether the next input sample is an even one (kept after filtering).
    private var evenPhase = true
    /// A 7-tap half-band low-pass, (−1, 0, 9, 16, 9, 0, −1) / 32: flat to 2 kHz within 0.1 dB (Chromaprint's
    /// chroma reaches 3.5 kHz, −0.9 dB there), −6 dB at the new Nyquist.
    private static let halfBandTaps: [Float] = [-1, 0, 9, 16, 9, 0, -1].map { $0 / 32 }

    /// Starts a new track of mono samples at `sampleRate` Hz (the analysis rate, 22,050).
    public func start(sampleRate: Int) {
        self.sampleRate = sampleRate
        fedSamples = 0
        maximumSamples = Int(AudioFingerprint.maximumSeconds * Double(sampleRate))
        halving = sampleRate == 2 * Self.chromaprintRate
        history = [Float](repeating: 0, count: Self.halfBandTaps.count - 1)
        evenPhase = true
        started = chromaprint_start(context, Int32(halving ? Self.chromaprintRate : sampleRate), 1) == 1
    }

    /// Feeds one block of mono samples in [-1, 1] (clipped beyond), up to ``AudioFingerprint/maximumSeconds`` in all.
    public func add(_ block: UnsafeBufferPointer<Float>) {
        guard started, fedSamples < maximumSamples else { return }
        let count = min(block.count, maximumSamples - fedSamples)
        if buffer.count < count { buffer = [Int16](repeating: 0, count: count) }
        func quantised(_ sample: Float) -> Int16 {
            let value = sample * 32767
            return value.isFinite ? Int16(max(-32768, min(32767, value.rounded()))) : 0
        }
        var produced = 0
        if halving {
            // Filter and keep every other sample; the filter's window spans the block boundary through `history`.
            let taps = Self.halfBandTaps
            let reach = taps.count - 1
            for index in 0..<count {
                defer { evenPhase.toggle() }
                guard evenPhase else { continue }
                var sum: Float = 0
                for tap in 0...reach {
                    let position = index - tap
                    let sample = position >= 0 ? block[position] : history[reach + position]
                    sum += taps[tap] * (sample.isFinite ? sample : 0)
                }
                buffer[produced] = quantised(sum)
                produced += 1
            }
            // Keep the last `reach` samples (from this block, or carried over) for the next block.
            if count >= reach {
                for tap in 0..<reach { history[tap] = block[count - reach + tap] }
            } else {
                history.removeFirst(count)
                for index in 0..<count { history.append(block[index]) }
            }
        } else {
            for index in 0..<count { buffer[index] = quantised(block[index]) }
            produced = count
        }
        let fed = buffer.withUnsafeBufferPointer { chromaprint_feed(context, $0.baseAddress, Int32(produced)) }
        if fed != 1 { started = false; return }
        fedSamples += count
    }

    /// The fingerprint of what was fed since ``start(sampleRate:)``, or nil when Chromaprint failed.
    public func finish() -> AudioFingerprint? {
        guard started else { return nil }
        started = false
        guard chromaprint_finish(context) == 1 else { return nil }
        var items: UnsafeMutablePointer<UInt32>?
        var size: Int32 = 0
        guard chromaprint_get_raw_fingerprint(context, &items, &size) == 1 else { return nil }
        defer { chromaprint_dealloc(items) }
        let values = items.map { Array(UnsafeBufferPointer(start: $0, count: Int(max(0, size)))) } ?? []
        return AudioFingerprint(values: values, fingerprintedSeconds: Double(fedSamples) / Double(max(sampleRate, 1)))
    }
}
