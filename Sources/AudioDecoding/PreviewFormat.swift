/// The compressed format of a map preview: Opus in Ogg, or MP3 where FFmpeg
/// was built without an Opus encoder.
public enum PreviewFormat: String, Sendable, Equatable, CaseIterable {
    /// Opus (libavcodec's `libopus` encoder) in an Ogg container.
    case opus
    /// MP3 (libavcodec's `libmp3lame` encoder).
    case mp3

    /// The file extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .opus: return "opus"
        case .mp3: return "mp3"
        }
    }

    /// The MIME type a page gives the browser for the file.
    public var mimeType: String {
        switch self {
        case .opus: return "audio/ogg; codecs=opus"
        case .mp3: return "audio/mpeg"
        }
    }

    /// libavcodec's name for the encoder.
    var encoderName: String {
        switch self {
        case .opus: return "libopus"
        case .mp3: return "libmp3lame"
        }
    }

    /// libavformat's name for the container.
    var muxerName: String {
        switch self {
        case .opus: return "ogg"
        case .mp3: return "mp3"
        }
    }

    /// Bits per second, per channel: enough for listening, small beside the page.
    var bitRatePerChannel: Int {
        switch self {
        case .opus: return 64_000
        case .mp3: return 96_000
        }
    }
}
