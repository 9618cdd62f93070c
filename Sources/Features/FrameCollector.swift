/// Collects every frame of a track into a ``FrameFeatureMatrix``, matching
/// librosa exactly: MFCC, contrast and onset are finished once the whole
/// track is in, with the whole track's 80 dB floors.
///
/// Holds one row per frame plus the unclipped mel decibels (128 floats per
/// frame) and contrast peaks and valleys until ``finish()``.
struct FrameCollector: FrameSink {
    private let analyzer: FrameAnalyzer
    private let finisher: FloorDependentFeatures
    private var values: FrameValues
    private var rows: [Float] = []
    private var melDecibels: [Float] = []
    private var floor = MelDecibelFloor()
    private var contrastPeaks: [Float] = []
    private var contrastValleys: [Float] = []
    private var contrastFloor = ContrastFloor()
    private var frameCount = 0

    /// A collector that analyses frames with `analyzer` and finishes them with `finisher`.
    init(analyzer: FrameAnalyzer, finisher: FloorDependentFeatures) {
        self.analyzer = analyzer
        self.finisher = finisher
        values = FrameValues(melBandCount: analyzer.melBank.melBandCount)
    }

    /// Reserves room for `frames` frames, so that a long track does not
    /// pay for the doubling growth of its arrays (up to twice the memory).
    mutating func reserve(frames: Int) {
        rows.reserveCapacity(frames * FrameFeatureNames.count)
        melDecibels.reserveCapacity(frames * analyzer.melBank.melBandCount)
        contrastPeaks.reserveCapacity(frames * SpectralContrast.bandCount)
        contrastValleys.reserveCapacity(frames * SpectralContrast.bandCount)
    }

    mutating func add(frame: UnsafePointer<Float>, realRange: Range<Int>) {
        analyzer.analyze(frame: frame, realRange: realRange, into: &values)
        var row = [Float](repeating: 0, count: FrameFeatureNames.count)
        row.withUnsafeMutableBufferPointer { values.writeFrameColumns(into: $0.baseAddress!) }
        rows.append(contentsOf: row)
        values.melDecibels.withUnsafeBufferPointer { floor.observe($0) }
        melDecibels.append(contentsOf: values.melDecibels)
        values.contrastPeakDecibels.withUnsafeBufferPointer { contrastFloor.peaks.observe($0) }
        values.contrastValleyDecibels.withUnsafeBufferPointer { contrastFloor.valleys.observe($0) }
        contrastPeaks.append(contentsOf: values.contrastPeakDecibels)
        contrastValleys.append(contentsOf: values.contrastValleyDecibels)
        frameCount += 1
    }

    /// Clips the mel decibels at the whole track's floor, then fills in MFCC, contrast and onset.
    ///
    /// - Returns: the matrix of every frame added.
    /// - Complexity: O(frames × mel bands × MFCCs).
    mutating func finish() -> FrameFeatureMatrix {
        let bands = analyzer.melBank.melBandCount
        let width = FrameFeatureNames.count
        let contrastBands = SpectralContrast.bandCount
        let onsetColumn = FrameFeatureNames.columns(of: .onset).lowerBound
        // Clipped in place: the mel decibels are the largest array here.
        let floor = self.floor
        melDecibels.withUnsafeMutableBufferPointer { decibels in
            floor.clip(decibels.baseAddress!, count: decibels.count, into: decibels.baseAddress!)
        }
        let finisher = self.finisher
        let contrastFloor = self.contrastFloor
        let frameCount = self.frameCount
        melDecibels.withUnsafeBufferPointer { decibels in
            var fluxes: [Float] = []
            fluxes.reserveCapacity(max(frameCount - 1, 0))
            for frame in 1..<max(frameCount, 1) {
                fluxes.append(finisher.flux(previous: decibels.baseAddress! + (frame - 1) * bands,
                                            current: decibels.baseAddress! + frame * bands))
            }
            let onset = finisher.onsetEnvelope(fluxes: fluxes, frameCount: frameCount)
            contrastPeaks.withUnsafeBufferPointer { peaks in
                contrastValleys.withUnsafeBufferPointer { valleys in
                    rows.withUnsafeMutableBufferPointer { rows in
                        for frame in 0..<frameCount {
                            let row = rows.baseAddress! + frame * width
                            finisher.writeColumns(
                                clippedMelDecibels: decibels.baseAddress! + frame * bands,
                                contrastPeakDecibels: peaks.baseAddress! + frame * contrastBands,
                                contrastValleyDecibels: valleys.baseAddress! + frame * contrastBands,
                                contrastFloor: contrastFloor, into: row)
                            row[onsetColumn] = onset[frame]
                        }
                    }
                }
            }
        }
        return FrameFeatureMatrix(configuration: analyzer.configuration, frameCount: frameCount, values: rows)
    }
}
