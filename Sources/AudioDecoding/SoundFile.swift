internal import CSndFile
import Foundation

/// A libsndfile handle opened read-only. The only place in SongAtlas that
/// talks to libsndfile for reading; nothing outside this module sees a C type.
final class SoundFile: DecoderBackend {
    let kind = AudioDecoderKind.libsndfile
    let path: String
    private let handle: OpaquePointer
    let sampleRate: Int
    let channelCount: Int
    let declaredFrameCount: Int
    let formatCode: Int32
    let isSeekable: Bool

    /// Opens `path` for reading after checking, in order, that it exists, is a
    /// regular file, is readable and is not empty, so each of those failures
    /// gets its own error rather than libsndfile's generic one.
    ///
    /// The file is opened here with `open(2)` and its descriptor handed to
    /// libsndfile (`sf_open_fd`), because `sf_open` copies the path into a
    /// fixed 1,024-byte buffer and refuses longer paths ("Supplied filename too
    /// long"; libsndfile before 1.0.29 truncated them and failed with "No such
    /// file or directory"). Any path the system accepts, up to `PATH_MAX`
    /// (4,096 bytes on Linux), therefore opens.
    ///
    /// Ownership of the descriptor follows libsndfile 1.2: with `close_desc`
    /// set, `sf_close` closes it; when `sf_open_fd` fails it has already closed
    /// it (its error path runs `psf_close`), so it is never closed here — a
    /// second `close` could close a descriptor another thread just opened.
    ///
    /// - Parameter path: the file, absolute or relative to the current folder.
    /// - Throws: ``DecodingError/pathTooLong(path:limitBytes:)`` for a path of
    ///   `PATH_MAX` bytes or more, ``DecodingError/fileNotFound(path:)``,
    ///   ``DecodingError/isDirectory(path:)``, ``DecodingError/permissionDenied(path:)``,
    ///   ``DecodingError/emptyFile(path:)``, or what libsndfile reports.
    init(path: String) throws(DecodingError) {
        self.path = path
        var info = SF_INFO()
        handle = try Self.openSoundFile(path: path, info: &info)
        sampleRate = Int(info.samplerate)
        channelCount = Int(info.channels)
        declaredFrameCount = max(0, Int(info.frames))
        formatCode = info.format
        isSeekable = info.seekable != 0
        // Float data is passed through unscaled; integer data is normalised to [-1, 1).
        sf_command(handle, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
    }

    /// Opens `path` with `open(2)`, checks what it is, and opens it with libsndfile.
    private static func openSoundFile(path: String, info: inout SF_INFO) throws(DecodingError) -> OpaquePointer {
        let descriptor = try AudioFileDescriptor.open(path: path)
        if let opened = sf_open_fd(descriptor, Int32(SFM_READ), &info, Int32(SF_TRUE)) {
            return opened
        }
        // The descriptor is closed now (see `init`).
        let code = sf_error(nil)
        let reason = String(cString: sf_strerror(nil))
        // Headerless formats that `sf_open` recognised by the file name's
        // extension alone: a descriptor has no name, so say it explicitly.
        if code == Int32(SF_ERR_UNRECOGNISED_FORMAT),
           let raw = rawFormatsByExtension[(path as NSString).pathExtension.lowercased()] {
            var rawInfo = SF_INFO()
            rawInfo.format = raw.format
            rawInfo.samplerate = raw.sampleRate
            rawInfo.channels = 1
            let retry = try AudioFileDescriptor.open(path: path)
            if let opened = sf_open_fd(retry, Int32(SFM_READ), &rawInfo, Int32(SF_TRUE)) {
                info = rawInfo
                return opened
            }
        }
        if code == Int32(SF_ERR_MALFORMED_FILE) {
            throw .malformedFile(path: path, reason: reason)
        }
        if code == Int32(SF_ERR_SYSTEM) {
            throw .readFailed(path: path, reason: reason)
        }
        throw .unsupportedFormat(path: path, reason: reason)
    }

    /// libsndfile's own fallback for files it cannot recognise by content
    /// (`format_from_extension` in its `sndfile.c`): headerless 8 kHz mono
    /// µ-law, VOX ADPCM and GSM 6.10, chosen by extension.
    private static let rawFormatsByExtension: [String: (format: Int32, sampleRate: Int32)] = [
        "au": (Int32(SF_FORMAT_RAW | SF_FORMAT_ULAW), 8000),
        "snd": (Int32(SF_FORMAT_RAW | SF_FORMAT_ULAW), 8000),
        "vox": (Int32(SF_FORMAT_RAW | SF_FORMAT_VOX_ADPCM), 8000),
        "vox8": (Int32(SF_FORMAT_RAW | SF_FORMAT_VOX_ADPCM), 8000),
        "vox6": (Int32(SF_FORMAT_RAW | SF_FORMAT_VOX_ADPCM), 6000),
        "gsm": (Int32(SF_FORMAT_RAW | SF_FORMAT_GSM610), 8000),
    ]

    deinit { sf_close(handle) }

    /// Reads up to `frameCount` interleaved frames into `buffer`, which must
    /// hold `frameCount * channelCount` floats. Returns the frames read; 0 at
    /// the end of the stream.
    func readFrames(into buffer: UnsafeMutablePointer<Float>, frameCount: Int) throws(DecodingError) -> Int {
        let read = Int(sf_readf_float(handle, buffer, sf_count_t(frameCount)))
        if read < frameCount {
            let code = sf_error(handle)
            if code != 0 {
                throw .readFailed(path: path, reason: String(cString: sf_strerror(handle)))
            }
        }
        return read
    }

    /// Seeks to `frame`. Returns false when the format cannot seek there.
    func seek(toFrame frame: Int) -> Bool {
        sf_seek(handle, sf_count_t(frame), SEEK_SET) >= 0
    }

    func string(_ kind: Int32) -> String? {
        guard let pointer = sf_get_string(handle, kind) else { return nil }
        // String(cString:) repairs invalid UTF-8 rather than failing.
        let trimmed = String(cString: pointer).trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Title, artist, album, track number and genre (libsndfile has no disc number).
    var tags: AudioTags {
        AudioTags(title: string(Int32(SF_STR_TITLE)), artist: string(Int32(SF_STR_ARTIST)),
                  album: string(Int32(SF_STR_ALBUM)), trackNumber: AudioTags.number(string(Int32(SF_STR_TRACKNUMBER))),
                  genre: string(Int32(SF_STR_GENRE)))
    }

    /// A readable name of the container and encoding, e.g. `"FLAC/PCM_16"`.
    var formatName: String {
        let major = Int(formatCode & Int32(SF_FORMAT_TYPEMASK))
        let minor = Int(formatCode & Int32(SF_FORMAT_SUBMASK))
        let majorName = Self.majorNames[major] ?? String(format: "0x%06X", major)
        let minorName = Self.minorNames[minor] ?? String(format: "0x%04X", minor)
        return "\(majorName)/\(minorName)"
    }

    /// True for formats whose header frame count is only an estimate.
    var frameCountIsEstimate: Bool {
        let major = formatCode & Int32(SF_FORMAT_TYPEMASK)
        return major == Int32(SF_FORMAT_OGG) || major == Int32(SF_FORMAT_MPEG)
    }

    private static let majorNames: [Int: String] = [
        0x010000: "WAV", 0x020000: "AIFF", 0x030000: "AU", 0x040000: "RAW", 0x050000: "PAF",
        0x060000: "SVX", 0x070000: "NIST", 0x080000: "VOC", 0x0A0000: "IRCAM", 0x0B0000: "W64",
        0x0C0000: "MAT4", 0x0D0000: "MAT5", 0x0E0000: "PVF", 0x0F0000: "XI", 0x100000: "HTK",
        0x110000: "SDS", 0x120000: "AVR", 0x130000: "WAVEX", 0x160000: "SD2", 0x170000: "FLAC",
        0x180000: "CAF", 0x190000: "WVE", 0x200000: "OGG", 0x210000: "MPC2K", 0x220000: "RF64",
        0x230000: "MPEG",
    ]

    private static let minorNames: [Int: String] = [
        0x0001: "PCM_S8", 0x0002: "PCM_16", 0x0003: "PCM_24", 0x0004: "PCM_32", 0x0005: "PCM_U8",
        0x0006: "FLOAT", 0x0007: "DOUBLE", 0x0010: "ULAW", 0x0011: "ALAW", 0x0012: "IMA_ADPCM",
        0x0013: "MS_ADPCM", 0x0020: "GSM610", 0x0021: "VOX_ADPCM", 0x0022: "NMS_ADPCM_16",
        0x0023: "NMS_ADPCM_24", 0x0024: "NMS_ADPCM_32", 0x0030: "G721_32", 0x0031: "G723_24",
        0x0032: "G723_40", 0x0040: "DWVW_12", 0x0041: "DWVW_16", 0x0042: "DWVW_24", 0x0043: "DWVW_N",
        0x0050: "DPCM_8", 0x0051: "DPCM_16", 0x0060: "VORBIS", 0x0064: "OPUS", 0x0070: "ALAC_16",
        0x0071: "ALAC_20", 0x0072: "ALAC_24", 0x0073: "ALAC_32", 0x0080: "MPEG_LAYER_I",
        0x0081: "MPEG_LAYER_II", 0x0082: "MPEG_LAYER_III",
    ]
}
