import DSP
import Foundation

/// Everything measured on one STFT frame, before any whole-track step.
///
/// The MFCCs and onset strength are not here: librosa computes both from
/// decibels clipped 80 dB below the loudest mel bin of the whole track, so
/// they are finished later from ``melDecibels`` (see ``MelDecibelFloor``).
struct FrameValues {
    /// Chroma, normalised so the largest pitch class is 1 (unless the frame is silent).
    var chroma = [Float](repeating: 0, count: ChromaFilterBank.pitchClassCount)
    /// `10 * log10(max(1e-10, melPower))`, not yet clipped.
    var melDecibels: [Float]
    var centroid: Float = 0
    var bandwidth: Float = 0
    var rolloff: Float = 0
    var flatness: Float = 0
    var zeroCrossingRate: Float = 0
    var rms: Float = 0
    /// Power in the lowest mel bands (below about 500 Hz): kick, snare body, bass.
    var lowBandPower: Float = 0
    /// Spectral-contrast peaks and valleys per band, in dB, not yet clipped.
    var contrastPeakDecibels = [Float](repeating: 0, count: SpectralContrast.bandCount)
    var contrastValleyDecibels = [Float](repeating: 0, count: SpectralContrast.bandCount)

    init(melBandCount: Int) {
        melDecibels = [Float](repeating: 0, count: melBandCount)
    }

    /// Writes the chroma and spectral columns of a ``FrameFeatureNames`` row
    /// (everything but MFCC and onset, which need the whole-track floor).
    func writeFrameColumns(into row: UnsafeMutablePointer<Float>) {
        let chromaOffset = FrameFeatureNames.columns(of: .chroma).lowerBound
        for pitch in 0..<chroma.count { row[chromaOffset + pitch] = chroma[pitch] }
        row[FrameFeatureNames.centroid] = centroid
        row[FrameFeatureNames.bandwidth] = bandwidth
        row[FrameFeatureNames.rolloff] = rolloff
        row[FrameFeatureNames.flatness] = flatness
        row[FrameFeatureNames.zcr] = zeroCrossingRate
        row[FrameFeatureNames.rms] = rms
    }
}

/// Computes ``FrameValues`` for one frame at a time.
///
/// Owns an ``FFTPlan`` and its scratch buffers, so one analyser serves one
/// thread and costs no allocation per frame. Each value reproduces the
/// librosa 0.11 call named on its line in ``analyze(frame:realRange:into:)``.
final class FrameAnalyzer {
    /// Power floor of librosa's `power_to_db` and `spectral_flatness` (`amin`).
    static let powerFloor: Float = 1e-10
    /// Threshold below which librosa treats a sample as zero in `zero_crossings`.
    static let zeroCrossingThreshold: Float = 1e-10
    static let rolloffFraction: Float = 0.85

    let configuration: STFTConfiguration
    let melBank: MelFilterBank
    let chromaBank: ChromaFilterBank
    let contrast: SpectralContrast
    private let plan: FFTPlan
    private var contrastPeaks = [Float](repeating: 0, count: SpectralContrast.bandCount)
    private var contrastValleys = [Float](repeating: 0, count: SpectralContrast.bandCount)
    private var contrastScratch: [Float] = []
    private var window: [Float]
    private var binFrequencies: [Float]
    private var magnitude: [Float]
    private var power: [Float]
    private var melPower: [Float]
    /// Running sums of the magnitude spectrum, for the roll-off.
    private var cumulativeMagnitude: UnsafeMutableBufferPointer<Float>

