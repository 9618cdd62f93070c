import AudioDecoding

/// Feeds a track's frames to a ``SummaryAccumulator`` and keeps, from the very
/// rows it computes, some columns and the RMS level of every frame: the song
/// summary and a segmentation's input from one decode and one frame analysis.
///
/// The kept values are those ``StreamedColumnCollector`` keeps for the same
/// columns (both finish each row with the floors seen so far), so a
/// segmentation of them equals one from ``FeatureExtractor/streamedColumns(path:columns:decodeOptions:)``.
struct SegmentColumnsSummarySink: FrameSink {
    private(set) var accumulator: SummaryAccumulator
    private let columns: [Int]
    private(set) var kept: [Float] = []
    private(set) var levels: [Float] = []
    private(set) var frameCount = 0

    /// A sink summarising every frame and keeping `columns` (indices into ``FrameFeatureNames/all``) of each.
    init(analyzer: FrameAnalyzer, finisher: FloorDependentFeatures, columns: [Int]) {
        accumulator = SummaryAccumulator(analyzer: analyzer, finisher: finisher)
        self.columns = columns
    }

    /// Reserves room for `frames` frames (no doubling growth for a long track).
    mutating func reserve(frames: Int) {
        kept.reserveCapacity(frames * columns.count)
        levels.reserveCapacity(frames)
    }

    mutating func add(frame: UnsafePointer<Float>, realRange: Range<Int>) {
        accumulator.add(frame: frame, realRange: realRange)
        for column in columns { kept.append(accumulator.row[column]) }
        levels.append(accumulator.values.rms)
        frameCount += 1
    }
}

extension FeatureExtractor {
    /// The song summary (and, with `embedding`, the learned embedding) of a file together with chosen
    /// columns of every frame and their RMS levels, from one streaming decode.
    ///
    /// The features equal ``summarize(path:decodeOptions:embedding:)``'s and the columns equal
    /// ``streamedColumns(path:columns:decodeOptions:)``'s for the same file and options; only the
    /// frame analysis is shared. Used by `analyze --highlight`, which segments each track in the
    /// analysis pass instead of decoding it again.
    ///
    /// - Parameters:
    ///   - path: the audio file.
    ///   - decodeOptions: as for ``summarize(path:decodeOptions:embedding:)``.
    ///   - embedding: the worker's embedding extractor, or nil.
    ///   - columns: indices into ``FrameFeatureNames/all``; the onset column reads 0.
    /// - Throws: as ``summarize(path:decodeOptions:embedding:)``.
    /// - Complexity: the summary's cost; memory grows by `columns.count + 1` floats a frame.
    public func summarize(path: String, decodeOptions: DecodeOptions = DecodeOptions(),
                          embedding: EmbeddingExtractor?, keepingColumns columns: [Int])
        throws -> (features: TrackFeatures, columns: StreamedFrameColumns)
    {
        let decoder = try embedding.map { try openEmbeddingDecoder(path: path, options: decodeOptions, embedding: $0) }
            ?? openDecoder(path: path, options: decodeOptions)
        var sink = SegmentColumnsSummarySink(analyzer: analyzer, finisher: finisher, columns: columns)
        sink.reserve(frames: expectedFrameCount(decoder))
        var session = embedding.map { EmbeddingSession(extractor: $0, expectedInputSamples: expectedSamples(decoder)) }
        let (report, sampleCount) = try stream(decoder, into: &sink,
                                               alsoTo: session == nil ? nil : { session?.add($0) })
        let (summary, tempo) = sink.accumulator.finish()
        var features = TrackFeatures(
            info: decoder.info, summary: summary, tempo: tempo,
            analyzedSeconds: Double(sampleCount) / Double(configuration.sampleRate),
            startSeconds: report.startSeconds, nonFiniteSampleCount: report.nonFiniteSampleCount)
        if var session { features.embeddings = session.finishAll() }
        return (features, StreamedFrameColumns(columns: columns, values: sink.kept, levels: sink.levels,
                                               frameCount: sink.frameCount, configuration: configuration))
    }
}
