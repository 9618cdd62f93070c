import AudioDecoding
import Foundation

/// The per-track result of ``FeatureExtractor/summarize(path:decodeOptions:)``.
public struct TrackFeatures: Sendable, Equatable {
    /// Header, tags and (after a full decode) the exact duration.
    public var info: AudioFileInfo
    /// The song summary vector.
    public var summary: SongSummary
    /// The tempo estimate the summary includes.
    public var tempo: TempoEstimate
    /// Seconds of audio analysed (less than the duration for an excerpt).
    public var analyzedSeconds: Double
    /// Where the analysed audio starts, in seconds.
    public var startSeconds: Double
    /// File samples that were NaN or infinite and read as silence.
    public var nonFiniteSampleCount: Int

    public init(info: AudioFileInfo, summary: SongSummary, tempo: TempoEstimate, analyzedSeconds: Double,
                startSeconds: Double = 0, nonFiniteSampleCount: Int = 0) {
        self.info = info
        self.summary = summary
        self.tempo = tempo
        self.analyzedSeconds = analyzedSeconds
        self.startSeconds = startSeconds
        self.nonFiniteSampleCount = nonFiniteSampleCount
    }
}

/// Receives frames one at a time from the framer.
private protocol FrameSink {
    mutating func add(frame: UnsafePointer<Float>, realRange: Range<Int>)
}

/// Turns audio into features: frame-level matrices or a per-track summary.
///
/// Decoding, framing and analysis stream block by block, so memory does not
/// grow with the length of the track (beyond one float per frame for the
/// onset envelope). One extractor owns an FFT plan and scratch buffers and
/// serves one thread; make one per worker.
public final class FeatureExtractor {
    public let configuration: STFTConfiguration
    private let analyzer: FrameAnalyzer
    private let mfcc: MFCCTransform

    /// Builds filter banks and plans the FFT.
    public init(configuration: STFTConfiguration = STFTConfiguration()) {
        self.configuration = configuration
        analyzer = FrameAnalyzer(
            configuration: configuration,
            melBank: MelFilterBank(sampleRate: configuration.sampleRate, fftSize: configuration.fftSize),
            chromaBank: ChromaFilterBank(sampleRate: configuration.sampleRate, fftSize: configuration.fftSize))
        mfcc = MFCCTransform(melBandCount: analyzer.melBank.melBandCount, coefficientCount: FrameFeatureNames.mfccCount)
    }

    private var minimumSeconds: Double { Double(configuration.fftSize) / Double(configuration.sampleRate) }

    // MARK: Frame level

    /// Frame-level features of a file, matching librosa exactly (MFCC and
    /// onset use the whole track's loudest mel value for their 80 dB floor).
    ///
    /// - Throws: ``DecodingError``, including `tooShort` for less than one frame of audio.
    public func frameFeatures(path: String, decodeOptions: DecodeOptions = DecodeOptions())
        throws -> (info: AudioFileInfo, features: FrameFeatureMatrix)
    {
        let decoder = try AudioDecoder(path: path, options: decodeOptions)
        var collector = FrameCollector(extractor: self)
        collector.reserve(frames: expectedFrameCount(decoder))
        _ = try stream(decoder, into: &collector)
        return (decoder.info, collector.finish())
    }

    /// Frame-level features of samples already at ``STFTConfiguration/sampleRate``.
    public func frameFeatures(samples: [Float]) -> FrameFeatureMatrix {
        var collector = FrameCollector(extractor: self)
        stream(samples, into: &collector)
        return collector.finish()
    }

    /// Frames the header promises (an estimate for MP3 and Vorbis), at most
    /// 12 hours' worth, so that a lying header cannot reserve absurd memory.
    private func expectedFrameCount(_ decoder: AudioDecoder) -> Int {
        var seconds = decoder.info.durationSeconds
        if let excerpt = decoder.options.excerptSeconds { seconds = min(seconds, excerpt) }
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int(min(seconds, 12 * 3600) * Double(configuration.sampleRate) / Double(configuration.hopLength)) + 2
    }

