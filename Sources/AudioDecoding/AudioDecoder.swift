/// The analysis contract: every decoder hands over mono `Float` samples at
/// ``AudioDecoder/analysisSampleRate``, whatever the file's own rate and
/// channel layout, so a 44.1 kHz file and a 48 kHz file give comparable features.
public enum AnalysisRate {
    /// 22050 Hz, librosa's default rate.
    public static let sampleRate = 22050
}

/// How much of a file to decode.
public struct DecodeOptions: Sendable, Equatable {
    /// The rate samples are delivered at, in Hz. Defaults to ``AnalysisRate/sampleRate``.
    public var outputSampleRate: Int
    /// When set, decode only this many seconds from the middle of the track,
    /// seeking there rather than decoding from the start. In (0, ``maximumExcerptSeconds``].
    public var excerptSeconds: Double?
    /// The longest excerpt asked for: 1,000,000 s (11.6 days), far beyond any track.
    public static let maximumExcerptSeconds = 1_000_000.0
    /// Frames per read from libsndfile; bounds memory. Defaults to 16384.
    public var blockFrameCount: Int
    /// When set, a decode that runs longer than this many seconds, counting
    /// the work its consumer does on each block, stops with
    /// ``DecodingError/timedOut(path:limitSeconds:decodedSeconds:)``. Checked
    /// after every block. Must be > 0.
    public var timeLimitSeconds: Double?
    /// When set, only this library decodes the file (benchmarks, comparisons);
    /// nil, the default, chooses by ``DecoderChoice``'s rules with fallback.
    public var decoder: AudioDecoderKind?
    /// When set, decode only these frames of the file (at its own rate), seeking
    /// to the first sample-exactly: one cue sheet track of an album image. An
    /// excerpt is then taken from the middle of this range.
    public var frameRange: Range<Int>?

    public init(
        outputSampleRate: Int = AnalysisRate.sampleRate, excerptSeconds: Double? = nil,
        blockFrameCount: Int = 16384, timeLimitSeconds: Double? = nil, decoder: AudioDecoderKind? = nil
    ) {
        self.decoder = decoder
        self.outputSampleRate = outputSampleRate
        self.excerptSeconds = excerptSeconds
        self.blockFrameCount = blockFrameCount
        self.timeLimitSeconds = timeLimitSeconds
    }
}

/// What a finished decode read.
public struct DecodeReport: Sendable, Equatable {
    /// Frames decoded from the file, at its own rate.
    public var decodedFrameCount: Int
    /// Mono samples delivered, at the output rate.
    public var deliveredSampleCount: Int
    /// Where decoding started, in seconds from the file's start (non-zero for excerpts).
    public var startSeconds: Double
    /// Samples that were NaN or infinite in the file (read as 0) or beyond
    /// ±1000 (clamped): damage rather than sound.
    public var nonFiniteSampleCount: Int
}

/// Decodes one audio file into a stream of mono samples at the analysis rate.
///
/// Reads every format libsndfile reads (WAV, AIFF, FLAC, Ogg Vorbis, Opus,
/// MP3, …) with libsndfile, and everything else FFmpeg decodes (MP4/M4A with
/// AAC or ALAC, WMA, WavPack, Matroska, …) with FFmpeg; ``DecoderChoice``
/// holds the rules. The file is read in blocks, downmixed to mono by averaging the
/// channels, and resampled with a band-limited ``Resampler``; it is never held
/// in memory whole. Decoding reads until the end of the stream, since for
/// Vorbis and MP3 the header's frame count is only an estimate.
///
/// The file is opened read-only and never modified.
public final class AudioDecoder {
    /// Sample rates accepted, in Hz.
    public static let supportedSampleRates = 1000...768_000
    /// Channel counts accepted.
    public static let supportedChannelCounts = 1...64
    /// Extensions (lower case) of containers and codecs FFmpeg decodes and libsndfile does not.
    public static let ffmpegExtensions = DecoderChoice.ffmpegExtensions

