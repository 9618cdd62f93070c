import Foundation

/// musicnn's input representation, frame by frame: the 512-point STFT of the
/// 16 kHz signal, 96 Slaney mel bands, `log10(10000 · mel + 1)`.
///
/// Matches `np.log10(10000 * librosa.feature.melspectrogram(y=y, sr=16000,
/// hop_length=256, n_fft=512, n_mels=96) + 1)` (librosa 0.11: periodic Hann
/// window, centred frames with zero padding, power spectrum |X|², Slaney mel
/// scale and area normalisation, 0–8000 Hz), in float32 and without the stock
/// musicnn code's float16 cast. Frames come from a ``CenteredFramer``.
struct LogMelFrontEnd {
    /// 16 kHz, 512-point FFT, hop 256.
    static let configuration = STFTConfiguration(sampleRate: 16000, fftSize: 512, hopLength: 256)
    static let melBandCount = 96

    private let plan: FFTPlan
    private let window: [Float]
    private let melBank: MelFilterBank
    private var power: [Float]
    private var mel: [Float]

    init() {
        let size = Self.configuration.fftSize
        plan = FFTPlan(size: size)
        window = (0..<size).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(size))) }
        melBank = MelFilterBank(sampleRate: Self.configuration.sampleRate, fftSize: size, melBandCount: Self.melBandCount)
        power = [Float](repeating: 0, count: plan.binCount)
        mel = [Float](repeating: 0, count: Self.melBandCount)
    }

    /// The log-mel values of one frame of `fftSize` samples, written to `target[0..<96]`.
    ///
    /// - Complexity: one 512-point FFT and about 2 × 257 multiply-adds.
    mutating func transform(frame: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        let size = Self.configuration.fftSize
        window.withUnsafeBufferPointer { window in
            for index in 0..<size { plan.input[index] = frame[index] * window[index] }
        }
        plan.transform()
        let output = plan.output
        power.withUnsafeMutableBufferPointer { power in
            for bin in 0..<plan.binCount {
                let real = output[2 * bin], imaginary = output[2 * bin + 1]
                power[bin] = real * real + imaginary * imaginary
            }
            mel.withUnsafeMutableBufferPointer { mel in
                melBank.apply(power.baseAddress!, into: mel.baseAddress!)
                for band in 0..<Self.melBandCount {
                    target[band] = log10f(10000 * mel[band] + 1)
                }
            }
        }
    }
}
