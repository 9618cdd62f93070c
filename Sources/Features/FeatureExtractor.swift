import AudioDecoding
import Foundation

/// Turns audio into features: frame-level matrices or a per-track summary.
///
/// Decoding, framing and analysis stream block by block, so memory does not
/// grow with the length of the track (beyond one float per frame for the
/// onset envelope). Frames go to a ``FrameCollector`` (frame-level features)
/// or a ``SummaryAccumulator`` (song summary); both finish MFCC, contrast and
/// onset through one ``FloorDependentFeatures`` step. One extractor owns an
/// FFT plan and scratch buffers and serves one thread; make one per worker.
public final class FeatureExtractor {
    /// The STFT every feature is computed on; its ``STFTConfiguration/sampleRate``
    /// is the rate the decoder must deliver.
    public let configuration: STFTConfiguration
    let analyzer: FrameAnalyzer
    let finisher: FloorDependentFeatures

    /// Builds filter banks and plans the FFT.
    ///
    /// - Parameter configuration: the STFT; default librosa's (22050 Hz, 2048, hop 512).
    /// - Complexity: O(`fftSize` × mel bands) for the filter banks, plus FFTW planning.
    public init(configuration: STFTConfiguration = STFTConfiguration()) {
        self.configuration = configuration
        analyzer = FrameAnalyzer(
            configuration: configuration,
            melBank: MelFilterBank(sampleRate: configuration.sampleRate, fftSize: configuration.fftSize),
            chromaBank: ChromaFilterBank(sampleRate: configuration.sampleRate, fftSize: configuration.fftSize))
        finisher = FloorDependentFeatures(configuration: configuration, melBandCount: analyzer.melBank.melBandCount)
    }

    var minimumSeconds: Double { Double(configuration.fftSize) / Double(configuration.sampleRate) }

    // MARK: Frame level

    /// Frame-level features of a file, matching librosa exactly (MFCC and
    /// onset use the whole track's loudest mel value for their 80 dB floor).
    ///
    /// - Parameters:
    ///   - path: the audio file.
    ///   - decodeOptions: excerpt, block size and time limit; its `outputSampleRate`
    ///     must equal ``configuration``'s `sampleRate` (the default does).
    /// - Returns: the file's header and tags, and one row of ``FrameFeatureNames/all`` per frame.
    /// - Throws: ``DecodingError``: `invalidParameter` naming both rates when they differ,
    ///   `tooShort` for less than one frame of audio, or what decoding throws.
    /// - Complexity: O(frames × `fftSize` log `fftSize`); memory O(frames × mel bands).
    public func frameFeatures(path: String, decodeOptions: DecodeOptions = DecodeOptions())
        throws -> (info: AudioFileInfo, features: FrameFeatureMatrix)
    {
        let decoder = try openDecoder(path: path, options: decodeOptions)
        var collector = FrameCollector(analyzer: analyzer, finisher: finisher)
        collector.reserve(frames: expectedFrameCount(decoder))
        _ = try stream(decoder, into: &collector)
        return (decoder.info, collector.finish())
    }

    /// Frame-level features of samples already at ``STFTConfiguration/sampleRate``.
    ///
    /// - Parameter samples: mono samples at ``configuration``'s rate; any length (even empty).
    /// - Returns: `1 + samples.count / hopLength` rows of ``FrameFeatureNames/all``.
    public func frameFeatures(samples: [Float]) -> FrameFeatureMatrix {
        var collector = FrameCollector(analyzer: analyzer, finisher: finisher)
        stream(samples, into: &collector)
        return collector.finish()
    }

    /// Frames the header promises (an estimate for MP3 and Vorbis), at most
    /// 12 hours' worth, so that a lying header cannot reserve absurd memory.
    func expectedFrameCount(_ decoder: AudioDecoder) -> Int {
        var seconds = decoder.info.durationSeconds
        if let excerpt = decoder.options.excerptSeconds { seconds = min(seconds, excerpt) }
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int(min(seconds, 12 * 3600) * Double(configuration.sampleRate) / Double(configuration.hopLength)) + 2
    }

    // MARK: Summary

