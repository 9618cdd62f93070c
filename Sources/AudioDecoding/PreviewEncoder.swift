internal import CFFmpeg
import FilePaths
import Foundation

/// Encodes float samples to a short compressed preview (Opus in Ogg, or MP3)
/// with FFmpeg's libraries, for songs a browser cannot play.
///
/// Samples are streamed in with ``append(_:)`` (interleaved, at
/// ``sampleRate``, ``channelCount`` channels) and the file is finished with
/// ``finish()``. The file is written beside its destination under a temporary
/// name and renamed into place by ``finish()``, so the destination is never a
/// half-written file; a preview that is dropped unfinished removes its temporary file.
///
/// ``encodeRange(of:startSeconds:seconds:to:format:)`` decodes a song with the
/// project's ``AudioDecoder`` (mono, at 48 kHz, the rate both encoders take)
/// and encodes one stretch of it.
public final class PreviewEncoder {
    /// The rate previews are encoded at: Opus's only full-band rate, and one MP3 takes.
    public static let sampleRate = 48_000

    public let path: String
    public let format: PreviewFormat
    public let sampleRate: Int
    public let channelCount: Int

    private let temporaryPath: String
    private var output: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var frame: UnsafeMutablePointer<AVFrame>? = av_frame_alloc()
    private var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
    private var stream: UnsafeMutablePointer<AVStream>?
    /// Samples per encoder frame, and the interleaved samples waiting to fill one.
    private let frameSize: Int
    private let acceptsShortLastFrame: Bool
    private var pending: [Float] = []
    private var nextTimestamp: Int64 = 0
    private var finished = false

    /// The best format this FFmpeg can encode: Opus, else MP3, else nil.
    public static var availableFormat: PreviewFormat? {
        PreviewFormat.allCases.first(where: canEncode)
    }

    /// True when this FFmpeg has the encoder for `format`.
    public static func canEncode(_ format: PreviewFormat) -> Bool {
        avcodec_find_encoder_by_name(format.encoderName) != nil
    }

    /// Opens an encoder writing to a temporary file beside `path`.
    ///
    /// - Throws: ``PreviewEncodingError/encoderUnavailable(format:)`` when this
    ///   FFmpeg lacks the encoder; ``PreviewEncodingError/invalidParameter(_:)``
    ///   for a channel count other than 1 or 2 or a rate the encoder refuses;
    ///   ``PreviewEncodingError/encodingFailed(path:reason:)`` when the file cannot be created.
    public init(path: String, format: PreviewFormat, sampleRate: Int = PreviewEncoder.sampleRate,
                channelCount: Int = 1) throws(PreviewEncodingError) {
        guard (1...2).contains(channelCount) else {
            throw .invalidParameter("channelCount=\(channelCount) must be 1 or 2 for a preview")
        }
        guard sampleRate > 0 else { throw .invalidParameter("sampleRate=\(sampleRate) must be positive") }
        self.path = path
        self.format = format
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).partial").path
        av_log_set_level(AV_LOG_QUIET)

        guard let encoder = avcodec_find_encoder_by_name(format.encoderName) else {
            throw .encoderUnavailable(format: "\(format.rawValue) (\(format.encoderName))")
        }
        guard let context = avcodec_alloc_context3(encoder) else { throw .encodingFailed(path: path, reason: "out of memory") }
        codec = context
        // libopus takes interleaved float; libmp3lame planar float. Mono is the same either way.
        context.pointee.sample_fmt = format == .opus ? AV_SAMPLE_FMT_FLT : AV_SAMPLE_FMT_FLTP
        context.pointee.sample_rate = Int32(sampleRate)
        av_channel_layout_default(&context.pointee.ch_layout, Int32(channelCount))
        context.pointee.bit_rate = Int64(format.bitRatePerChannel * channelCount)
        context.pointee.time_base = AVRational(num: 1, den: Int32(sampleRate))
        context.pointee.thread_count = 1

