import AudioDecoding

/// Streams a track's frames and keeps only some columns of each, plus its
/// RMS level: the frame features segmentation needs, in a fraction of the
/// memory of a ``FrameCollector``.
///
/// MFCC and contrast are finished frame by frame with the floors seen so far,
/// as ``SummaryAccumulator`` does (see ``MelDecibelFloor`` for how that differs
/// from librosa's whole-track floor: only before the loudest frame, and only in
/// bands more than 80 dB below it). Nothing but the kept columns is held: no
/// mel decibels, no contrast peaks, no other column. The onset column is not
/// available here (it needs the whole track's envelope) and reads 0.
struct StreamedColumnCollector: FrameSink {
    private let analyzer: FrameAnalyzer
    private let finisher: FloorDependentFeatures
    private let columns: [Int]
    private var values: FrameValues
    private var row = [Float](repeating: 0, count: FrameFeatureNames.count)
    private var clipped: [Float]
    private var floor = MelDecibelFloor()
    private var contrastFloor = ContrastFloor()
    private(set) var kept: [Float] = []
    private(set) var levels: [Float] = []
    private(set) var frameCount = 0

    /// A collector keeping `columns` (indices into ``FrameFeatureNames/all``) of every frame.
    init(analyzer: FrameAnalyzer, finisher: FloorDependentFeatures, columns: [Int]) {
        self.analyzer = analyzer
        self.finisher = finisher
        self.columns = columns
        values = FrameValues(melBandCount: analyzer.melBank.melBandCount)
        clipped = [Float](repeating: 0, count: analyzer.melBank.melBandCount)
    }

    /// Reserves room for `frames` frames (no doubling growth for a long track).
    mutating func reserve(frames: Int) {
        kept.reserveCapacity(frames * columns.count)
        levels.reserveCapacity(frames)
    }

    mutating func add(frame: UnsafePointer<Float>, realRange: Range<Int>) {
        analyzer.analyze(frame: frame, realRange: realRange, into: &values)
        let bands = values.melDecibels.count
        values.melDecibels.withUnsafeBufferPointer { floor.observe($0) }
        values.contrastPeakDecibels.withUnsafeBufferPointer { contrastFloor.peaks.observe($0) }
        values.contrastValleyDecibels.withUnsafeBufferPointer { contrastFloor.valleys.observe($0) }
        values.melDecibels.withUnsafeBufferPointer { decibels in
            clipped.withUnsafeMutableBufferPointer { clipped in
                floor.clip(decibels.baseAddress!, count: bands, into: clipped.baseAddress!)
            }
        }
        finisher.writeRow(&row, values: values, clippedMelDecibels: clipped, contrastFloor: contrastFloor)
        for column in columns { kept.append(row[column]) }
        levels.append(values.rms)
        frameCount += 1
    }
}

/// Some columns of every frame of a track, and each frame's RMS level, from
/// ``FeatureExtractor/streamedColumns(path:columns:decodeOptions:)``.
public struct StreamedFrameColumns: Sendable {
    /// The columns kept, as indices into ``FrameFeatureNames/all``.
    public var columns: [Int]
    /// `frameCount × columns.count` values, row-major.
    public var values: [Float]
    /// Each frame's RMS level (librosa.feature.rms), `frameCount` values.
    public var levels: [Float]
    public var frameCount: Int
    /// The STFT the frames come from (frame rate, hop).
    public var configuration: STFTConfiguration
}

extension FeatureExtractor {
    /// Chosen columns of every frame of a file and their RMS levels, streaming:
    /// memory grows by `columns.count + 1` floats a frame, against the full
    /// matrix's ``FrameFeatureNames/count`` plus 128 mel decibels and 14
    /// contrast values.
    ///
    /// - Parameters:
    ///   - path: the audio file.
    ///   - columns: indices into ``FrameFeatureNames/all``; the onset column reads 0.
    ///   - decodeOptions: excerpt, block size and time limit, at ``configuration``'s rate.
    /// - Throws: as ``frameFeatures(path:decodeOptions:)``.
    /// - Complexity: O(frames × `fftSize` log `fftSize`); memory O(frames × (columns + 1)).
    public func streamedColumns(path: String, columns: [Int], decodeOptions: DecodeOptions = DecodeOptions())
        throws -> (info: AudioFileInfo, columns: StreamedFrameColumns)
    {
        let decoder = try openDecoder(path: path, options: decodeOptions)
        var collector = StreamedColumnCollector(analyzer: analyzer, finisher: finisher, columns: columns)
        collector.reserve(frames: expectedFrameCount(decoder))
        _ = try stream(decoder, into: &collector)
        return (decoder.info, StreamedFrameColumns(columns: columns, values: collector.kept, levels: collector.levels,
                                                   frameCount: collector.frameCount, configuration: configuration))
    }
}