    init(configuration: STFTConfiguration, melBank: MelFilterBank, chromaBank: ChromaFilterBank) {
        self.configuration = configuration
        self.melBank = melBank
        self.chromaBank = chromaBank
        contrast = SpectralContrast(configuration: configuration)
        let size = configuration.fftSize
        plan = FFTPlan(size: size)
        // Periodic Hann (scipy.signal.get_window("hann", N, fftbins=True)).
        window = (0..<size).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(size))) }
        binFrequencies = (0..<configuration.binCount).map { Float(configuration.binFrequency($0)) }
        magnitude = [Float](repeating: 0, count: configuration.binCount)
        power = [Float](repeating: 0, count: configuration.binCount)
        melPower = [Float](repeating: 0, count: melBank.melBandCount)
        cumulativeMagnitude = .allocate(capacity: configuration.binCount)
        cumulativeMagnitude.initialize(repeating: 0)
    }

    deinit { cumulativeMagnitude.deallocate() }

    /// Analyses one frame.
    ///
    /// - Parameters:
    ///   - frame: `fftSize` samples, zero padding included.
    ///   - realRange: the positions in `frame` that hold real samples.
    ///   - values: receives the results.
    func analyze(frame: UnsafePointer<Float>, realRange: Range<Int>, into values: inout FrameValues) {
        let size = configuration.fftSize
        let binCount = configuration.binCount

        // librosa.feature.rms(y, frame_length=2048, hop_length=512, center=True, pad_mode="constant")
        let energy = VectorKernels.dot(frame, frame, count: size)
        values.rms = (energy / Float(size)).squareRoot()
        // librosa.feature.zero_crossing_rate(y, frame_length=2048, hop_length=512, center=True):
        // edge padding adds no crossings, so only pairs of real samples count.
        values.zeroCrossingRate = Float(Self.zeroCrossings(frame, range: realRange)) / Float(size)

        // |STFT| with a periodic Hann window.
        window.withUnsafeBufferPointer { window in
            for index in 0..<size { plan.input[index] = frame[index] * window[index] }
        }
        plan.transform()
        let spectrum = UnsafeRawPointer(plan.output)
        magnitude.withUnsafeMutableBufferPointer { magnitude in
            power.withUnsafeMutableBufferPointer { power in
                var bin = 0
                while bin + 8 <= binCount {
                    // 8 complex values = 16 floats, de-interleaved.
                    let low = spectrum.loadUnaligned(fromByteOffset: bin * 8, as: SIMD16<Float>.self)
                    let real = low.evenHalf
                    let imaginary = low.oddHalf
                    let squared = real * real + imaginary * imaginary
                    UnsafeMutableRawPointer(power.baseAddress! + bin).storeBytes(of: squared, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(magnitude.baseAddress! + bin)
                        .storeBytes(of: squared.squareRoot(), as: SIMD8<Float>.self)
                    bin += 8
                }
                while bin < binCount {
                    let real = plan.output[2 * bin]
                    let imaginary = plan.output[2 * bin + 1]
                    power[bin] = real * real + imaginary * imaginary
                    magnitude[bin] = power[bin].squareRoot()
                    bin += 1
                }
            }
        }

        magnitude.withUnsafeBufferPointer { magnitude in
            binFrequencies.withUnsafeBufferPointer { frequencies in
                spectralShape(magnitude: magnitude, frequencies: frequencies, into: &values)
            }
            // librosa.feature.spectral_contrast(y, sr, fmin=200, n_bands=6, quantile=0.02)
            contrast.measure(magnitude, peaks: &contrastPeaks, valleys: &contrastValleys, scratch: &contrastScratch)
            for band in 0..<SpectralContrast.bandCount {
                values.contrastPeakDecibels[band] = 10 * log10(max(Self.powerFloor, contrastPeaks[band]))
                values.contrastValleyDecibels[band] = 10 * log10(max(Self.powerFloor, contrastValleys[band]))
            }
        }
        power.withUnsafeBufferPointer { power in
            // librosa.feature.spectral_flatness(y, n_fft=2048, hop_length=512, amin=1e-10, power=2.0)
            values.flatness = Self.flatness(power)
            // librosa.feature.melspectrogram(y, sr, n_fft=2048, hop_length=512, n_mels=128), then
            // librosa.power_to_db(..., ref=1.0, amin=1e-10, top_db=None)
            melPower.withUnsafeMutableBufferPointer { melPower in
                melBank.apply(power.baseAddress!, into: melPower.baseAddress!)
                values.lowBandPower = VectorKernels.sum(melPower.baseAddress!, count: OnsetStrength.accentBandCount)
                values.melDecibels.withUnsafeMutableBufferPointer { decibels in
                    VectorKernels.decibels(melPower.baseAddress!, count: melPower.count, floor: Self.powerFloor,
                                           into: decibels.baseAddress!)
                }
            }
            // librosa.feature.chroma_stft(y, sr, n_fft=2048, hop_length=512, tuning=0)
            values.chroma.withUnsafeMutableBufferPointer { chroma in
                chromaBank.apply(power.baseAddress!, into: chroma.baseAddress!)
                let peak = chroma.max() ?? 0
                if peak >= Float.leastNormalMagnitude {
                    for pitch in 0..<chroma.count { chroma[pitch] /= peak }
                }
            }
        }
    }

    /// Centroid, bandwidth and roll-off of one magnitude spectrum.
    ///
    /// librosa.feature.spectral_centroid, spectral_bandwidth(p=2, norm=True) and
    /// spectral_rolloff(roll_percent=0.85), each on |STFT|.
    private func spectralShape(
        magnitude: UnsafeBufferPointer<Float>, frequencies: UnsafeBufferPointer<Float>, into values: inout FrameValues
    ) {
        let count = magnitude.count
        let total = VectorKernels.sum(magnitude.baseAddress!, count: count)
        // librosa's normalize(norm=1) leaves an all-but-zero column unscaled.
        let scale: Float = total >= Float.leastNormalMagnitude ? 1 / total : 1
        let centroid = VectorKernels.dot(magnitude.baseAddress!, frequencies.baseAddress!, count: count) * scale
        values.centroid = centroid
        let spread = VectorKernels.weightedSquaredDeviation(
            magnitude.baseAddress!, frequencies.baseAddress!, around: centroid, count: count)
        values.bandwidth = (spread * scale).squareRoot()

        // The lowest bin where the running sum (float32 and sequential, as
        // numpy's cumsum) reaches 85 % of the total: one sequential pass keeps
        // the running sums, and the threshold is then found among them (they
        // never decrease, magnitudes being ≥ 0), with the same sums as librosa.
        let runningSums = cumulativeMagnitude.baseAddress!
        var runningTotal: Float = 0
        for bin in 0..<count {
            runningTotal += magnitude[bin]
            runningSums[bin] = runningTotal
        }
        let threshold = Self.rolloffFraction * runningTotal
        var rolloffBin = 0
        for bin in 0..<count where runningSums[bin] >= threshold {
            rolloffBin = bin
            break
        }
        values.rolloff = frequencies[rolloffBin]
    }

    /// Geometric over arithmetic mean of `max(amin, power)`.
    static func flatness(_ power: UnsafeBufferPointer<Float>) -> Float {
        let count = Double(power.count)
        let logarithms = VectorKernels.sumOfLogarithms(power.baseAddress!, count: power.count, floor: powerFloor)
        let arithmeticSum = VectorKernels.sumOfFloored(power.baseAddress!, count: power.count, floor: powerFloor)
        return Float(exp(logarithms / count) / (arithmeticSum / count))
    }

    /// Sign changes between consecutive samples of `frame[range]`, with
    /// samples within ±1e-10 counted as +0 (librosa `zero_crossings`,
    /// `zero_pos=True`). Eight pairs at a time.
    static func zeroCrossings(_ frame: UnsafePointer<Float>, range: Range<Int>) -> Int {
        guard range.count > 1 else { return 0 }
        let threshold = SIMD8<Float>(repeating: zeroCrossingThreshold)
        let raw = UnsafeRawPointer(frame)
        var counts = SIMD8<Int32>()
        var index = range.lowerBound
        let last = range.upperBound - 1          // the last pair is (last - 1, last)
        while index + 8 <= last {
            let current = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            let next = raw.loadUnaligned(fromByteOffset: (index + 1) * 4, as: SIMD8<Float>.self)
            // Negative and not within the threshold of zero: librosa's signbit after zeroing.
            let currentNegative = current .< -threshold
            let nextNegative = next .< -threshold
            counts &+= SIMD8<Int32>(repeating: 0).replacing(with: 1, where: currentNegative .^ nextNegative)
            index += 8
        }
        var crossings = Int(counts.wrappedSum())
        while index < last {
            if (frame[index] < -zeroCrossingThreshold) != (frame[index + 1] < -zeroCrossingThreshold) { crossings += 1 }
            index += 1
        }
        return crossings
    }
}