    /// Accumulates frames for ``frameFeatures(path:decodeOptions:)``.
    private struct FrameCollector: FrameSink {
        let extractor: FeatureExtractor
        var values = FrameValues(melBandCount: 128)
        var rows: [Float] = []
        var melDecibels: [Float] = []
        var floor = MelDecibelFloor()
        var contrastPeaks: [Float] = []
        var contrastValleys: [Float] = []
        var contrastFloor = ContrastFloor()
        var frameCount = 0

        init(extractor: FeatureExtractor) {
            self.extractor = extractor
            values = FrameValues(melBandCount: extractor.analyzer.melBank.melBandCount)
        }

        /// Reserves room for `frames` frames, so that a long track does not
        /// pay for the doubling growth of its arrays (up to twice the memory).
        mutating func reserve(frames: Int) {
            rows.reserveCapacity(frames * FrameFeatureNames.count)
            melDecibels.reserveCapacity(frames * extractor.analyzer.melBank.melBandCount)
            contrastPeaks.reserveCapacity(frames * SpectralContrast.bandCount)
            contrastValleys.reserveCapacity(frames * SpectralContrast.bandCount)
        }

        mutating func add(frame: UnsafePointer<Float>, realRange: Range<Int>) {
            extractor.analyzer.analyze(frame: frame, realRange: realRange, into: &values)
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

        /// Clips the mel decibels at the whole track's floor, then fills in MFCC and onset.
        mutating func finish() -> FrameFeatureMatrix {
            let bands = extractor.analyzer.melBank.melBandCount
            let width = FrameFeatureNames.count
            let lead = OnsetStrength.leadingPadding(extractor.configuration)
            // Clipped in place: the mel decibels are the largest array here.
            let floor = self.floor
            melDecibels.withUnsafeMutableBufferPointer { decibels in
                floor.clip(decibels.baseAddress!, count: decibels.count, into: decibels.baseAddress!)
            }
            melDecibels.withUnsafeBufferPointer { decibels in
                rows.withUnsafeMutableBufferPointer { rows in
                    for frame in 0..<frameCount {
                        extractor.mfcc.apply(decibels.baseAddress! + frame * bands,
                                             into: rows.baseAddress! + frame * width + FrameFeatureNames.mfccOffset)
                        let contrastBands = SpectralContrast.bandCount
                        contrastPeaks.withUnsafeBufferPointer { peaks in
                            contrastValleys.withUnsafeBufferPointer { valleys in
                                contrastFloor.contrast(
                                    peakDecibels: peaks.baseAddress! + frame * contrastBands,
                                    valleyDecibels: valleys.baseAddress! + frame * contrastBands,
                                    into: rows.baseAddress! + frame * width + FrameFeatureNames.contrastOffset)
                            }
                        }
                        // onset[t] = flux(frame t-3 -> t-2) for t >= 3.
                        if frame >= lead {
                            let current = frame - lead + 1
                            rows[frame * width + FrameFeatureNames.onset] = OnsetStrength.flux(
                                previous: decibels.baseAddress! + (current - 1) * bands,
                                current: decibels.baseAddress! + current * bands, count: bands)
                        }
                    }
                }
            }
            return FrameFeatureMatrix(configuration: extractor.configuration, frameCount: frameCount, values: rows)
        }
    }

    // MARK: Summary

    /// The song summary of a file (or of its excerpt), streaming.
    ///
    /// - Throws: ``DecodingError``, including `tooShort` for less than one frame of audio.
    public func summarize(path: String, decodeOptions: DecodeOptions = DecodeOptions()) throws -> TrackFeatures {
        let decoder = try AudioDecoder(path: path, options: decodeOptions)
        var accumulator = SummaryAccumulator(extractor: self)
        let (report, sampleCount) = try stream(decoder, into: &accumulator)
        let (summary, tempo) = accumulator.finish()
        return TrackFeatures(
            info: decoder.info, summary: summary, tempo: tempo,
            analyzedSeconds: Double(sampleCount) / Double(configuration.sampleRate),
            startSeconds: report.startSeconds, nonFiniteSampleCount: report.nonFiniteSampleCount)
    }

    /// The song summary of samples already at ``STFTConfiguration/sampleRate``.
    public func summarize(samples: [Float]) -> (summary: SongSummary, tempo: TempoEstimate) {
        var accumulator = SummaryAccumulator(extractor: self)
        stream(samples, into: &accumulator)
        return accumulator.finish()
    }

