import Clustering
import Features

/// The groups of summary dimensions a user can weight.
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

    /// The group a summary dimension belongs to.
    public static func of(_ name: String) -> FeatureGroup {
        if name.hasPrefix("chroma_") { return .harmony }
        if name.hasPrefix("onset_") || name == "tempo_bpm" || name == "pulse_clarity" { return .rhythm }
        if name.hasPrefix("rms_") || name == "silent_fraction" { return .loudness }
        if name.hasPrefix("contrast_") { return .texture }
        return .timbre
    }
}

/// Weights of the feature groups; each group's dimensions are scaled so that
/// a weight of 1 gives the group as much influence as any other, however
/// many dimensions it has.
public struct FeatureWeights: Sendable, Equatable, Codable {
    public var timbre: Double = 1
    public var harmony: Double = 0.5
    public var rhythm: Double = 0.5
    public var loudness: Double = 0.5
    public var texture: Double = 1

    public init(timbre: Double = 1, harmony: Double = 0.5, rhythm: Double = 0.5, loudness: Double = 0.5,
                texture: Double = 1) {
        self.timbre = timbre
        self.harmony = harmony
        self.rhythm = rhythm
        self.loudness = loudness
        self.texture = texture
    }

    public subscript(group: FeatureGroup) -> Double {
        switch group {
        case .timbre: timbre
        case .harmony: harmony
        case .rhythm: rhythm
        case .loudness: loudness
        case .texture: texture
        }
    }

    /// One weight per summary dimension: the group weight over √(dimensions in the group).
    public func perDimension(names: [String] = SongSummary.names) -> [Double] {
        var counts: [FeatureGroup: Int] = [:]
        for name in names { counts[FeatureGroup.of(name), default: 0] += 1 }
        return names.map { name in
            let group = FeatureGroup.of(name)
            return self[group] / Double(counts[group]!).squareRoot()
        }
    }
}
