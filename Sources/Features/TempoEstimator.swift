import Foundation

/// A track's tempo, estimated from its onset-strength envelope.
public struct TempoEstimate: Sendable, Equatable, Codable {
    /// Beats per minute.
    public var bpm: Double
    /// How periodic the onsets are at that tempo: the normalised
    /// autocorrelation at the beat period, in [0, 1]. Near 0 for music with
    /// no steady pulse.
    public var pulseClarity: Double

    public init(bpm: Double, pulseClarity: Double) {
        self.bpm = bpm
        self.pulseClarity = pulseClarity
    }

    /// Below this pulse clarity no beat is measurable, and the tempo is reported as absent.
    ///
    /// Measured with `songatlas analyze --format csv` on the committed audio: SampleAudio's
    /// three ambient pads (no beat) give 0.03, 0.03 and 0.10 (the last at a meaningless 240
    /// BPM), its synthetic percussion 0.19 to 0.31, the rest of SampleAudio 0.37 to 0.94, and
    /// the 16 bench-audio tracks (`--excerpt 30`) 0.50 to 0.77; 8 s of white noise 0.05, and silence
    /// no estimate at all (0 BPM).
    public static let minimumPulseClarity = 0.15

    /// Whether the estimate names a beat: a tempo was found and the onsets recur at it
    /// clearly enough (``minimumPulseClarity``).
    public var isMeasurable: Bool { Self.absence(bpm: bpm, pulseClarity: pulseClarity) == nil }

    /// Why no tempo is measurable for an estimate of `bpm` with `pulseClarity`, naming the
    /// measure that decided it; nil when the tempo stands.
    ///
    /// - Parameters:
    ///   - bpm: the estimated tempo; 0 when the envelope was too short or flat.
    ///   - pulseClarity: the estimate's pulse clarity in [0, 1].
    public static func absence(bpm: Double, pulseClarity: Double) -> String? {
        if !(bpm > 0) { return "no tempo could be estimated (too short or no onsets)" }
        guard pulseClarity < minimumPulseClarity else { return nil }
        return String(format: "pulse clarity %.3f is below %.2f: no measurable beat", pulseClarity, minimumPulseClarity)
    }
}

/// Global tempo estimation by autocorrelation of two onset envelopes.
///
/// 1. **Period.** Each envelope's autocorrelation (mean removed, normalised
///    by overlap) is read, with linear interpolation, at the first
///    ``harmonicCount`` multiples of each candidate beat period between
///    ``minimumBPM`` and ``maximumBPM`` on a 0.05-BPM grid; the harmonics make
///    the estimate far finer than one frame of lag. Two envelopes vote with
///    equal weight: the full-band onset strength (any regular onsets) and the
///    *accent* envelope, the rise in cube-root power below about 500 Hz
///    (kick, snare body, bass: the loud events that mark the beat). A broad
///    log-normal prior centred on 120 BPM, 1.25 octaves wide, weights the
///    candidates.
/// 2. **Metrical level.** If the accents recur almost as well at double the
///    tempo (``accentAgreement``), the tempo doubles: the beat is the fastest
///    level at which the accents still recur.
///
/// Unlike librosa's `feature.tempo`, which picks one lag bin of an 8.9 s
/// local autocorrelation (about ±3 % resolution at 120 BPM), this resolves
/// tempi to better than 0.5 %.
public enum TempoEstimator {
    public static let minimumBPM = 40.0
    public static let maximumBPM = 240.0
    public static let priorCentreBPM = 120.0
    public static let priorOctaves = 1.25
    public static let harmonicCount = 4
    /// Double the tempo when the accents at double speed score this fraction of those at the tempo found.
    public static let accentAgreement = 0.75

