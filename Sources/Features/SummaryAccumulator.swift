import Foundation

/// Streams a track's frames into a ``SongSummary`` without keeping them:
/// running moments per column, plus one onset flux and one accent flux per
/// frame for the tempo estimate.
///
/// MFCC, contrast and onset are finished frame by frame with the floors seen
/// so far (see ``MelDecibelFloor`` for how this differs from the frame-level
/// path), through the same ``FloorDependentFeatures`` step.
struct SummaryAccumulator: FrameSink {
    private let analyzer: FrameAnalyzer
    private let finisher: FloorDependentFeatures
    private(set) var values: FrameValues
    private var moments = RunningMoments(dimension: FrameFeatureNames.count)
    private(set) var row = [Float](repeating: 0, count: FrameFeatureNames.count)
    private var floor = MelDecibelFloor()
    private var contrastFloor = ContrastFloor()
    private var previousClipped: [Float]
    private var currentClipped: [Float]
    private var fluxes: [Float] = []
    private var accentFluxes: [Float] = []
    private var previousLowBandPower: Float = 0
    private var frameCount = 0
    private var silentFrames = 0

    /// An accumulator that analyses frames with `analyzer` and finishes them with `finisher`.
    init(analyzer: FrameAnalyzer, finisher: FloorDependentFeatures) {
        self.analyzer = analyzer
        self.finisher = finisher
        let bands = analyzer.melBank.melBandCount
        values = FrameValues(melBandCount: bands)
        previousClipped = [Float](repeating: 0, count: bands)
        currentClipped = [Float](repeating: 0, count: bands)
    }

    mutating func add(frame: UnsafePointer<Float>, realRange: Range<Int>) {
        analyzer.analyze(frame: frame, realRange: realRange, into: &values)
        let bands = values.melDecibels.count
        values.melDecibels.withUnsafeBufferPointer { floor.observe($0) }
        values.contrastPeakDecibels.withUnsafeBufferPointer { contrastFloor.peaks.observe($0) }
        values.contrastValleyDecibels.withUnsafeBufferPointer { contrastFloor.valleys.observe($0) }
        swap(&previousClipped, &currentClipped)
        values.melDecibels.withUnsafeBufferPointer { decibels in
            currentClipped.withUnsafeMutableBufferPointer { clipped in
                floor.clip(decibels.baseAddress!, count: bands, into: clipped.baseAddress!)
            }
        }
        if frameCount > 0 {
            fluxes.append(finisher.flux(previous: previousClipped, current: currentClipped))
            // Cube-root compression (Stevens' power law for loudness) keeps a loud kick
            // from drowning a snare, as decibels would let a quiet hi-hat count as much as both.
            accentFluxes.append(max(0, cbrt(values.lowBandPower) - cbrt(previousLowBandPower)))
        }
        // Onset is 0 here: it comes from the envelope, in finish().
        finisher.writeRow(&row, values: values, clippedMelDecibels: currentClipped, contrastFloor: contrastFloor)
        row.withUnsafeBufferPointer { moments.add($0) }
        previousLowBandPower = values.lowBandPower
        if values.rms < SongSummary.silenceRMS { silentFrames += 1 }
        frameCount += 1
    }

    /// The summary of every frame added, laid out by ``SummaryLayout/current``, and the tempo estimate.
    ///
    /// - Complexity: O(frames) for the onset statistics, plus the tempo estimate's cost.
    func finish() -> (SongSummary, TempoEstimate) {
        let onset = finisher.onsetEnvelope(fluxes: fluxes, frameCount: frameCount)
        var onsetMoments = RunningMoments(dimension: 1)
        for value in onset { [value].withUnsafeBufferPointer { onsetMoments.add($0) } }

        let tempo = TempoEstimator.estimate(
            onsetEnvelope: onset, accentEnvelope: accentFluxes, frameRate: analyzer.configuration.frameRate)
        let means = moments.means
        let deviations = moments.standardDeviations
        // The onset column of the running moments holds zeros: its statistics come from the aligned envelope.
        func mean(_ column: FrameFeatureColumn) -> Float {
            Float(column.kind == .onset ? onsetMoments.means[0] : means[column.index])
        }
        func deviation(_ column: FrameFeatureColumn) -> Float {
            Float(column.kind == .onset ? onsetMoments.standardDeviations[0] : deviations[column.index])
        }
        let values: [Float] = SummaryLayout.current.dimensions.map { dimension in
            switch dimension {
            case let .mean(column): mean(column)
            case let .standardDeviation(column): deviation(column)
            case .tempoBPM: Float(tempo.bpm)
            case .pulseClarity: Float(tempo.pulseClarity)
            case .silentFraction: frameCount > 0 ? Float(silentFrames) / Float(frameCount) : 1
            }
        }
        return (SongSummary(values: values), tempo)
    }
}