        var muxer: UnsafeMutablePointer<AVFormatContext>?
        let allocated = RawPath.withCString(temporaryPath) {
            avformat_alloc_output_context2(&muxer, nil, format.muxerName, $0)
        }
        guard allocated >= 0, let muxer else {
            throw .encodingFailed(path: path, reason: "FFmpeg: " + Self.message(allocated))
        }
        output = muxer
        if muxer.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 {
            context.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER)
        }
        let opened = avcodec_open2(context, encoder, nil)
        guard opened >= 0 else {
            throw .invalidParameter("the \(format.encoderName) encoder refuses \(sampleRate) Hz, "
                + "\(channelCount) channel(s): " + Self.message(opened))
        }
        frameSize = context.pointee.frame_size > 0 ? Int(context.pointee.frame_size) : 1024
        acceptsShortLastFrame = encoder.pointee.capabilities & Int32(AV_CODEC_CAP_SMALL_LAST_FRAME) != 0
            || encoder.pointee.capabilities & Int32(AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0

        guard let newStream = avformat_new_stream(muxer, nil) else {
            throw .encodingFailed(path: path, reason: "FFmpeg: cannot add a stream")
        }
        stream = newStream
        newStream.pointee.time_base = context.pointee.time_base
        guard avcodec_parameters_from_context(newStream.pointee.codecpar, context) >= 0 else {
            throw .encodingFailed(path: path, reason: "FFmpeg: cannot describe the stream")
        }
        let ioOpened = RawPath.withCString(temporaryPath) { avio_open(&muxer.pointee.pb, $0, AVIO_FLAG_WRITE) }
        guard ioOpened >= 0 else { throw .encodingFailed(path: path, reason: Self.message(ioOpened)) }
        let header = avformat_write_header(muxer, nil)
        guard header >= 0 else { throw .encodingFailed(path: path, reason: "FFmpeg: " + Self.message(header)) }
    }

    deinit {
        if let output {
            if output.pointee.pb != nil { avio_closep(&output.pointee.pb) }
            avformat_free_context(output)
        }
        avcodec_free_context(&codec)
        av_frame_free(&frame)
        av_packet_free(&packet)
        if !finished { _ = RawPath.withCString(temporaryPath) { unlink($0) } }
    }

    /// Encodes interleaved samples (`count` a multiple of ``channelCount``).
    public func append(_ samples: UnsafeBufferPointer<Float>) throws(PreviewEncodingError) {
        guard !finished else { throw .invalidParameter("\(path): samples appended after the preview was finished") }
        pending.append(contentsOf: samples)
        let block = frameSize * channelCount
        var start = 0
        while pending.count - start >= block {
            try encodeFrame(pending, from: start, frames: frameSize)
            start += block
        }
        if start > 0 { pending.removeFirst(start) }
    }

    /// Encodes what is left, writes the container's trailer and renames the
    /// temporary file to ``path``.
    public func finish() throws(PreviewEncodingError) {
        guard !finished else { return }
        let remaining = pending.count / channelCount
        if remaining > 0 {
            if !acceptsShortLastFrame {
                pending.append(contentsOf: repeatElement(0, count: (frameSize - remaining) * channelCount))
            }
            try encodeFrame(pending, from: 0, frames: acceptsShortLastFrame ? remaining : frameSize)
            pending = []
        }
        try send(nil)
        guard let output else { return }
        let trailer = av_write_trailer(output)
        guard trailer >= 0 else { throw .encodingFailed(path: path, reason: "FFmpeg: " + Self.message(trailer)) }
        avio_closep(&output.pointee.pb)
        let renamed = RawPath.withCString(temporaryPath) { from in RawPath.withCString(path) { rename(from, $0) } }
        guard renamed == 0 else {
            throw .encodingFailed(path: path, reason: String(cString: strerror(errno)))
        }
        finished = true
    }

    /// Copies `frames` frames of `samples` from `start` into an FFmpeg frame and sends it.
    private func encodeFrame(_ samples: [Float], from start: Int, frames: Int) throws(PreviewEncodingError) {
        guard let frame, let codec else { return }
        av_frame_unref(frame)
        frame.pointee.nb_samples = Int32(frames)
        frame.pointee.format = codec.pointee.sample_fmt.rawValue
        frame.pointee.sample_rate = codec.pointee.sample_rate
        av_channel_layout_copy(&frame.pointee.ch_layout, &codec.pointee.ch_layout)
        guard av_frame_get_buffer(frame, 0) >= 0 else { throw .encodingFailed(path: path, reason: "out of memory") }
        let planar = codec.pointee.sample_fmt == AV_SAMPLE_FMT_FLTP
        samples.withUnsafeBufferPointer { source in
            if planar {
                for channel in 0..<channelCount {
                    let target = frame.pointee.extended_data[channel]!.withMemoryRebound(to: Float.self, capacity: frames) { $0 }
                    for index in 0..<frames { target[index] = source[start + index * channelCount + channel] }
                }
            } else {
                let target = frame.pointee.extended_data[0]!
                    .withMemoryRebound(to: Float.self, capacity: frames * channelCount) { $0 }
                target.update(from: source.baseAddress! + start, count: frames * channelCount)
            }
        }
        frame.pointee.pts = nextTimestamp
        nextTimestamp += Int64(frames)
        try send(frame)
    }

    /// Sends a frame (nil: the end) to the encoder and writes every packet it returns.
    private func send(_ frame: UnsafeMutablePointer<AVFrame>?) throws(PreviewEncodingError) {
        guard let codec, let packet, let output, let stream else { return }
        let sent = avcodec_send_frame(codec, frame)
        guard sent >= 0 else { throw .encodingFailed(path: path, reason: "FFmpeg: " + Self.message(sent)) }
        while true {
            let received = avcodec_receive_packet(codec, packet)
            if received == songatlas_averror_eagain() || received == songatlas_averror_eof() { return }
            guard received >= 0 else { throw .encodingFailed(path: path, reason: "FFmpeg: " + Self.message(received)) }
            av_packet_rescale_ts(packet, codec.pointee.time_base, stream.pointee.time_base)
            packet.pointee.stream_index = stream.pointee.index
            let written = av_interleaved_write_frame(output, packet)
            guard written >= 0 else { throw .encodingFailed(path: path, reason: "FFmpeg: " + Self.message(written)) }
        }
    }

    static func message(_ code: Int32) -> String {
        var text = [CChar](repeating: 0, count: 256)
        av_strerror(code, &text, text.count)
        return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

extension PreviewEncoder {
    /// Decodes `sourcePath` with ``AudioDecoder`` (mono, 48 kHz) and encodes
    /// `seconds` of it from `startSeconds` into `path`. A start past the end
    /// gives the song's last `seconds` (or the whole song when shorter).
    ///
    /// - Returns: the preview's length in seconds.
    /// - Throws: ``PreviewEncodingError``; a song that cannot be decoded gives
    ///   ``PreviewEncodingError/decoding(_:)``.
    @discardableResult
    public static func encodeRange(
        of sourcePath: String, startSeconds: Double, seconds: Double, to path: String, format: PreviewFormat
    ) throws(PreviewEncodingError) -> Double {
        guard startSeconds.isFinite, startSeconds >= 0 else {
            throw .invalidParameter("startSeconds=\(startSeconds) must be a finite number ≥ 0")
        }
        guard seconds.isFinite, seconds > 0 else {
            throw .invalidParameter("seconds=\(seconds) must be a positive number of seconds")
        }
        let rate = Self.sampleRate
        let decoder: AudioDecoder
        do { decoder = try AudioDecoder(path: sourcePath, options: DecodeOptions(outputSampleRate: rate)) } catch {
            throw .decoding(error)
        }
        let length = Int((seconds * Double(rate)).rounded())
        var first = Int((startSeconds * Double(rate)).rounded())
        let declared = Int(decoder.info.durationSeconds * Double(rate))
        if declared > 0, first + length > declared { first = max(0, declared - length) }
        // The window of the last `length` samples seen, in case the declared length was too long.
        var window: [Float] = []
        window.reserveCapacity(length)
        var seen = 0
        struct Enough: Error {}
        do {
            try decoder.decode { block in
                let blockStart = seen
                seen += block.count
                let from = max(first, blockStart), to = min(first + length, seen)
                if from < to { window.append(contentsOf: block[(from - blockStart)..<(to - blockStart)]) }
                if seen >= first + length { throw Enough() }
            }
        } catch is Enough {
        } catch let error as DecodingError {
            throw .decoding(error)
        } catch {
            throw .encodingFailed(path: path, reason: "\(error)")
        }
        if window.isEmpty, seen > 0 {
            // The song ends before `first`: decode again and keep its last samples.
            return try encodeRange(of: sourcePath, startSeconds: Double(max(0, seen - length)) / Double(rate),
                                   seconds: seconds, to: path, format: format)
        }
        let encoder = try PreviewEncoder(path: path, format: format, sampleRate: rate, channelCount: 1)
        try window.withUnsafeBufferPointer { samples throws(PreviewEncodingError) in try encoder.append(samples) }
        try encoder.finish()
        return Double(window.count) / Double(rate)
    }

    /// Encodes interleaved `samples` into `path` at once.
    public static func encode(_ samples: [Float], sampleRate: Int, channelCount: Int, to path: String,
                              format: PreviewFormat) throws(PreviewEncodingError) {
        let encoder = try PreviewEncoder(path: path, format: format, sampleRate: sampleRate, channelCount: channelCount)
        try samples.withUnsafeBufferPointer { buffer throws(PreviewEncodingError) in try encoder.append(buffer) }
        try encoder.finish()
    }
}