    public let path: String
    public let options: DecodeOptions
    /// The header and tags, read when the decoder is created.
    public private(set) var info: AudioFileInfo
    /// Which library decodes the file; see ``DecoderChoice``.
    public var decoderKind: AudioDecoderKind { file.kind }
    private var file: DecoderBackend
    private let opener: DecoderChoice

    /// Opens `path` and reads its header and tags.
    ///
    /// - Throws: ``DecodingError`` if the file is missing, unreadable, empty,
    ///   not audio, or has an unsupported rate or channel count.
    public convenience init(path: String, options: DecodeOptions = DecodeOptions()) throws(DecodingError) {
        try self.init(path: path, options: options, opener: DecoderChoice())
    }

    /// Opens `path` with the decoders `opener` chooses from (tests inject failures here).
    init(path: String, options: DecodeOptions, opener: DecoderChoice) throws(DecodingError) {
        if let excerpt = options.excerptSeconds, !(excerpt > 0 && excerpt <= DecodeOptions.maximumExcerptSeconds) {
            throw .invalidParameter(
                "excerpt=\(excerpt) must be a positive number of seconds, at most \(Int(DecodeOptions.maximumExcerptSeconds))")
        }
        guard options.outputSampleRate > 0 else {
            throw .invalidParameter("outputSampleRate=\(options.outputSampleRate) must be positive")
        }
        guard options.blockFrameCount > 0 else {
            throw .invalidParameter("blockFrameCount=\(options.blockFrameCount) must be positive")
        }
        if let limit = options.timeLimitSeconds, !(limit > 0) {
            throw .invalidParameter("timeLimitSeconds=\(limit) must be positive")
        }
        self.path = path
        self.options = options
        self.opener = opener
        if let range = options.frameRange, range.lowerBound < 0 {
            throw .invalidParameter("frameRange=\(range) must start at frame 0 or later")
        }
        file = try opener.open(path, only: options.decoder)
        info = try Self.info(of: file, path: path)
        // A range is the track: its length is what the analysis expects (patch plans, frame counts).
        if let range = options.frameRange { info.durationSeconds = Double(range.count) / Double(file.sampleRate) }
    }

    /// The header of `file`, once its rate and channel count are checked.
    private static func info(of file: DecoderBackend, path: String) throws(DecodingError) -> AudioFileInfo {
        guard Self.supportedSampleRates.contains(file.sampleRate) else {
            throw .unsupportedSampleRate(path: path, sampleRate: file.sampleRate)
        }
        guard Self.supportedChannelCounts.contains(file.channelCount) else {
            throw .unsupportedChannelCount(path: path, channelCount: file.channelCount)
        }
        return AudioFileInfo(
            format: file.formatName,
            sampleRate: file.sampleRate,
            channelCount: file.channelCount,
            declaredFrameCount: file.declaredFrameCount,
            durationSeconds: Double(file.declaredFrameCount) / Double(file.sampleRate),
            tags: file.tags, decoder: file.kind)
    }

