import AudioDecoding
import Foundation
import Library

/// How closely two decodes agree sample by sample: what confirms a match by distance.
///
/// The normalised cross-correlation of the two signals (mono, at the analysis
/// rate) at their best lag within ``maximumLagSeconds`` (an encoder's delay),
/// over at most ``maximumSeconds`` from their starts (a cue track's start, not
/// its file's). It ignores a gain change (it is normalised) and survives lossy
/// encoding at 96 kbit/s and up (the error is some 15 dB or more below the
/// signal, so the correlation stays near 1), while two different recordings decorrelate: a 1 s sine at 221 Hz against
/// one at 220 Hz drifts a whole cycle and scores about 0, two noises nothing.
/// The feature distance cannot tell those apart (the two sines lie closer than
/// a clip and its MP3), which is why ``DuplicateFinder`` never groups by
/// distance without this.
///
/// The lag is found in two steps: a coarse one on both signals averaged over
/// ``coarseFactor`` samples, then the full rate around the best coarse lags
/// (and lag 0, where a lossless copy sits).
public enum WaveformMatch {
    /// The largest lag searched, in seconds (an MP3 or AAC encoder's delay is under 0.05 s).
    public static let maximumLagSeconds = 0.1
    /// The longest stretch compared, in seconds from each song's start.
    public static let maximumSeconds = 10.0
    /// The correlation from which two decodes are one recording.
    ///
    /// 2.5 s clips of the duplicates set (scripts/make-duplicates-audio) and their copies (MP3 and AAC at
    /// 128 kbit/s, Opus at 96 kbit/s, 4 dB louder) correlate at 0.983 or more; two different generated
    /// songs stay under 0.3 (a 1.5 s sine against one 1 Hz away: 0.21 at most; DuplicateShortSongTests).
    public static let threshold = 0.8
    /// Samples averaged into one for the coarse lag search.
    static let coarseFactor = 16

    /// The best normalised correlation of `first` and `second` at a lag within `maximumLagSamples`, in [-1, 1];
    /// 0 when either is silent or empty.
    ///
    /// - Parameters:
    ///   - first, second: mono samples at one rate.
    ///   - maximumLagSamples: the largest lag tried, in samples of that rate.
    /// - Complexity: O(n × maximumLagSamples / coarseFactor²) for the coarse search, O(n × coarseFactor) for the fine one.
    public static func correlation(_ first: [Float], _ second: [Float], maximumLagSamples: Int) -> Double {
        guard !first.isEmpty, !second.isEmpty else { return 0 }
        let coarseFirst = averaged(first), coarseSecond = averaged(second)
        let coarseReach = maximumLagSamples / coarseFactor + 1
        var coarse: [(lag: Int, value: Double)] = []
        for lag in -coarseReach...coarseReach { coarse.append((lag, normalised(coarseFirst, coarseSecond, lag: lag))) }
        let candidates = [0] + coarse.sorted { $0.value > $1.value }.prefix(3).map { $0.lag * coarseFactor }
        var tried = Set<Int>()
        var best = 0.0
        for centre in candidates {
            for lag in (centre - coarseFactor)...(centre + coarseFactor)
                where abs(lag) <= maximumLagSamples && tried.insert(lag).inserted {
                best = max(best, normalised(first, second, lag: lag))
            }
        }
        return best
    }

    /// The correlation of two songs' excerpts (``excerpt(of:)``, ``correlation(_:_:maximumLagSamples:)``), or nil
    /// when either cannot be decoded. Decodes both; ``DuplicateFinder`` memoises the excerpts instead
    /// (``WaveformExcerpts``).
    public static func correlation(_ first: TrackAnalysis, _ second: TrackAnalysis) -> Double? {
        guard let a = excerpt(of: first), let b = excerpt(of: second) else { return nil }
        return correlation(a, b)
    }

