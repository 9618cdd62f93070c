/// The finishing step shared by frame matrices and song summaries: MFCC,
/// spectral contrast and onset strength, the three features librosa computes
/// from decibels clipped 80 dB below a whole-track maximum.
///
/// Frame-level extraction clips with the whole track's floor once every
/// frame is in; summaries clip as they stream, with the floor so far
/// (``MelDecibelFloor``). Either way the clipped values go through these
/// same functions, so the two paths cannot drift apart.
struct FloorDependentFeatures {
    /// The DCT from clipped mel decibels to MFCCs.
    let mfcc: MFCCTransform
    /// Frames of zeros in front of the onset envelope (``OnsetStrength/leadingPadding(_:)``).
    let onsetLead: Int

    /// Prepares the step for one STFT configuration.
    ///
    /// - Parameters:
    ///   - configuration: the STFT the frames come from.
    ///   - melBandCount: mel bands per frame (128).
    init(configuration: STFTConfiguration, melBandCount: Int) {
        mfcc = MFCCTransform(melBandCount: melBandCount, coefficientCount: FrameFeatureNames.mfccCount)
        onsetLead = OnsetStrength.leadingPadding(configuration)
    }

    /// Fills a whole streamed row: the frame's own columns, then MFCC and
    /// contrast from the clipped mel decibels, and onset 0 (the onset comes
    /// from the envelope when the track is finished).
    ///
    /// - Parameters:
    ///   - row: a ``FrameFeatureNames`` row, `FrameFeatureNames.all.count` long.
    ///   - values: the frame's analysis.
    ///   - clippedMelDecibels: its mel decibels clipped at the running floor.
    ///   - contrastFloor: the floors the contrast peaks and valleys are clipped at.
    func writeRow(_ row: inout [Float], values: FrameValues, clippedMelDecibels: [Float], contrastFloor: ContrastFloor) {
        row.withUnsafeMutableBufferPointer { row in
            values.writeFrameColumns(into: row.baseAddress!)
            clippedMelDecibels.withUnsafeBufferPointer { clipped in
                values.contrastPeakDecibels.withUnsafeBufferPointer { peaks in
                    values.contrastValleyDecibels.withUnsafeBufferPointer { valleys in
                        writeColumns(clippedMelDecibels: clipped.baseAddress!, contrastPeakDecibels: peaks.baseAddress!,
                                     contrastValleyDecibels: valleys.baseAddress!, contrastFloor: contrastFloor,
                                     into: row.baseAddress!)
                    }
                }
            }
            row[FrameFeatureNames.columns(of: .onset).lowerBound] = 0
        }
    }

    /// Writes the MFCC and spectral-contrast columns of one frame row.
    ///
    /// - Parameters:
    ///   - clippedMelDecibels: the frame's `mfcc.melBandCount` mel decibels, already clipped.
    ///   - contrastPeakDecibels: the frame's ``SpectralContrast/bandCount`` peak decibels, not clipped.
    ///   - contrastValleyDecibels: likewise for the valleys.
    ///   - contrastFloor: the floors the peaks and valleys are clipped at.
    ///   - row: a ``FrameFeatureNames`` row; only the MFCC and contrast columns are written.
    /// - Complexity: O(MFCCs × mel bands).
    func writeColumns(clippedMelDecibels: UnsafePointer<Float>, contrastPeakDecibels: UnsafePointer<Float>,
                      contrastValleyDecibels: UnsafePointer<Float>, contrastFloor: ContrastFloor,
                      into row: UnsafeMutablePointer<Float>) {
        mfcc.apply(clippedMelDecibels, into: row + FrameFeatureNames.columns(of: .mfcc).lowerBound)
        contrastFloor.contrast(peakDecibels: contrastPeakDecibels, valleyDecibels: contrastValleyDecibels,
                               into: row + FrameFeatureNames.columns(of: .contrast).lowerBound)
    }

    /// The spectral flux from one clipped mel-decibel frame to the next (``OnsetStrength/flux(previous:current:count:)``).
    func flux(previous: UnsafePointer<Float>, current: UnsafePointer<Float>) -> Float {
        OnsetStrength.flux(previous: previous, current: current, count: mfcc.melBandCount)
    }

    /// The onset envelope of a track, aligned with its centred frames.
    ///
    /// `onset[t] = fluxes[t - onsetLead]` for `t ≥ onsetLead` and 0 before,
    /// as librosa.onset.onset_strength pads it.
    /// - Parameters:
    ///   - fluxes: ``flux(previous:current:)`` of each consecutive pair of frames (`frameCount - 1` values, or more).
    ///   - frameCount: frames in the track, ≥ 0.
    /// - Returns: `frameCount` values.
    func onsetEnvelope(fluxes: [Float], frameCount: Int) -> [Float] {
        var onset = [Float](repeating: 0, count: min(onsetLead, frameCount))
        onset.append(contentsOf: fluxes.prefix(max(frameCount - onsetLead, 0)))
        return onset
    }
}
