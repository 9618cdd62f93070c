internal import CFFmpeg
import FilePaths
import Foundation

/// A file opened with FFmpeg's libavformat and libavcodec: the second decoder,
/// for what libsndfile does not read (MP4/M4A with AAC or ALAC, WMA, WavPack,
/// Monkey's Audio, Musepack, Matroska/WebM, AC-3, DSD, …) or refuses.
///
/// The only place in SongAtlas that talks to FFmpeg; nothing outside this
/// module sees a C type. Decodes the default audio stream
/// (`av_find_best_stream`, which prefers the stream marked default), so a
/// music video or an MP4 whose cover art is a video track gives its sound;
/// every other stream is discarded unread.
///
/// Like ``SoundFile``, the file is opened with `open(2)`
/// (``AudioFileDescriptor``) and FFmpeg reads it through callbacks on that
/// descriptor (a custom `AVIOContext`), so any path the system accepts opens,
/// whatever its bytes. FFmpeg may not open anything else: `io_open` refuses
/// every request, so a playlist-like container (HLS, concat, a QuickTime
/// reference movie) cannot make it read other files or the network.
///
/// Decoded samples are converted to interleaved `Float` here (every sample
/// format FFmpeg decoders produce: 8/16/32/64-bit integer, float, double,
/// packed or planar); rate conversion is the project's ``Resampler``'s job.
/// Decoding uses one thread: the batch already runs one file per core.
final class FFmpegFile: DecoderBackend {
    let kind = AudioDecoderKind.ffmpeg
    let path: String
    let sampleRate: Int
    let channelCount: Int
    let declaredFrameCount: Int
    /// Container durations are estimates (MP4 edit lists, VBR streams); the stream is read to its end.
    let frameCountIsEstimate = true
    let isSeekable: Bool
    let formatName: String
    let tags: AudioTags

    private let handles: FFmpegHandles
    private let streamIndex: Int32
    private let secondsPerTick: Double
    private let streamStart: Int64
    /// Samples of the current frame already handed on, and its length.
    private var frameOffset = 0
    private var frameLength = 0
    /// True once the demuxer has ended and the decoder was told to drain.
    private var draining = false
    /// After a seek: the frame position the next sample must have; earlier samples are dropped.
    private var seekTarget: Int?
    /// Packets the decoder rejected in a row; a stream of nothing else is damaged beyond use.
    private var consecutiveErrors = 0
    private static let consecutiveErrorLimit = 64

    /// Silences FFmpeg's own logging (it would print warnings about damaged
    /// input on standard error); errors come back as ``DecodingError``s.
    private static let quietLogging: Void = { av_log_set_level(AV_LOG_QUIET) }()