    /// Decodes the file (or its excerpt), calling `body` with consecutive
    /// blocks of mono samples at ``DecodeOptions/outputSampleRate``.
    ///
    /// After a full decode, ``info``'s duration is the decoded length.
    ///
    /// - Parameter body: receives each block; the buffer is only valid during the call.
    /// - Returns: what was read.
    /// - Throws: ``DecodingError/readFailed(path:reason:)`` when the stream breaks
    ///   off, or whatever `body` throws.
    @discardableResult
    public func decode(_ body: (UnsafeBufferPointer<Float>) throws -> Void) throws -> DecodeReport {
        let channels = file.channelCount
        let blockFrames = options.blockFrameCount
        let clock = ContinuousClock()
        let deadline = options.timeLimitSeconds.map { clock.now + .seconds(min($0, 1e9)) }
        func checkDeadline(decodedFrames: Int) throws(DecodingError) {
            if let deadline, clock.now > deadline {
                throw .timedOut(path: path, limitSeconds: options.timeLimitSeconds!,
                                decodedSeconds: Double(decodedFrames) / Double(file.sampleRate))
            }
        }
        var resampler = Resampler(inputRate: file.sampleRate, outputRate: options.outputSampleRate)

        // Excerpt: seek to the middle window, or skip there by reading when
        // the format cannot seek.
        var startFrame = options.frameRange?.lowerBound ?? 0
        var framesWanted = options.frameRange?.count ?? Int.max
        if let excerpt = options.excerptSeconds {
            let excerptFrames = Int((excerpt * Double(file.sampleRate)).rounded(.up))
            let available = options.frameRange?.count ?? file.declaredFrameCount
            if available > excerptFrames {
                startFrame += (available - excerptFrames) / 2
                framesWanted = excerptFrames
            }
        }
        // Where the header's count is exact, stop there: libsndfile otherwise
        // returns an AIFF pad byte as one more sample. Vorbis and MP3 counts
        // are estimates, so those streams are read to their end.
        if !file.frameCountIsEstimate && file.declaredFrameCount > 0 {
            framesWanted = min(framesWanted, file.declaredFrameCount - startFrame)
        }
        var interleaved = [Float](repeating: 0, count: blockFrames * channels)
        var mono = [Float](repeating: 0, count: blockFrames)
        var resampled: [Float] = []
        resampled.reserveCapacity(blockFrames * options.outputSampleRate / file.sampleRate + 64)

        var skipped = startFrame
        if startFrame > 0 && !(file.isSeekable && file.seek(toFrame: startFrame)) {
            skipped = 0
            while skipped < startFrame {
                let read = try interleaved.withUnsafeMutableBufferPointer { buffer throws(DecodingError) in
                    try file.readFrames(into: buffer.baseAddress!, frameCount: min(blockFrames, startFrame - skipped))
                }
                if read == 0 { break }
                skipped += read
                try checkDeadline(decodedFrames: 0)
            }
        }

        var decodedFrames = 0
        var delivered = 0
        var nonFinite = 0
        while decodedFrames < framesWanted {
            let request = min(blockFrames, framesWanted - decodedFrames)
            let read: Int
            do {
                read = try interleaved.withUnsafeMutableBufferPointer { buffer throws(DecodingError) in
                    try file.readFrames(into: buffer.baseAddress!, frameCount: request)
                }
            } catch {
                // libsndfile broke off part-way: go on from the same frame with FFmpeg.
                guard options.decoder == nil, let second = opener.continuation(after: error, from: file, path: path,
                                                       atFrame: startFrame + decodedFrames) else { throw error }
                file = second
                info.decoder = second.kind
                continue
            }
            if read == 0 { break }
            decodedFrames += read
            nonFinite += Self.downmix(interleaved, channelCount: channels, frameCount: read, into: &mono)
            resampled.removeAll(keepingCapacity: true)
            mono.withUnsafeBufferPointer { samples in
                resampler.process(UnsafeBufferPointer(rebasing: samples[0..<read]), into: &resampled)
            }
            if !resampled.isEmpty {
                delivered += resampled.count
                try resampled.withUnsafeBufferPointer { try body($0) }
            }
            try checkDeadline(decodedFrames: decodedFrames)
        }
        resampled.removeAll(keepingCapacity: true)
        resampler.finish(into: &resampled)
        if !resampled.isEmpty {
            delivered += resampled.count
            try resampled.withUnsafeBufferPointer { try body($0) }
        }

        // The length is what was decoded, never what the header claims: after a
        // whole-file decode, and whenever the stream ended before the frames wanted
        // (a header that declares more than the file holds, a file cut short).
        let wholeFile = (options.excerptSeconds == nil || startFrame == 0) && options.frameRange == nil
        if wholeFile || decodedFrames < framesWanted {
            let before = max(0, min(skipped, startFrame) - (options.frameRange?.lowerBound ?? 0))
            info.durationSeconds = Double(before + decodedFrames) / Double(file.sampleRate)
        }
        return DecodeReport(
            decodedFrameCount: decodedFrames,
            deliveredSampleCount: delivered,
            startSeconds: Double(startFrame) / Double(file.sampleRate),
            nonFiniteSampleCount: nonFinite)
    }

