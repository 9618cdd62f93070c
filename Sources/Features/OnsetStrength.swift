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