    /// Opens `path`, finds its default audio stream and opens its decoder.
    ///
    /// - Parameter path: the file, absolute or relative to the current folder.
    /// - Throws: what ``AudioFileDescriptor/open(path:)`` throws;
    ///   ``DecodingError/unsupportedFormat(path:reason:)`` when FFmpeg does not
    ///   recognise the contents, finds no audio stream or has no decoder for it;
    ///   ``DecodingError/malformedFile(path:reason:)`` when the container is
    ///   recognised but damaged (an MP4 without its `moov` atom);
    ///   ``DecodingError/drmProtected(path:scheme:)`` for an encrypted stream.
    init(path: String) throws(DecodingError) {
        Self.quietLogging
        self.path = path
        let descriptor = try AudioFileDescriptor.open(path: path)
        handles = FFmpegHandles(descriptor: descriptor)
        try handles.openInput(path: path)
        guard let format = handles.format else { throw .unsupportedFormat(path: path, reason: "FFmpeg: no context") }

        let found = try Self.findAudioStream(format, path: path)
        streamIndex = found.index
        let stream = format.pointee.streams[Int(found.index)]!
        for index in 0..<Int(format.pointee.nb_streams) where index != Int(found.index) {
            format.pointee.streams[index]!.pointee.discard = AVDISCARD_ALL
        }
        let parameters = stream.pointee.codecpar!
        if let scheme = Self.protectionScheme(codecTag: parameters.pointee.codec_tag) {
            throw .drmProtected(path: path, scheme: scheme)
        }
        try handles.openCodec(found.codec, parameters: parameters, timeBase: stream.pointee.time_base, path: path)
        let codec = handles.codec!

        sampleRate = Int(codec.pointee.sample_rate)
        channelCount = Int(codec.pointee.ch_layout.nb_channels)
        secondsPerTick = av_q2d(stream.pointee.time_base)
        let noTimestamp = songatlas_nopts_value()
        streamStart = stream.pointee.start_time == noTimestamp ? 0 : stream.pointee.start_time
        var durationSeconds = 0.0
        if stream.pointee.duration != noTimestamp, stream.pointee.duration > 0 {
            durationSeconds = Double(stream.pointee.duration) * secondsPerTick
        } else if format.pointee.duration != noTimestamp, format.pointee.duration > 0 {
            durationSeconds = Double(format.pointee.duration) / Double(AV_TIME_BASE)
        }
        declaredFrameCount = durationSeconds.isFinite && sampleRate > 0
            ? Int(min(durationSeconds, 1e9) * Double(sampleRate)) : 0
        isSeekable = format.pointee.pb.pointee.seekable != 0

        let inputName = String(cString: format.pointee.iformat.pointee.name)
        let container = inputName.split(separator: ",").first.map(String.init) ?? inputName
        let codecName = String(cString: avcodec_get_name(parameters.pointee.codec_id))
        formatName = "\(Self.containerNames[container] ?? container.uppercased())/\(codecName.uppercased())"

        func tag(_ key: String) -> String? {
            for dictionary in [format.pointee.metadata, stream.pointee.metadata] {
                if let entry = av_dict_get(dictionary, key, nil, 0), let value = entry.pointee.value {
                    // String(cString:) repairs invalid UTF-8 rather than failing.
                    if let text = AudioTags.cleaned(String(cString: value)) { return text }
                }
            }
            return nil
        }
        tags = AudioTags(title: tag("title"), artist: tag("artist") ?? tag("album_artist"), album: tag("album"),
                         trackNumber: AudioTags.number(tag("track")), discNumber: AudioTags.number(tag("disc")),
                         cueSheet: tag("cuesheet"), genre: tag("genre"))
    }