    /// Decodes the whole file (or its excerpt) into one array. For tests and
    /// short files; analysis streams instead.
    public func decodeAll() throws -> [Float] {
        var samples: [Float] = []
        try decode { samples.append(contentsOf: $0) }
        return samples
    }

    /// Largest sample magnitude passed on: 60 dB above full scale. Float files
    /// can hold any value; a sample beyond this is damage, and its square would
    /// overflow the power spectrum.
    static let largestSample: Float = 1000

    /// Averages `channelCount` interleaved channels into `mono`, replacing NaN
    /// and infinite samples by 0 and clamping absurdly large ones to
    /// ±``largestSample``. Returns how many were replaced or clamped.
    static func downmix(_ interleaved: [Float], channelCount: Int, frameCount: Int, into mono: inout [Float]) -> Int {
        let sampleCount = frameCount * channelCount
        let allFinite = interleaved.withUnsafeBufferPointer { allFiniteSamples($0.baseAddress!, count: sampleCount) }
        if allFinite {
            interleaved.withUnsafeBufferPointer { source in
                mono.withUnsafeMutableBufferPointer { target in
                    averageChannels(source.baseAddress!, channelCount: channelCount, frameCount: frameCount,
                                    into: target.baseAddress!)
                }
            }
            return 0
        }
        var replaced = 0
        interleaved.withUnsafeBufferPointer { source in
            mono.withUnsafeMutableBufferPointer { target in
                let scale = 1 / Float(channelCount)
                for frame in 0..<frameCount {
                    var total: Float = 0
                    for channel in 0..<channelCount {
                        let value = source[frame * channelCount + channel]
                        if !value.isFinite {
                            replaced += 1
                        } else if abs(value) > largestSample {
                            replaced += 1
                            total += value > 0 ? largestSample : -largestSample
                        } else {
                            total += value
                        }
                    }
                    target[frame] = total * scale
                }
            }
        }
        return replaced
    }

    /// True when every sample is finite and within ±``largestSample``
    /// (`x * 0` is exactly 0 only for finite x).
    private static func allFiniteSamples(_ samples: UnsafePointer<Float>, count: Int) -> Bool {
        let raw = UnsafeRawPointer(samples)
        var zeros = SIMD8<Float>()
        var largest = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            let chunk = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            zeros += chunk * 0
            let magnitude = chunk.replacing(with: -chunk, where: chunk .< 0)
            largest = largest.replacing(with: magnitude, where: magnitude .> largest)
            index += 8
        }
        var tailZero: Float = 0
        var tailLargest: Float = 0
        while index < count {
            tailZero += samples[index] * 0
            tailLargest = max(tailLargest, abs(samples[index]))
            index += 1
        }
        guard zeros.sum() + tailZero == 0 else { return false }
        for lane in 0..<8 where largest[lane] > largestSample { return false }
        return tailLargest <= largestSample
    }

    private static func averageChannels(
        _ source: UnsafePointer<Float>, channelCount: Int, frameCount: Int, into target: UnsafeMutablePointer<Float>
    ) {
        switch channelCount {
        case 1:
            target.update(from: source, count: frameCount)
        case 2:
            let raw = UnsafeRawPointer(source)
            var frame = 0
            while frame + 8 <= frameCount {
                let pairs = raw.loadUnaligned(fromByteOffset: frame * 8, as: SIMD16<Float>.self)
                let mean = (pairs.evenHalf + pairs.oddHalf) * 0.5
                UnsafeMutableRawPointer(target + frame).storeBytes(of: mean, as: SIMD8<Float>.self)
                frame += 8
            }
            while frame < frameCount {
                target[frame] = (source[2 * frame] + source[2 * frame + 1]) * 0.5
                frame += 1
            }
        default:
            let scale = 1 / Float(channelCount)
            for frame in 0..<frameCount {
                var total: Float = 0
                for channel in 0..<channelCount { total += source[frame * channelCount + channel] }
                target[frame] = total * scale
            }
        }
    }
}
