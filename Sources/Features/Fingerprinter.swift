import CChromaprint

/// Computes a track's ``AudioFingerprint`` with Chromaprint, block by block, as the analysis decodes it.
///
/// Wraps one `ChromaprintContext` (created in `init`, freed in `deinit`) and
/// one ``FingerprintFeed`` (the 16-bit conversion), both reused for every track; one fingerprinter
/// serves one thread, like the ``FeatureExtractor`` beside it. Samples past
/// ``AudioFingerprint/computedSeconds`` are not fed, so Chromaprint's time and
/// memory stop growing there whatever the file's length.
public final class Fingerprinter {
    private let context: OpaquePointer
    /// The conversion to 16-bit samples at Chromaprint's rate, its buffers reused for every track.
    private var feed = FingerprintFeed(halving: false)
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

    /// The rate Chromaprint works at; input at twice this rate is halved here (``FingerprintFeed``), so its
    /// own resampler never runs.
    static let chromaprintRate = 11025

    /// Starts a new track of mono samples at `sampleRate` Hz (the analysis rate, 22,050).
    public func start(sampleRate: Int) {
        self.sampleRate = sampleRate
        fedSamples = 0
        maximumSamples = Int(AudioFingerprint.computedSeconds * Double(sampleRate))
        let halving = sampleRate == 2 * Self.chromaprintRate
        feed.reset(halving: halving)
        started = chromaprint_start(context, Int32(halving ? Self.chromaprintRate : sampleRate), 1) == 1
    }

    /// Feeds one block of mono samples in [-1, 1] (clipped beyond), up to ``AudioFingerprint/computedSeconds`` in all.
    public func add(_ block: UnsafeBufferPointer<Float>) {
        guard started, fedSamples < maximumSamples else { return }
        let count = min(block.count, maximumSamples - fedSamples)
        let produced = feed.convert(UnsafeBufferPointer(rebasing: block[0..<count]))
        let fed = feed.output.withUnsafeBufferPointer { chromaprint_feed(context, $0.baseAddress, Int32(produced)) }
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
