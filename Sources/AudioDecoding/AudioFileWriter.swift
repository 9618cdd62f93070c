internal import CSndFile
import Foundation

/// Writes audio files through libsndfile. Used to make test signals and
/// sample audio; SongAtlas never writes into a music folder.
public enum AudioFileWriter {
    /// Why a file could not be written.
    public enum WriteError: Error, CustomStringConvertible, Sendable, Equatable {
        /// libsndfile cannot write this container and encoding at this rate and channel count.
        case unsupportedFormat(String)
        /// libsndfile could not create the file or write all of it; `reason` is its message.
        case writeFailed(path: String, reason: String)

        public var description: String {
            switch self {
            case let .unsupportedFormat(message): return message
            case let .writeFailed(path, reason): return "\(path): cannot write audio (\(reason))"
            }
        }
    }

    /// A container and sample encoding libsndfile can write.
    public struct Format: Sendable, Equatable {
        let code: Int32
        public static let wav16 = Format(code: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16))
        public static let wav24 = Format(code: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24))
        public static let wav32 = Format(code: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_32))
        public static let wavU8 = Format(code: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_U8))
        public static let wavFloat = Format(code: Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT))
        public static let wavDouble = Format(code: Int32(SF_FORMAT_WAV | SF_FORMAT_DOUBLE))
        public static let aiff16 = Format(code: Int32(SF_FORMAT_AIFF | SF_FORMAT_PCM_16))
        public static let aiff8 = Format(code: Int32(SF_FORMAT_AIFF | SF_FORMAT_PCM_S8))
        public static let flac16 = Format(code: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16))
        public static let flac24 = Format(code: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_24))
        public static let oggVorbis = Format(code: Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS))
        public static let oggOpus = Format(code: Int32(SF_FORMAT_OGG | SF_FORMAT_OPUS))
        public static let mp3 = Format(code: Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III))
    }

    /// Writes interleaved `samples` (`frameCount * channelCount` values) to `path`.
    ///
    /// - Parameters:
    ///   - title, artist, album, genre: tags to store where the format allows.
    /// - Throws: ``WriteError``, carrying libsndfile's reason.
    public static func write(
        _ samples: [Float], to path: String, sampleRate: Int, channelCount: Int = 1,
        format: Format = .wavFloat, title: String? = nil, artist: String? = nil, album: String? = nil,
        genre: String? = nil
    ) throws(WriteError) {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channelCount)
        info.format = format.code
        guard sf_format_check(&info) != 0 else {
            throw .unsupportedFormat("libsndfile cannot write format 0x\(String(format.code, radix: 16)) "
                + "at \(sampleRate) Hz with \(channelCount) channels")
        }
        guard let handle = sf_open(path, Int32(SFM_WRITE), &info) else {
            throw .writeFailed(path: path, reason: String(cString: sf_strerror(nil)))
        }
        defer { sf_close(handle) }
        if let title { sf_set_string(handle, Int32(SF_STR_TITLE), title) }
        if let artist { sf_set_string(handle, Int32(SF_STR_ARTIST), artist) }
        if let album { sf_set_string(handle, Int32(SF_STR_ALBUM), album) }
        if let genre { sf_set_string(handle, Int32(SF_STR_GENRE), genre) }
        let frameCount = samples.count / max(channelCount, 1)
        let written = samples.withUnsafeBufferPointer {
            sf_writef_float(handle, $0.baseAddress, sf_count_t(frameCount))
        }
        guard written == frameCount else {
            throw .writeFailed(path: path, reason: String(cString: sf_strerror(handle)))
        }
    }
}