    /// The default audio stream and its decoder.
    private static func findAudioStream(
        _ format: UnsafeMutablePointer<AVFormatContext>, path: String
    ) throws(DecodingError) -> (index: Int32, codec: UnsafePointer<AVCodec>) {
        var codec: UnsafePointer<AVCodec>?
        let index = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0)
        if index >= 0, let codec { return (index, codec) }
        var audioCodecs: [String] = []
        for stream in 0..<Int(format.pointee.nb_streams) {
            let parameters = format.pointee.streams[stream]!.pointee.codecpar!
            guard parameters.pointee.codec_type == AVMEDIA_TYPE_AUDIO else { continue }
            if let scheme = protectionScheme(codecTag: parameters.pointee.codec_tag) {
                throw .drmProtected(path: path, scheme: scheme)
            }
            audioCodecs.append(String(cString: avcodec_get_name(parameters.pointee.codec_id)))
        }
        if audioCodecs.isEmpty {
            throw .unsupportedFormat(path: path, reason: "FFmpeg finds no audio stream in it")
        }
        throw .unsupportedFormat(path: path, reason: "FFmpeg has no decoder for its audio (\(audioCodecs.joined(separator: ", ")))")
    }

    /// Sample-entry codes of protected MP4 audio: Apple FairPlay (`drms`,
    /// `drmi`), Common Encryption (`enca`, when FFmpeg could not read the
    /// original format behind it) and Audible (`aavd`).
    private static func protectionScheme(codecTag: UInt32) -> String? {
        let bytes = (0..<4).map { UInt8((codecTag >> (8 * $0)) & 0xFF) }
        let text = String(decoding: bytes, as: UTF8.self)
        switch text {
        case "drms", "drmi": return "Apple FairPlay"
        case "enca": return "Common Encryption"
        case "aavd": return "Audible"
        default: return nil
        }
    }

    /// Readable container names for FFmpeg's demuxer names.
    private static let containerNames = [
        "mov": "MP4", "asf": "ASF", "wv": "WAVPACK", "ape": "APE", "mpc": "MUSEPACK", "mpc8": "MUSEPACK",
        "matroska": "MATROSKA", "dsf": "DSF", "iff": "DFF", "ogg": "OGG", "flac": "FLAC", "mp3": "MPEG",
    ]

    // MARK: Reading

    func readFrames(into buffer: UnsafeMutablePointer<Float>, frameCount: Int) throws(DecodingError) -> Int {
        var written = 0
        while written < frameCount {
            if frameOffset >= frameLength {
                guard try nextFrame() else { break }
                continue
            }
            let count = min(frameCount - written, frameLength - frameOffset)
            convert(from: frameOffset, count: count, into: buffer + written * channelCount)
            frameOffset += count
            written += count
        }
        return written
    }

    func seek(toFrame target: Int) -> Bool {
        guard isSeekable, let format = handles.format, let codec = handles.codec, sampleRate > 0 else { return false }
        let timestamp = streamStart + Int64((Double(target) / Double(sampleRate) / secondsPerTick).rounded(.down))
        guard av_seek_frame(format, streamIndex, timestamp, AVSEEK_FLAG_BACKWARD) >= 0 else { return false }
        avcodec_flush_buffers(codec)
        av_frame_unref(handles.frame)
        frameOffset = 0
        frameLength = 0
        draining = false
        seekTarget = target
        return true
    }

    /// Decodes the next frame into `handles.frame`. Returns false at the end of the stream.
    private func nextFrame() throws(DecodingError) -> Bool {
        guard let codec = handles.codec, let frame = handles.frame else { return false }
        while true {
            av_frame_unref(frame)
            let received = avcodec_receive_frame(codec, frame)
            if received == 0 {
                consecutiveErrors = 0
                let length = Int(frame.pointee.nb_samples)
                var skip = 0
                if let target = seekTarget {
                    let timestamp = frame.pointee.best_effort_timestamp
                    if timestamp != songatlas_nopts_value() {
                        // Timestamps come from the file: subtract and convert without trapping on absurd ones.
                        let ticks = Double(timestamp) - Double(streamStart)
                        let exact = (ticks * secondsPerTick * Double(sampleRate)).rounded()
                        let position = exact.isFinite && abs(exact) < 1e15 ? Int(exact) : (exact > 0 ? Int(1e15) : -Int(1e15))
                        skip = max(0, min(length, target - position))
                        if position + length > target { seekTarget = nil }
                    } else {
                        seekTarget = nil
                    }
                }
                guard length - skip > 0 else { continue }
                frameLength = length
                frameOffset = skip
                return true
            }
            if received == songatlas_averror_eof() { return false }
            if received == songatlas_averror_eagain() {
                if draining { return false }
                try sendNextPacket()
                continue
            }
            try countError(received)
        }
    }

    /// Reads packets until one of the audio stream is accepted by the decoder,
    /// or tells the decoder to drain when the container ends (or breaks off:
    /// a cut file gives what it holds, as libsndfile does).
    private func sendNextPacket() throws(DecodingError) {
        guard let format = handles.format, let codec = handles.codec, let packet = handles.packet else { return }
        while true {
            let status = av_read_frame(format, packet)
            if status < 0 {
                draining = true
                avcodec_send_packet(codec, nil)
                return
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            var sideDataSize = 0
            if av_packet_get_side_data(packet, AV_PKT_DATA_ENCRYPTION_INFO, &sideDataSize) != nil {
                throw .drmProtected(path: path, scheme: "Common Encryption")
            }
            let sent = avcodec_send_packet(codec, packet)
            if sent == 0 { return }
            try countError(sent)
        }
    }

    /// A packet the decoder rejected: skipped, as the `ffmpeg` command does,
    /// unless nothing but rejections comes.
    private func countError(_ code: Int32) throws(DecodingError) {
        consecutiveErrors += 1
        if consecutiveErrors > Self.consecutiveErrorLimit {
            throw .readFailed(path: path, reason: "FFmpeg: " + Self.message(code))
        }
    }

    /// FFmpeg's text for an error code.
    static func message(_ code: Int32) -> String {
        var text = [CChar](repeating: 0, count: 256)
        av_strerror(code, &text, text.count)
        return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Writes `count` frames of the current frame, from `offset`, as
    /// interleaved floats of ``channelCount`` channels. A frame with fewer
    /// channels than the stream repeats its last channel; one with more drops the rest.
    private func convert(from offset: Int, count: Int, into target: UnsafeMutablePointer<Float>) {
        let frame = handles.frame!
        let format = AVSampleFormat(rawValue: frame.pointee.format)
        let frameChannels = max(1, Int(frame.pointee.ch_layout.nb_channels))
        let planar = av_sample_fmt_is_planar(format) != 0
        let packed = av_get_packed_sample_fmt(format)
        let channels = channelCount
        let planes = frame.pointee.extended_data!
        for channel in 0..<channels {
            let source = min(channel, frameChannels - 1)
            let plane = UnsafeRawPointer(planes[planar ? source : 0]!)
            let stride = planar ? 1 : frameChannels
            let first = planar ? offset : offset * frameChannels + source
            func copy<Sample>(_: Sample.Type, _ value: (Sample) -> Float) {
                let samples = plane.assumingMemoryBound(to: Sample.self)
                for index in 0..<count { target[index * channels + channel] = value(samples[first + index * stride]) }
            }
            switch packed {
            case AV_SAMPLE_FMT_FLT: copy(Float.self) { $0 }
            case AV_SAMPLE_FMT_DBL: copy(Double.self) { Float($0) }
            case AV_SAMPLE_FMT_S16: copy(Int16.self) { Float($0) * (1 / 32768) }
            case AV_SAMPLE_FMT_S32: copy(Int32.self) { Float(Double($0) * (1 / 2_147_483_648)) }
            case AV_SAMPLE_FMT_S64: copy(Int64.self) { Float(Double($0) * (1 / 9_223_372_036_854_775_808)) }
            case AV_SAMPLE_FMT_U8: copy(UInt8.self) { (Float($0) - 128) * (1 / 128) }
            default: for index in 0..<count { target[index * channels + channel] = 0 }
            }
        }
    }
}

/// What one FFmpeg file holds open: the descriptor, the I/O and format
/// contexts, the decoder, a packet and a frame. Freed together, whatever
/// stage opening reached.
private final class FFmpegHandles {
    let source: DescriptorSource
    var io: UnsafeMutablePointer<AVIOContext>?
    var format: UnsafeMutablePointer<AVFormatContext>?
    var codec: UnsafeMutablePointer<AVCodecContext>?
    var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
    var frame: UnsafeMutablePointer<AVFrame>? = av_frame_alloc()

    init(descriptor: Int32) { source = DescriptorSource(descriptor: descriptor) }

    /// Sets up reading through the descriptor and lets FFmpeg recognise the container.
    func openInput(path: String) throws(DecodingError) {
        let bufferSize = 64 * 1024
        guard let buffer = av_malloc(bufferSize)?.assumingMemoryBound(to: UInt8.self) else {
            throw .readFailed(path: path, reason: "FFmpeg: out of memory")
        }
        io = avio_alloc_context(buffer, Int32(bufferSize), 0, Unmanaged.passUnretained(source).toOpaque(),
                                readCallback, nil, seekCallback)
        guard io != nil else {
            av_free(buffer)
            throw .readFailed(path: path, reason: "FFmpeg: out of memory")
        }
        guard let context = avformat_alloc_context() else { throw .readFailed(path: path, reason: "FFmpeg: out of memory") }
        context.pointee.pb = io
        context.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        context.pointee.io_open = refuseOpen
        format = context
        // The name only helps probing by extension; FFmpeg opens nothing by it.
        let opened = RawPath.withCString(path) { avformat_open_input(&format, $0, nil, nil) }
        guard opened >= 0 else {
            format = nil    // avformat_open_input frees the context when it fails
            if isMP4WithoutIndex() {
                throw .malformedFile(path: path, reason: "an MP4/M4A file without its index (moov atom): "
                    + "it was cut short or never finished writing")
            }
            throw .unsupportedFormat(path: path, reason: "FFmpeg: " + FFmpegFile.message(opened))
        }
        let probed = avformat_find_stream_info(format, nil)
        guard probed >= 0 else {
            throw .malformedFile(path: path, reason: "FFmpeg: " + FFmpegFile.message(probed))
        }
        guard format!.pointee.nb_streams > 0 else {
            throw .unsupportedFormat(path: path, reason: "FFmpeg finds no audio stream in it")
        }
    }

    /// True when the file starts like an MP4 (an `ftyp` box) but FFmpeg
    /// could not open it: the usual cause is a missing `moov` box, which
    /// encoders write last.
    private func isMP4WithoutIndex() -> Bool {
        var header = [UInt8](repeating: 0, count: 8)
        guard pread(source.descriptor, &header, 8, 0) == 8 else { return false }
        return header[4...7].elementsEqual("ftyp".utf8)
    }

    /// Opens the decoder for the chosen stream, on one thread.
    func openCodec(_ decoder: UnsafePointer<AVCodec>, parameters: UnsafePointer<AVCodecParameters>,
                   timeBase: AVRational, path: String) throws(DecodingError) {
        codec = avcodec_alloc_context3(decoder)
        guard let codec, avcodec_parameters_to_context(codec, parameters) >= 0 else {
            throw .readFailed(path: path, reason: "FFmpeg: cannot set up the decoder")
        }
        codec.pointee.thread_count = 1
        codec.pointee.pkt_timebase = timeBase
        let opened = avcodec_open2(codec, decoder, nil)
        guard opened >= 0 else {
            throw .unsupportedFormat(path: path, reason: "FFmpeg cannot open its decoder: " + FFmpegFile.message(opened))
        }
        guard codec.pointee.sample_rate > 0, codec.pointee.ch_layout.nb_channels > 0 else {
            throw .malformedFile(path: path, reason: "FFmpeg: the audio stream declares no sample rate or channels")
        }
    }

    deinit {
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&codec)
        avformat_close_input(&format)     // leaves a custom AVIOContext alone
        if io != nil {
            av_freep(&io!.pointee.buffer)  // may have been replaced by FFmpeg; free the current one
            avio_context_free(&io)
        }
        close(source.descriptor)
    }
}

