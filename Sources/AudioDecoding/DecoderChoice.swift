import Foundation

/// Which library decodes a file, and when FFmpeg takes over from libsndfile.
///
/// libsndfile is the first choice for what it reads. FFmpeg decodes:
/// - files whose extension names a container or codec outside libsndfile
///   (``ffmpegExtensions``: MP4/M4A with AAC or ALAC, WMA, WavPack, Monkey's
///   Audio, Musepack, Matroska/WebM, AC-3, DSD, …), without asking libsndfile;
/// - any file libsndfile refuses as unknown, damaged or unreadable (a FLAC
///   its decoder rejects, an MP4 named `.mp3`); when FFmpeg refuses it too,
///   the error gives both reasons;
/// - the rest of a file whose stream libsndfile breaks off part-way through:
///   FFmpeg goes on from the frame libsndfile reached (``continuation(after:from:path:atFrame:)``),
///   so the samples already delivered stay valid.
///
/// A missing, unreadable, empty or folder path fails before either library is asked.
struct DecoderChoice {
    /// Opens a file with libsndfile; tests swap in a failing one.
    var openSndFile: (String) throws(DecodingError) -> DecoderBackend = { path throws(DecodingError) in
        try SoundFile(path: path)
    }
    /// Opens a file with FFmpeg.
    var openFFmpeg: (String) throws(DecodingError) -> DecoderBackend = { path throws(DecodingError) in
        try FFmpegFile(path: path)
    }

    /// Extensions (lower case) of containers and codecs libsndfile does not read.
    static let ffmpegExtensions: Set<String> = [
        "m4a", "m4b", "m4p", "mp4", "m4v", "mov", "3gp", "3g2", "aac", "adts", "alac",
        "wma", "asf", "wmv", "wv", "ape", "mpc", "mp+", "mpp", "mka", "mkv", "webm", "weba",
        "ac3", "eac3", "ec3", "dts", "dtshd", "dsf", "dff", "tta", "tak", "amr", "awb", "ra", "rm",
        "spx", "ofr", "ofs", "shn", "mlp", "thd", "oma", "aa3", "at3", "vqf",
    ]

    /// The file's decoder by the rules above, or `only` that library when given.
    func open(_ path: String, only: AudioDecoderKind? = nil) throws(DecodingError) -> DecoderBackend {
        switch only {
        case .libsndfile?: return try openSndFile(path)
        case .ffmpeg?: return try openFFmpeg(path)
        case nil: break
        }
        if Self.ffmpegExtensions.contains((path as NSString).pathExtension.lowercased()) {
            return try openFFmpeg(path)
        }
        do {
            return try openSndFile(path)
        } catch let first {
            guard Self.ffmpegMayRead(after: first) else { throw first }
            do {
                return try openFFmpeg(path)
            } catch let second {
                throw Self.combined(first, second)
            }
        }
    }

    /// FFmpeg, positioned at `frame`, to go on where libsndfile broke off;
    /// nil when `error` is not such a break, or FFmpeg cannot read the file
    /// the same way (another rate or channel count) or reach that frame.
    func continuation(after error: DecodingError, from file: DecoderBackend, path: String,
                      atFrame frame: Int) -> DecoderBackend? {
        guard file.kind == .libsndfile else { return nil }
        switch error {
        case .readFailed, .malformedFile: break
        default: return nil
        }
        guard let second = try? openFFmpeg(path), second.sampleRate == file.sampleRate,
              second.channelCount == file.channelCount
        else { return nil }
        if frame > 0 && !second.seek(toFrame: frame) {
            var scratch = [Float](repeating: 0, count: 4096 * second.channelCount)
            var skipped = 0
            while skipped < frame {
                let read = scratch.withUnsafeMutableBufferPointer { buffer in
                    (try? second.readFrames(into: buffer.baseAddress!, frameCount: min(4096, frame - skipped))) ?? 0
                }
                if read == 0 { return nil }
                skipped += read
            }
        }
        return second
    }

    /// True for libsndfile's refusals FFmpeg may not share: an unknown or
    /// damaged format, or a read error. Not for a path that cannot be opened at all.
    private static func ffmpegMayRead(after error: DecodingError) -> Bool {
        switch error {
        case .unsupportedFormat, .malformedFile, .readFailed: return true
        default: return false
        }
    }

    /// One error for a file both libraries refused: FFmpeg's when it knows
    /// more (damage, DRM), otherwise libsndfile's kind with both reasons.
    private static func combined(_ first: DecodingError, _ second: DecodingError) -> DecodingError {
        switch second {
        case .malformedFile, .readFailed, .drmProtected, .unsupportedSampleRate, .unsupportedChannelCount:
            return second
        default: break
        }
        let secondReason: String
        if case let .unsupportedFormat(_, reason) = second { secondReason = reason } else { secondReason = "\(second)" }
        switch first {
        case let .unsupportedFormat(path, reason):
            return .unsupportedFormat(path: path, reason: "libsndfile: \(reason); \(secondReason)")
        case let .malformedFile(path, reason):
            return .malformedFile(path: path, reason: "libsndfile: \(reason); \(secondReason)")
        case let .readFailed(path, reason):
            return .readFailed(path: path, reason: "libsndfile: \(reason); \(secondReason)")
        default:
            return first
        }
    }
}
