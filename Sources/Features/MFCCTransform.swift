/// Mel-frequency cepstral coefficients from mel decibels.
///
/// The orthonormal DCT-II (``OrthonormalDCT``) of the clipped mel decibels,
/// keeping the first `coefficientCount`:
/// `scipy.fftpack.dct(x, type=2, norm="ortho")[:n]`, as in
/// `librosa.feature.mfcc(y, sr, n_mfcc=20)` (no liftering).
struct MFCCTransform: Sendable {
    /// Mel bands per frame (128).
    let melBandCount: Int
    /// MFCCs per frame (20).
    let coefficientCount: Int
    private let dct: OrthonormalDCT

    /// Builds the DCT basis.
    ///
    /// - Parameters:
    ///   - melBandCount: mel bands per frame, ≥ 1; default 128.
    ///   - coefficientCount: MFCCs kept, in `1...melBandCount`; default 20.
    init(melBandCount: Int = 128, coefficientCount: Int = 20) {
        self.melBandCount = melBandCount
        self.coefficientCount = coefficientCount
        dct = OrthonormalDCT(inputCount: melBandCount, outputCount: coefficientCount)
    }

    /// Writes `coefficientCount` MFCCs of `decibels` (already clipped) to `output`.
    func apply(_ decibels: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        dct.apply(decibels, into: output)
    }
}
