import AudioDecoding

/// Chosen frame columns and RMS levels of a signal pushed in blocks, as
/// ``FeatureExtractor/streamedColumns(path:columns:decodeOptions:)`` computes
/// them from a file: for a caller that already decodes the file for another
/// purpose (a map preview) and wants the segmenter's columns from the same decode.
///
/// Blocks must be mono at the extractor's ``STFTConfiguration/sampleRate``.
/// Memory grows by `columns.count + 1` floats a frame, as with a file.
public final class FrameColumnStream {
    private let configuration: STFTConfiguration
    private let columns: [Int]
    private var framer: CenteredFramer
    private var collector: StreamedColumnCollector

    /// A stream keeping `columns` (indices into ``FrameFeatureNames/all``) of every frame.
    ///
    /// - Parameters:
    ///   - extractor: the STFT and filter banks; default librosa's configuration (22050 Hz).
    ///   - columns: indices into ``FrameFeatureNames/all``; the onset column reads 0.
    ///   - expectedSampleCount: the signal's length if known, to reserve memory once; nil grows as needed.
    public init(extractor: FeatureExtractor = FeatureExtractor(), columns: [Int], expectedSampleCount: Int? = nil) {
        configuration = extractor.configuration
        self.columns = columns
        framer = CenteredFramer(configuration: extractor.configuration)
        collector = StreamedColumnCollector(analyzer: extractor.analyzer, finisher: extractor.finisher, columns: columns)
        if let expectedSampleCount, expectedSampleCount > 0 {
            collector.reserve(frames: extractor.configuration.frameCount(sampleCount: expectedSampleCount))
        }
    }

    /// The rate blocks must have, in Hz.
    public var sampleRate: Int { configuration.sampleRate }

    /// Frames `block` (mono samples at ``sampleRate``) and keeps the columns of every complete frame.
    public func append(_ block: UnsafeBufferPointer<Float>) {
        framer.append(block) { self.collector.add(frame: $0, realRange: $1) }
    }

    /// Frames the end of the signal.
    ///
    /// - Returns: the columns of every frame, or nil when the signal is shorter than one
    ///   frame (`fftSize` samples), as a file too short to analyse.
    public func finish() -> StreamedFrameColumns? {
        guard framer.sampleCount >= configuration.fftSize else { return nil }
        framer.finish { self.collector.add(frame: $0, realRange: $1) }
        return StreamedFrameColumns(columns: columns, values: collector.kept, levels: collector.levels,
                                    frameCount: collector.frameCount, configuration: configuration)
    }
}
