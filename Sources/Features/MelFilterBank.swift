import Foundation
import DSP

/// A bank of triangular mel filters over the bins of a real FFT.
///
/// Follows Slaney's Auditory Toolbox mel scale (linear below 1 kHz,
/// logarithmic above) with Slaney area normalisation; matches
/// `librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, htk=False, norm="slaney")`
/// with `fmin=0`, `fmax=sr/2`. Each filter is stored as its non-zero run of
/// bins only, so applying the bank costs about two multiply-adds per FFT bin
/// instead of `melBandCount` per bin.
public struct MelFilterBank: Sendable {
    /// One triangular filter: weights for bins `firstBin ..< firstBin + weights.count`.
    struct Band: Sendable {
        var firstBin: Int
        var weights: [Float]
    }

    public let sampleRate: Int
    public let fftSize: Int
    public let melBandCount: Int
    let bands: [Band]

    /// Builds the bank.
    ///
    /// - Parameters:
    ///   - sampleRate: in Hz, > 0.
    ///   - fftSize: FFT length in samples; the bank covers `fftSize / 2 + 1` bins.
    ///   - melBandCount: number of filters, default 128.
    public init(sampleRate: Int, fftSize: Int, melBandCount: Int = 128) {
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        self.melBandCount = melBandCount
        let binCount = fftSize / 2 + 1
        let nyquist = Double(sampleRate) / 2
        let maxMel = Self.hzToMel(nyquist)
        let edges = (0..<(melBandCount + 2)).map { index in
            Self.melToHz(maxMel * Double(index) / Double(melBandCount + 1))
        }
        let binFrequencies = (0..<binCount).map { Double($0) * Double(sampleRate) / Double(fftSize) }

        var bands: [Band] = []
        bands.reserveCapacity(melBandCount)
        for band in 0..<melBandCount {
            let lowerWidth = edges[band + 1] - edges[band]
            let upperWidth = edges[band + 2] - edges[band + 1]
            let areaNormalisation = 2 / (edges[band + 2] - edges[band])
            var weights = [Float](repeating: 0, count: binCount)
            var first = binCount
            var last = -1
            for bin in 0..<binCount {
                let rising = (binFrequencies[bin] - edges[band]) / lowerWidth
                let falling = (edges[band + 2] - binFrequencies[bin]) / upperWidth
                let weight = max(0, min(rising, falling))
                if weight > 0 {
                    weights[bin] = Float(weight * areaNormalisation)
                    first = min(first, bin)
                    last = max(last, bin)
                }
            }
            if last < first {
                bands.append(Band(firstBin: 0, weights: []))
            } else {
                bands.append(Band(firstBin: first, weights: Array(weights[first...last])))
            }
        }
        self.bands = bands
    }

    /// Applies the bank: `melPower[band] = Σ weight * power[bin]`.
    ///
    /// - Parameters:
    ///   - power: `fftSize / 2 + 1` power-spectrum values.
    ///   - melPower: receives `melBandCount` values.
    func apply(_ power: UnsafePointer<Float>, into melPower: UnsafeMutablePointer<Float>) {
        for (index, band) in bands.enumerated() {
            melPower[index] = band.weights.withUnsafeBufferPointer {
                VectorKernels.dot($0.baseAddress!, power + band.firstBin, count: $0.count)
            }
        }
    }

    /// Hz to mels on Slaney's scale (librosa `hz_to_mel(htk=False)`).
    public static func hzToMel(_ frequency: Double) -> Double {
        let linearStep = 200.0 / 3
        let logStart = 1000.0
        if frequency < logStart { return frequency / linearStep }
        return logStart / linearStep + log(frequency / logStart) / (log(6.4) / 27)
    }

    /// Mels to Hz on Slaney's scale (librosa `mel_to_hz(htk=False)`).
    public static func melToHz(_ mel: Double) -> Double {
        let linearStep = 200.0 / 3
        let logStart = 1000.0
        let logStartMel = logStart / linearStep
        if mel < logStartMel { return mel * linearStep }
        return logStart * exp((log(6.4) / 27) * (mel - logStartMel))
    }
}