/// The descriptor FFmpeg's I/O callbacks read from.
private final class DescriptorSource {
    let descriptor: Int32
    init(descriptor: Int32) { self.descriptor = descriptor }
}

private let readCallback: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = {
    opaque, buffer, size in
    let source = Unmanaged<DescriptorSource>.fromOpaque(opaque!).takeUnretainedValue()
    while true {
        let count = read(source.descriptor, buffer, Int(size))
        if count > 0 { return Int32(count) }
        if count == 0 { return songatlas_averror_eof() }
        if errno != EINTR { return -errno }
    }
}

private let seekCallback: @convention(c) (UnsafeMutableRawPointer?, Int64, Int32) -> Int64 = { opaque, offset, whence in
    let source = Unmanaged<DescriptorSource>.fromOpaque(opaque!).takeUnretainedValue()
    if whence & AVSEEK_SIZE != 0 {
        var status = stat()
        return fstat(source.descriptor, &status) == 0 ? Int64(status.st_size) : Int64(-errno)
    }
    let position = lseek(source.descriptor, off_t(offset), whence & ~AVSEEK_FORCE)
    return position < 0 ? Int64(-errno) : Int64(position)
}

/// FFmpeg may open no file or URL of its own (HLS, concat, reference movies).
private let refuseOpen: @convention(c) (
    UnsafeMutablePointer<AVFormatContext>?, UnsafeMutablePointer<UnsafeMutablePointer<AVIOContext>?>?,
    UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 = { _, _, _, _, _ in -EPERM }
