import Foundation
import DSP

/// A bank of 12 pitch-class filters over the bins of a real FFT.
///
/// Matches `librosa.filters.chroma(sr=sr, n_fft=n_fft, n_chroma=12, tuning=0,
/// ctroct=5.0, octwidth=2, norm=2, base_c=True)`: each FFT bin contributes to
/// the pitch classes near its frequency through Gaussian bumps (width about
/// one semitone, narrower for high bins), each bin's column is L2-normalised,
/// and a Gaussian over octaves centred on C5 (about 523 Hz, ±2 octaves)
/// weights the bins. Row 0 is C.
public struct ChromaFilterBank: Sendable {
    public static let pitchClassCount = 12
    public let sampleRate: Int
    public let fftSize: Int
    /// Row-major, `pitchClassCount × (fftSize / 2 + 1)`.
    let weights: [Float]
    let binCount: Int

    /// Builds the bank.
    ///
    /// - Parameters:
    ///   - sampleRate: in Hz.
    ///   - fftSize: FFT length in samples.
    ///   - tuningSemitones: deviation from A440 in fractions of a semitone, default 0.
    public init(sampleRate: Int, fftSize: Int, tuningSemitones: Double = 0) {
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        let chromaCount = Self.pitchClassCount
        let centreOctave = 5.0
        let octaveWidth = 2.0
        binCount = fftSize / 2 + 1

        // Fractional pitch-class position of every FFT bin (all n_fft of them,
        // as librosa builds it before dropping the aliased half).
        let a440 = 440.0 * pow(2.0, tuningSemitones / Double(chromaCount))
        var position = [Double](repeating: 0, count: fftSize)
        for bin in 1..<fftSize {
            let frequency = Double(bin) * Double(sampleRate) / Double(fftSize)
            position[bin] = Double(chromaCount) * log2(frequency / (a440 / 16))
        }
        // The 0 Hz bin: 1.5 octaves below bin 1.
        position[0] = position[1] - 1.5 * Double(chromaCount)
        var binWidth = [Double](repeating: 1, count: fftSize)
        for bin in 0..<(fftSize - 1) {
            binWidth[bin] = max(position[bin + 1] - position[bin], 1)
        }

        let halfChroma = (Double(chromaCount) / 2).rounded()
        var matrix = [Double](repeating: 0, count: chromaCount * binCount)
        for bin in 0..<binCount {
            var column = [Double](repeating: 0, count: chromaCount)
            for pitch in 0..<chromaCount {
                var distance = position[bin] - Double(pitch)
                distance = fmod(distance + halfChroma + 10 * Double(chromaCount), Double(chromaCount))
                if distance < 0 { distance += Double(chromaCount) }
                distance -= halfChroma
                let scaled = 2 * distance / binWidth[bin]
                column[pitch] = exp(-0.5 * scaled * scaled)
            }
            let norm = column.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let octaveWeight = exp(-0.5 * pow((position[bin] / Double(chromaCount) - centreOctave) / octaveWidth, 2))
            for pitch in 0..<chromaCount {
                // Roll by -3 so that row 0 is C rather than A.
                let row = (pitch - 3 + chromaCount) % chromaCount
                matrix[row * binCount + bin] = (norm > 0 ? column[pitch] / norm : 0) * octaveWeight
            }
        }
        weights = matrix.map { Float($0) }
    }

    /// Applies the bank to one power spectrum: `chroma[p] = Σ weight[p][bin] * power[bin]`.
    func apply(_ power: UnsafePointer<Float>, into chroma: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { matrix in
            for pitch in 0..<Self.pitchClassCount {
                chroma[pitch] = VectorKernels.dot(matrix.baseAddress! + pitch * binCount, power, count: binCount)
            }
        }
    }
}
