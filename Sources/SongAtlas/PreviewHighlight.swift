import AudioDecoding
import Clustering
import Features
import Foundation

/// A map preview that starts at the song's highlight, from one decode.
///
/// The song is decoded once, mono at ``PreviewEncoder/sampleRate`` (48 kHz, the rate the
/// preview is encoded at). Each decoded block is kept and also resampled to the analysis rate
/// and framed into the segmenter's columns (``FrameColumnStream``); at the end the track is
/// segmented and its highlight chosen as `analyze --highlight` does
/// (``TrackSegmenter/highlight(streamed:durationSeconds:seconds:)``, ``Highlight/choose(sections:levels:frameRate:durationSeconds:seconds:)``),
/// and the preview is encoded from that start. Because the columns come from a 48 kHz decode
/// resampled to 22050 Hz rather than a direct 22050 Hz decode, a highlight can differ from
/// `analyze --highlight`'s by a frame or so, rarely by a section.
///
/// The preview starts at 0 (the song's first seconds) when there is no highlight to find:
/// a song not longer than the preview (declared so by its header, then it is not analysed at
/// all, or found so after the decode), shorter than one analysis frame, silent
/// (every frame's RMS below ``silenceLevel``), or longer than ``maximumSongSeconds``
/// (then only the first seconds are decoded, so memory stays bounded).
public struct PreviewHighlight: Sendable {
    /// Why a preview starts where it does.
    public enum Start: Sendable, Equatable {
        /// At the highlight of the song.
        case highlight(Highlight)
        /// At 0, with the reason (too short, silent, too long to hold).
        case beginning(reason: String)
    }

    /// What ``encode(_:seconds:to:format:)`` wrote.
    public struct Encoded: Sendable, Equatable {
        /// Where the preview starts in the song, in seconds, ≥ 0.
        public var startSeconds: Double
        /// The preview's length in seconds (shorter than asked for a short song).
        public var lengthSeconds: Double
        public var start: Start
    }

    /// How tracks are segmented for the highlight; default ``TrackSegmenter``'s defaults (as `segment`).
    public var segmenter: TrackSegmenter
    /// Songs longer than this (declared or decoded) get their first seconds; default 20 minutes,
    /// which holds 230 MB of 48 kHz samples at most.
    public var maximumSongSeconds: Double
    /// The RMS level (librosa.feature.rms, full scale 1) below which every frame counts as silence; default 1e-4 (−80 dBFS).
    public var silenceLevel: Float

    public init(segmenter: TrackSegmenter = TrackSegmenter(), maximumSongSeconds: Double = 1200,
                silenceLevel: Float = 1e-4) {
        self.segmenter = segmenter
        self.maximumSongSeconds = maximumSongSeconds
        self.silenceLevel = silenceLevel
    }

