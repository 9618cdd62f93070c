/// The groups of song-summary dimensions a user can weight.
///
/// Every block of ``SummaryLayout`` belongs to exactly one group, so a weight
/// per group (SongAtlas's `FeatureWeights`) becomes a weight per dimension
/// through ``SummaryLayout/groups`` without looking at any name. The raw
/// values are the words accepted by `--weights` (`timbre=1,harmony=0.5`).
public enum FeatureGroup: String, CaseIterable, Sendable, Codable {
    /// Tone colour: MFCC, spectral centroid, bandwidth, roll-off, flatness, zero-crossing rate.
    case timbre
    /// Pitch-class content: chroma.
    case harmony
    /// Onset strength, tempo, pulse clarity.
    case rhythm
    /// RMS level and the fraction of near-silent frames.
    case loudness
    /// Spectral contrast: peaks against valleys per octave band (tonal against noisy texture).
    case texture
}
