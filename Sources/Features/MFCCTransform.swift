import DSP
import Foundation

/// Mel-frequency cepstral coefficients from mel decibels.
///
/// A DCT-II with orthonormal scaling of the clipped mel decibels, keeping the
/// first `coefficientCount`: `scipy.fftpack.dct(x, type=2, norm="ortho")[:n]`,
/// as in `librosa.feature.mfcc(y, sr, n_mfcc=20)` (no liftering).
struct MFCCTransform: Sendable {
    let melBandCount: Int
    let coefficientCount: Int
    /// Row-major `coefficientCount × melBandCount` basis.
    private let basis: [Float]

    init(melBandCount: Int = 128, coefficientCount: Int = 20) {
        self.melBandCount = melBandCount
        self.coefficientCount = coefficientCount
        var basis = [Float](repeating: 0, count: coefficientCount * melBandCount)
        let count = Double(melBandCount)
        for coefficient in 0..<coefficientCount {
            let scale = coefficient == 0 ? (1 / count).squareRoot() : (2 / count).squareRoot()
            for band in 0..<melBandCount {
                let angle = Double.pi * Double(coefficient) * (2 * Double(band) + 1) / (2 * count)
                basis[coefficient * melBandCount + band] = Float(scale * cos(angle))
            }
        }
        self.basis = basis
    }

    /// Writes `coefficientCount` MFCCs of `decibels` (already clipped) to `output`.
    func apply(_ decibels: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        basis.withUnsafeBufferPointer { basis in
            for coefficient in 0..<coefficientCount {
                output[coefficient] = VectorKernels.dot(
                    basis.baseAddress! + coefficient * melBandCount, decibels, count: melBandCount)
            }
        }
    }
}

/// The floor librosa's `power_to_db(top_db=80)` puts under decibels (mel bands, contrast peaks or valleys):
/// 80 dB below the loudest value of the whole spectrogram.
///
/// Frame-level extraction sees the whole track and uses the true maximum, so
/// it matches librosa exactly. Streaming summaries see the track once, front
/// to back, and use the loudest value so far; the two agree from the
/// loudest frame on, and before it only where a band is more than 80 dB
/// below the eventual peak.
struct MelDecibelFloor {
    static let topDecibels: Float = 80
    private(set) var maximum = -Float.infinity

    mutating func observe(_ decibels: UnsafeBufferPointer<Float>) {
        if let peak = decibels.max() { maximum = max(maximum, peak) }
    }

    var floor: Float { maximum - Self.topDecibels }

    /// Clips `decibels` into `output` at the floor.
    func clip(_ decibels: UnsafePointer<Float>, count: Int, into output: UnsafeMutablePointer<Float>) {
        let floor = self.floor
        for band in 0..<count { output[band] = max(decibels[band], floor) }
    }
}

/// Spectral-flux onset strength, as `librosa.onset.onset_strength(y, sr)`:
/// the mean over mel bands of the positive change in clipped mel decibels
/// from one frame to the next (lag 1, no max filter), shifted by
/// `1 + fftSize / (2 * hopLength)` frames with zeros in front so that it
/// lines up with centred frames.
enum OnsetStrength {
    /// Frames of zero padding in front: lag 1 plus `n_fft // (2 * hop)`.
    static func leadingPadding(_ configuration: STFTConfiguration) -> Int {
        1 + configuration.fftSize / (2 * configuration.hopLength)
    }

    /// Mel bands below about 500 Hz, whose rise in (linear) power is the
    /// accent envelope ``TempoEstimator`` uses to choose the metrical level.
    static let accentBandCount = 20

    /// The onset strength between two clipped mel-decibel frames, over their first `count` bands.
    static func flux(previous: UnsafePointer<Float>, current: UnsafePointer<Float>, count: Int) -> Float {
        var total: Float = 0
        for band in 0..<count { total += max(0, current[band] - previous[band]) }
        return total / Float(count)
    }
}