    /// Decodes `sourcePath` once and encodes `seconds` of it from its highlight (or from 0) into `path`.
    ///
    /// - Parameters:
    ///   - sourcePath: the song.
    ///   - seconds: the preview's length, > 0 and finite.
    ///   - path: the preview file to write (written under a temporary name and renamed).
    ///   - format: the preview's codec and container.
    /// - Returns: where the preview starts and why, and its length.
    /// - Throws: ``PreviewEncodingError/invalidParameter(_:)`` for a bad `seconds`; ``PreviewEncodingError/decoding(_:)``
    ///   for a song that cannot be decoded; what encoding throws.
    /// - Complexity: one decode, one resampling and one segmentation of the song; memory O(song length) up to
    ///   ``maximumSongSeconds``.
    public func encode(_ sourcePath: String, seconds: Double, to path: String,
                       format: PreviewFormat) throws(PreviewEncodingError) -> Encoded {
        guard seconds.isFinite, seconds > 0 else {
            throw .invalidParameter("seconds=\(seconds) must be a positive number of seconds")
        }
        let rate = PreviewEncoder.sampleRate
        let decoder: AudioDecoder
        do { decoder = try AudioDecoder(path: sourcePath, options: DecodeOptions(outputSampleRate: rate)) } catch {
            throw .decoding(error)
        }
        let previewLength = Int((seconds * Double(rate)).rounded())
        let declaredSeconds = decoder.info.durationSeconds
        let keptLimit = Int(maximumSongSeconds * Double(rate))
        // A song declared too long is read only for its first seconds.
        let tooLong = declaredSeconds > maximumSongSeconds
        // A song declared no longer than the preview is the whole preview: nothing to analyse.
        let fitsWhole = declaredSeconds > 0 && declaredSeconds <= seconds
        let columns = FrameColumnStream(columns: TrackSegmenter.comparedColumns,
                                        expectedSampleCount: tooLong ? nil : Int(declaredSeconds * Double(AnalysisRate.sampleRate)))
        var resampler = Resampler(inputRate: rate, outputRate: columns.sampleRate)
        var analysed: [Float] = []
        var samples: [Float] = []
        if !tooLong, declaredSeconds > 0 { samples.reserveCapacity(Int(declaredSeconds * Double(rate)) + rate) }
        var overflowed = false
        struct Enough: Error {}
        do {
            try decoder.decode { block in
                if tooLong {
                    samples.append(contentsOf: block.prefix(previewLength - samples.count))
                    if samples.count >= previewLength { throw Enough() }
                    return
                }
                if samples.count + block.count > keptLimit { overflowed = true; throw Enough() }
                samples.append(contentsOf: block)
                if fitsWhole { return }
                analysed.removeAll(keepingCapacity: true)
                resampler.process(block, into: &analysed)
                analysed.withUnsafeBufferPointer { columns.append($0) }
            }
        } catch is Enough {
        } catch let error as DecodingError {
            throw .decoding(error)
        } catch {
            throw .encodingFailed(path: path, reason: "\(error)")
        }
        let start: Start
        if tooLong || overflowed {
            start = .beginning(reason: String(format: "longer than %.0f s: its first seconds", maximumSongSeconds))
            if overflowed { samples.removeSubrange(min(previewLength, samples.count)...) }
        } else if fitsWhole {
            start = .beginning(reason: String(format: "not longer than the preview (%.1f s)", declaredSeconds))
        } else {
            analysed.removeAll(keepingCapacity: true)
            resampler.finish(into: &analysed)
            analysed.withUnsafeBufferPointer { columns.append($0) }
            start = chooseStart(columns.finish(), durationSeconds: Double(samples.count) / Double(rate), seconds: seconds)
        }
        var first = 0
        if case let .highlight(highlight) = start { first = Int((highlight.start * Double(rate)).rounded()) }
        first = max(0, min(first, samples.count - previewLength))
        let window = samples[first..<min(samples.count, first + previewLength)]
        let encoder = try PreviewEncoder(path: path, format: format, sampleRate: rate, channelCount: 1)
        try window.withUnsafeBufferPointer { buffer throws(PreviewEncodingError) in try encoder.append(buffer) }
        try encoder.finish()
        return Encoded(startSeconds: Double(first) / Double(rate), lengthSeconds: Double(window.count) / Double(rate),
                       start: start)
    }

    /// The highlight of a decoded song, or why the preview starts at 0.
    ///
    /// - Parameters:
    ///   - streamed: the compared columns of every frame, nil for a song shorter than one frame.
    ///   - durationSeconds: the song's decoded length.
    ///   - seconds: the preview's length.
    func chooseStart(_ streamed: StreamedFrameColumns?, durationSeconds: Double, seconds: Double) -> Start {
        guard let streamed, streamed.frameCount > 1 else { return .beginning(reason: "shorter than one analysis frame") }
        guard durationSeconds > seconds else {
            return .beginning(reason: String(format: "not longer than the preview (%.1f s)", durationSeconds))
        }
        guard streamed.levels.contains(where: { $0 >= silenceLevel }) else { return .beginning(reason: "silent") }
        let highlight = segmenter.highlight(streamed: streamed, durationSeconds: durationSeconds, seconds: seconds)
        return .highlight(highlight)
    }
}

extension PreviewHighlight {
    /// The start rule's name in ``PreviewCache`` keys: a change to how the start is chosen changes it,
    /// so previews cached under the old rule are not reused.
    public static let ruleName = "highlight-1"
}
