import AudioDecoding

/// The short-time Fourier transform every SongAtlas feature is computed on.
///
/// Hann window (periodic), `fftSize` 2048, hop 512, centred frames padded
/// with zeros: librosa 0.11's defaults (`librosa.stft(y, n_fft=2048,
/// hop_length=512, window="hann", center=True, pad_mode="constant")`).
/// Frame `t` is centred on sample `t * hopLength`; a signal of `n` samples
/// has `1 + n / hopLength` frames.
public struct STFTConfiguration: Sendable, Equatable, Codable {
    /// Rate of the analysed signal in Hz (the analysis rate, 22050).
    public var sampleRate: Int
    /// Window and FFT length in samples.
    public var fftSize: Int
    /// Samples between frame centres.
    public var hopLength: Int

    /// An STFT configuration; the defaults are librosa's.
    ///
    /// - Parameters:
    ///   - sampleRate: rate of the analysed signal in Hz; default ``AnalysisRate/sampleRate`` (22050),
    ///     the rate decoders deliver. ``FeatureExtractor`` requires decoding at this rate.
    ///   - fftSize: window and FFT length in samples; default 2048.
    ///   - hopLength: samples between frame centres, in `1...fftSize`; default 512.
    public init(sampleRate: Int = AnalysisRate.sampleRate, fftSize: Int = 2048, hopLength: Int = 512) {
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        self.hopLength = hopLength
    }

    /// Number of frequency bins, `fftSize / 2 + 1`.
    public var binCount: Int { fftSize / 2 + 1 }
    /// Frames per second of audio.
    public var frameRate: Double { Double(sampleRate) / Double(hopLength) }
    /// Frames a signal of `sampleCount` samples yields.
    public func frameCount(sampleCount: Int) -> Int { 1 + sampleCount / hopLength }
    /// The time in seconds of frame `index`'s centre.
    public func framesToSeconds(_ index: Int) -> Double { Double(index * hopLength) / Double(sampleRate) }
    /// The centre frequency in Hz of FFT bin `bin`.
    public func binFrequency(_ bin: Int) -> Double { Double(bin) * Double(sampleRate) / Double(fftSize) }
}