    // MARK: Streaming

    /// Decodes, frames and hands every frame to `sink`.
    ///
    /// - Returns: the decode report and the number of samples framed.
    /// - Throws: ``DecodingError/tooShort(path:durationSeconds:minimumSeconds:)``
    ///   for less than one frame of audio, or what decoding throws.
    private func stream<Sink: FrameSink>(_ decoder: AudioDecoder, into sink: inout Sink)
        throws -> (report: DecodeReport, sampleCount: Int)
    {
        var framer = CenteredFramer(configuration: configuration)
        let report = try decoder.decode { block in
            framer.append(block) { sink.add(frame: $0, realRange: $1) }
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

    /// Streams frames into running moments; keeps only the onset envelope.
    private struct SummaryAccumulator: FrameSink {
        let extractor: FeatureExtractor
        var values: FrameValues
        var moments = RunningMoments(dimension: FrameFeatureNames.count)
        var row = [Float](repeating: 0, count: FrameFeatureNames.count)
        var floor = MelDecibelFloor()
        var contrastFloor = ContrastFloor()
        var previousClipped: [Float]
        var currentClipped: [Float]
        var fluxes: [Float] = []
        var accentFluxes: [Float] = []
        var previousLowBandPower: Float = 0
        var frameCount = 0
        var silentFrames = 0

        init(extractor: FeatureExtractor) {
            self.extractor = extractor
            let bands = extractor.analyzer.melBank.melBandCount
            values = FrameValues(melBandCount: bands)
            previousClipped = [Float](repeating: 0, count: bands)
            currentClipped = [Float](repeating: 0, count: bands)
        }

        mutating func add(frame: UnsafePointer<Float>, realRange: Range<Int>) {
            extractor.analyzer.analyze(frame: frame, realRange: realRange, into: &values)
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
                fluxes.append(OnsetStrength.flux(previous: previousClipped, current: currentClipped, count: bands))
                // Cube-root compression (Stevens' power law for loudness) keeps a loud kick
                // from drowning a snare, as decibels would let a quiet hi-hat count as much as both.
                accentFluxes.append(max(0, cbrt(values.lowBandPower) - cbrt(previousLowBandPower)))
            }
            row.withUnsafeMutableBufferPointer { row in
                currentClipped.withUnsafeBufferPointer { clipped in
                    extractor.mfcc.apply(clipped.baseAddress!, into: row.baseAddress! + FrameFeatureNames.mfccOffset)
                }
                values.writeFrameColumns(into: row.baseAddress!)
                values.writeContrast(floor: contrastFloor, into: row.baseAddress!)
                row[FrameFeatureNames.onset] = 0    // filled in at the end
                moments.add(UnsafeBufferPointer(row))
            }
            previousLowBandPower = values.lowBandPower
            if values.rms < SongSummary.silenceRMS { silentFrames += 1 }
            frameCount += 1
        }

        func finish() -> (SongSummary, TempoEstimate) {
            // onset[t] = flux(t-3 -> t-2): three leading zeros, trimmed to the frame count.
            let lead = OnsetStrength.leadingPadding(extractor.configuration)
            var onset = [Float](repeating: 0, count: min(lead, frameCount))
            onset.append(contentsOf: fluxes.prefix(max(frameCount - lead, 0)))
            var onsetMoments = RunningMoments(dimension: 1)
            for value in onset { [value].withUnsafeBufferPointer { onsetMoments.add($0) } }

            let tempo = TempoEstimator.estimate(
                onsetEnvelope: onset, accentEnvelope: accentFluxes, frameRate: extractor.configuration.frameRate)
            var summaryValues: [Float] = []
            let means = moments.means
            let deviations = moments.standardDeviations
            for column in 0..<FrameFeatureNames.count {
                if column == FrameFeatureNames.onset {
                    summaryValues += [Float(onsetMoments.means[0]), Float(onsetMoments.standardDeviations[0])]
                } else {
                    summaryValues += [Float(means[column]), Float(deviations[column])]
                }
            }
            summaryValues += [
                Float(tempo.bpm), Float(tempo.pulseClarity),
                frameCount > 0 ? Float(silentFrames) / Float(frameCount) : 1,
            ]
            return (SongSummary(values: summaryValues), tempo)
        }
    }
}