    /// The song summary of a file (or of its excerpt), streaming.
    ///
    /// - Parameters:
    ///   - path: the audio file.
    ///   - decodeOptions: excerpt, block size and time limit; its `outputSampleRate`
    ///     must equal ``configuration``'s `sampleRate` (the default does).
    /// - Returns: the summary, tempo, header and decode report of the track.
    /// - Throws: ``DecodingError``: `invalidParameter` naming both rates when they differ,
    ///   `tooShort` for less than one frame of audio, or what decoding throws.
    /// - Complexity: O(frames × `fftSize` log `fftSize`); memory O(frames) for the onset envelope.
    public func summarize(path: String, decodeOptions: DecodeOptions = DecodeOptions()) throws -> TrackFeatures {
        let decoder = try openDecoder(path: path, options: decodeOptions)
        var accumulator = SummaryAccumulator(analyzer: analyzer, finisher: finisher)
        let (report, sampleCount) = try stream(decoder, into: &accumulator)
        let (summary, tempo) = accumulator.finish()
        return TrackFeatures(
            info: decoder.info, summary: summary, tempo: tempo,
            analyzedSeconds: Double(sampleCount) / Double(configuration.sampleRate),
            startSeconds: report.startSeconds, nonFiniteSampleCount: report.nonFiniteSampleCount)
    }

    /// The song summary of samples already at ``STFTConfiguration/sampleRate``.
    ///
    /// - Parameter samples: mono samples at ``configuration``'s rate; any length (even empty).
    /// - Returns: the summary and the tempo estimate behind its rhythm dimensions.
    public func summarize(samples: [Float]) -> (summary: SongSummary, tempo: TempoEstimate) {
        var accumulator = SummaryAccumulator(analyzer: analyzer, finisher: finisher)
        stream(samples, into: &accumulator)
        return accumulator.finish()
    }

    // MARK: Streaming

    /// Opens `path` once the rate contract holds: the decoder must deliver
    /// samples at the rate the STFT, filter banks and frame times assume.
    /// The one place that checks it.
    ///
    /// - Throws: ``DecodingError/invalidParameter(_:)`` naming both rates when
    ///   `options.outputSampleRate` differs from ``configuration``'s `sampleRate`,
    ///   or what opening the file throws.
    func openDecoder(path: String, options: DecodeOptions) throws -> AudioDecoder {
        guard options.outputSampleRate == configuration.sampleRate else {
            throw DecodingError.invalidParameter(
                "decode outputSampleRate=\(options.outputSampleRate) Hz differs from the STFT configuration's "
                    + "sampleRate=\(configuration.sampleRate) Hz; features need samples at the configured rate")
        }
        return try AudioDecoder(path: path, options: options)
    }

    /// Decodes, frames and hands every frame to `sink` (and every decoded block to `listener`).
    ///
    /// - Returns: the decode report and the number of samples framed.
    /// - Throws: ``DecodingError/tooShort(path:durationSeconds:minimumSeconds:)``
    ///   for less than one frame of audio, or what decoding throws.
    func stream<Sink: FrameSink>(_ decoder: AudioDecoder, into sink: inout Sink,
                                 alsoTo listener: ((UnsafeBufferPointer<Float>) -> Void)? = nil)
        throws -> (report: DecodeReport, sampleCount: Int)
    {
        var framer = CenteredFramer(configuration: configuration)
        let report = try decoder.decode { block in
            framer.append(block) { sink.add(frame: $0, realRange: $1) }
            listener?(block)
        }
        if framer.sampleCount < configuration.fftSize {
            throw DecodingError.tooShort(
                path: decoder.path,
                durationSeconds: Double(framer.sampleCount) / Double(configuration.sampleRate),
                minimumSeconds: minimumSeconds)
        }
        framer.finish { sink.add(frame: $0, realRange: $1) }
        return (report, framer.sampleCount)
    }

    /// Frames samples already in memory and hands every frame to `sink`.
    private func stream<Sink: FrameSink>(_ samples: [Float], into sink: inout Sink) {
        var framer = CenteredFramer(configuration: configuration)
        samples.withUnsafeBufferPointer { block in
            framer.append(block) { sink.add(frame: $0, realRange: $1) }
        }
        framer.finish { sink.add(frame: $0, realRange: $1) }
    }
}