    /// Estimates the tempo.
    ///
    /// - Parameters:
    ///   - onsetEnvelope: full-band onset strength per frame (any non-negative scale).
    ///   - accentEnvelope: low-band onset strength per frame, as long as
    ///     `onsetEnvelope`; nil to skip the metrical-level step.
    ///   - frameRate: frames per second, > 0.
    /// - Returns: the estimate; 0 BPM with clarity 0 when the envelope is
    ///   too short for four beats at ``maximumBPM`` twice over (2 s), or flat.
    public static func estimate(onsetEnvelope: [Float], accentEnvelope: [Float]? = nil, frameRate: Double)
        -> TempoEstimate
    {
        // Enough lag for every harmonic at the slowest tempo, if the track is long enough;
        // shorter tracks lose the upper harmonics of slow tempi.
        let wantedLag = Int((60 * frameRate / minimumBPM * Double(harmonicCount)).rounded(.up)) + 2
        let maximumLag = min(wantedLag, onsetEnvelope.count / 2)
        guard maximumLag >= Int(60 * frameRate / maximumBPM * Double(harmonicCount)) + 2,
              let onset = Autocorrelation(onsetEnvelope, maximumLag: maximumLag) else {
            return TempoEstimate(bpm: 0, pulseClarity: 0)
        }
        func score(_ correlation: Autocorrelation, _ bpm: Double) -> Double {
            let period = 60 * frameRate / bpm
            var total = 0.0
            for harmonic in 1...harmonicCount { total += correlation.at(lag: period * Double(harmonic)) }
            return total / Double(harmonicCount)
        }

        let accent = accentEnvelope.flatMap { Autocorrelation($0, maximumLag: maximumLag) }
        // Both envelopes vote: the full-band one for any regular onsets, the
        // accent one for the loud, low events that mark the beat.
        func combined(_ bpm: Double) -> Double {
            guard let accent else { return score(onset, bpm) }
            return (score(onset, bpm) + score(accent, bpm)) / 2
        }

        var bestBPM = 0.0
        var bestWeighted = -Double.infinity
        var bpm = minimumBPM
        while bpm <= maximumBPM {
            let prior = exp(-0.5 * pow(log2(bpm / priorCentreBPM) / priorOctaves, 2))
            let weighted = max(combined(bpm), 0) * prior
            if weighted > bestWeighted { (bestWeighted, bestBPM) = (weighted, bpm) }
            bpm += 0.05
        }
        guard bestWeighted > 0 else { return TempoEstimate(bpm: 0, pulseClarity: 0) }
        // Full-band flux is dominated by hi-hats and other bright, dense events; if the
        // accents recur almost as well at double speed, the beat is there.
        if let accent, bestBPM * 2 <= maximumBPM {
            let here = score(accent, bestBPM)
            if here > 0 && score(accent, bestBPM * 2) >= accentAgreement * here {
                bestBPM = refine(around: bestBPM * 2, score: combined)
            }
        }
        return TempoEstimate(bpm: bestBPM, pulseClarity: min(max(score(onset, bestBPM), 0), 1))
    }

    /// Searches ±2 % around `bpm` for the best score.
    private static func refine(around bpm: Double, score: (Double) -> Double) -> Double {
        var best = bpm
        var bestScore = score(bpm)
        var candidate = bpm * 0.98
        while candidate <= bpm * 1.02 {
            let value = score(candidate)
            if value > bestScore { (best, bestScore) = (candidate, value) }
            candidate += 0.05
        }
        return best
    }
}

/// The autocorrelation of a mean-removed envelope, normalised by overlap
/// and by its value at lag 0, for lags `0...maximumLag`.
struct Autocorrelation {
    let values: [Double]

    /// Nil when the envelope is shorter than twice `maximumLag` or flat.
    init?(_ envelope: [Float], maximumLag: Int) {
        let count = envelope.count
        guard maximumLag > 0, count >= 2 * maximumLag else { return nil }
        let mean = envelope.reduce(0.0) { $0 + Double($1) } / Double(count)
        let centred = envelope.map { Double($0) - mean }
        var correlation = [Double](repeating: 0, count: maximumLag + 1)
        centred.withUnsafeBufferPointer { values in
            for lag in 0...maximumLag {
                var total = 0.0
                for index in 0..<(count - lag) { total += values[index] * values[index + lag] }
                correlation[lag] = total / Double(count - lag)
            }
        }
        guard correlation[0] > 1e-12 else { return nil }
        values = correlation.map { $0 / correlation[0] }
    }

    /// Linear interpolation between integer lags; 0 beyond the last.
    func at(lag: Double) -> Double {
        let lower = Int(lag)
        guard lower >= 0, lower + 1 < values.count else { return 0 }
        let fraction = lag - Double(lower)
        return values[lower] * (1 - fraction) + values[lower + 1] * fraction
    }
}
