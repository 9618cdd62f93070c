/// Why a preview could not be encoded. Every case names the file or the value at fault.
public enum PreviewEncodingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// This FFmpeg has neither the Opus nor the MP3 encoder (or not the one asked for).
    case encoderUnavailable(format: String)
    /// A parameter is out of range: the message names it and its value.
    case invalidParameter(String)
    /// FFmpeg could not set up, encode or write `path`; `reason` is its message.
    case encodingFailed(path: String, reason: String)
    /// The song could not be decoded.
    case decoding(DecodingError)

    public var description: String {
        switch self {
        case let .encoderUnavailable(format):
            return "cannot encode previews as \(format): FFmpeg was built without that encoder"
        case let .invalidParameter(message):
            return message
        case let .encodingFailed(path, reason):
            return "\(path): cannot write the preview (\(reason))"
        case let .decoding(error):
            return error.description
        }
    }
}
