/// One block of frame-feature columns: a feature that yields one or more
/// columns per frame (20 MFCCs, 12 chroma bins, 7 contrast bands, or a
/// single spectral measure).
///
/// The cases are in column order: ``FrameFeatureNames/all`` is the
/// concatenation of every case's ``columnNames``, and
/// ``FrameFeatureNames/columns(of:)`` gives each case's range of columns.
/// Adding, removing or reordering a case changes the frame matrix and the
/// song summary, and so needs a new ``SummaryLayout/version``.
public enum FrameFeatureKind: String, CaseIterable, Sendable, Hashable {
    /// Mel-frequency cepstral coefficients 1–20 (librosa.feature.mfcc, n_mfcc=20).
    case mfcc
    /// Pitch-class energy C … B, largest 1 (librosa.feature.chroma_stft).
    case chroma
    /// Spectral centroid in Hz (librosa.feature.spectral_centroid).
    case centroid
    /// Spectral bandwidth in Hz (librosa.feature.spectral_bandwidth).
    case bandwidth
    /// Spectral roll-off frequency in Hz at 85 % (librosa.feature.spectral_rolloff).
    case rolloff
    /// Spectral flatness in [0, 1] (librosa.feature.spectral_flatness).
    case flatness
    /// Zero-crossing rate per sample in [0, 1] (librosa.feature.zero_crossing_rate).
    case zeroCrossingRate
    /// Root-mean-square level of the frame (librosa.feature.rms).
    case rms
    /// Spectral-flux onset strength (librosa.onset.onset_strength).
    case onset
    /// Spectral contrast in dB per octave band, 7 bands (librosa.feature.spectral_contrast).
    case contrast

    /// Columns this feature occupies in a frame row.
    public var width: Int {
        switch self {
        case .mfcc: FrameFeatureNames.mfccCount
        case .chroma: ChromaFilterBank.pitchClassCount
        case .contrast: SpectralContrast.bandCount
        case .centroid, .bandwidth, .rolloff, .flatness, .zeroCrossingRate, .rms, .onset: 1
        }
    }

    /// The output names of this feature's columns, e.g. `mfcc_1 … mfcc_20`,
    /// `chroma_C … chroma_B`, `centroid`, `zcr`.
    public var columnNames: [String] {
        switch self {
        case .mfcc: (1...width).map { "mfcc_\($0)" }
        case .chroma: FrameFeatureNames.pitchClasses.map { "chroma_\($0)" }
        case .contrast: (1...width).map { "contrast_\($0)" }
        case .centroid: ["centroid"]
        case .bandwidth: ["bandwidth"]
        case .rolloff: ["rolloff"]
        case .flatness: ["flatness"]
        case .zeroCrossingRate: ["zcr"]
        case .rms: ["rms"]
        case .onset: ["onset"]
        }
    }

    /// The weighting group the summary statistics of this feature belong to.
    public var group: FeatureGroup {
        switch self {
        case .mfcc, .centroid, .bandwidth, .rolloff, .flatness, .zeroCrossingRate: .timbre
        case .chroma: .harmony
        case .onset: .rhythm
        case .rms: .loudness
        case .contrast: .texture
        }
    }
}