    /// ``correlation(_:_:maximumLagSamples:)`` of two excerpts at the analysis rate, lags up to ``maximumLagSeconds``.
    public static func correlation(_ first: [Float], _ second: [Float]) -> Double {
        correlation(first, second, maximumLagSamples: Int(maximumLagSeconds * Double(AnalysisRate.sampleRate)))
    }

    /// The first ``maximumSeconds`` of a song, mono at the analysis rate, or nil when it cannot be decoded.
    ///
    /// A cue sheet track is read from its own range of its file (``CueSheetTrack/startSample``, a
    /// sample-exact seek through ``DecodeOptions/frameRange``), so two tracks of one album image, or a
    /// track and a loose file, compare their own audio rather than the image's start.
    ///
    /// - Parameter track: the analysed song; its ``TrackAnalysis/path`` and ``TrackAnalysis/cueTrack``.
    /// - Returns: at most ``maximumSeconds`` × ``AnalysisRate/sampleRate`` samples (882 kB).
    public static func excerpt(of track: TrackAnalysis) -> [Float]? {
        var options = DecodeOptions()
        if let cue = track.cueTrack {
            guard cue.startSample >= 0, cue.endSample > cue.startSample, cue.sampleRate > 0 else { return nil }
            // The range need not run past the excerpt: the decoder then stops at the track's end or soon after.
            let wanted = Int((maximumSeconds * Double(cue.sampleRate)).rounded(.up)) + cue.sampleRate / 10
            options.frameRange = cue.startSample..<min(cue.endSample, cue.startSample + wanted)
        }
        return decode(track.path, options: options)
    }

    /// The first ``maximumSeconds`` of a file (or of `options`' frame range), mono at the analysis rate,
    /// or nil when it cannot be decoded.
    static func decode(_ path: String, options: DecodeOptions = DecodeOptions()) -> [Float]? {
        let limit = Int(maximumSeconds * Double(AnalysisRate.sampleRate))
        guard let decoder = try? AudioDecoder(path: path, options: options) else { return nil }
        var samples: [Float] = []
        samples.reserveCapacity(min(limit, 1 << 20))
        // The decode stops at the first block past the limit (DecodingError.stopped is not an error here).
        do {
            try decoder.decode { block in
                guard samples.count < limit else { throw WaveformDecodeStop() }
                samples.append(contentsOf: block.prefix(limit - samples.count))
            }
        } catch is WaveformDecodeStop {
        } catch {
            return nil
        }
        return samples
    }

    /// Thrown by the block handler to stop a decode once ``maximumSeconds`` are in.
    private struct WaveformDecodeStop: Error {}

    /// Means of consecutive runs of ``coarseFactor`` samples.
    private static func averaged(_ samples: [Float]) -> [Float] {
        let count = samples.count / coarseFactor
        var result = [Float](repeating: 0, count: count)
        samples.withUnsafeBufferPointer { input in
            for index in 0..<count {
                var sum: Float = 0
                for offset in 0..<coarseFactor { sum += input[index * coarseFactor + offset] }
                result[index] = sum / Float(coarseFactor)
            }
        }
        return result
    }

    /// Σ a[i] b[i + lag] / √(Σ a² Σ b²) over the overlap; 0 when the overlap is silent or empty.
    private static func normalised(_ first: [Float], _ second: [Float], lag: Int) -> Double {
        let start = max(0, -lag)
        let end = min(first.count, second.count - lag)
        guard start < end else { return 0 }
        var product = 0.0, firstEnergy = 0.0, secondEnergy = 0.0
        first.withUnsafeBufferPointer { a in
            second.withUnsafeBufferPointer { b in
                for index in start..<end {
                    let (x, y) = (Double(a[index]), Double(b[index + lag]))
                    product += x * y
                    firstEnergy += x * x
                    secondEnergy += y * y
                }
            }
        }
        guard firstEnergy > 0, secondEnergy > 0 else { return 0 }
        return product / (firstEnergy * secondEnergy).squareRoot()
    }
}
