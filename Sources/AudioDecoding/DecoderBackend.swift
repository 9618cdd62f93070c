/// Which library decoded a file.
public enum AudioDecoderKind: String, Codable, Sendable, CaseIterable {
    /// libsndfile: WAV, AIFF, FLAC, Ogg Vorbis/Opus, MP3 and the other formats it reads. The first choice.
    case libsndfile
    /// FFmpeg's libavformat and libavcodec: MP4/M4A (AAC, ALAC), WMA, WavPack, Monkey's Audio,
    /// Musepack, Matroska/WebM, AC-3, DSD, and whatever libsndfile refuses.
    case ffmpeg
}

/// One file opened by one decoding library: interleaved `Float` frames at the
/// file's own rate and channel count. ``AudioDecoder`` downmixes, resamples,
/// seeks for excerpts and keeps time on top of it, whatever the library.
///
/// Internal: ``AudioDecoder`` is the one public entry point, and no C type
/// crosses this protocol.
protocol DecoderBackend: AnyObject {
    /// The library behind this backend.
    var kind: AudioDecoderKind { get }
    /// The file's sample rate in Hz.
    var sampleRate: Int { get }
    /// The file's channel count; every frame read has this many samples.
    var channelCount: Int { get }
    /// Frames per channel the header declares (0 when unknown).
    var declaredFrameCount: Int { get }
    /// True when ``declaredFrameCount`` is an estimate, so the stream is read to its end.
    var frameCountIsEstimate: Bool { get }
    /// True when ``seek(toFrame:)`` can work.
    var isSeekable: Bool { get }
    /// Container and encoding, e.g. `"FLAC/PCM_16"` or `"MP4/AAC"`.
    var formatName: String { get }
    /// Title, artist, album, track and disc number, where the container has them.
    var tags: AudioTags { get }

    /// Moves so that the next frame read is `frame` (in frames from the start
    /// at the file's rate). Returns false when the format cannot seek there.
    func seek(toFrame frame: Int) -> Bool

    /// Reads up to `frameCount` interleaved frames into `buffer`, which holds
    /// `frameCount * channelCount` floats. Returns the frames read; 0 at the end.
    ///
    /// - Throws: ``DecodingError`` when the stream breaks off or is protected.
    func readFrames(into buffer: UnsafeMutablePointer<Float>, frameCount: Int) throws(DecodingError) -> Int
}
