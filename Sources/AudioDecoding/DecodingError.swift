import DSP
import FilePaths
import Foundation

/// Why a file could not be decoded.
///
/// Every case names the offending path, so a batch over a folder can report
/// each failure on its own line and go on with the next file.
public enum DecodingError: Error, Equatable, Sendable {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// The path is longer than the system lets a program name a file:
    /// `limitBytes` is its `PATH_MAX` (4096 on Linux, counting the final NUL).
    /// Such files exist (made by walking down folder by folder) but cannot
    /// be opened by their full path.
    case pathTooLong(path: String, limitBytes: Int)
    /// The path names a directory, not a file.
    case isDirectory(path: String)
    /// The file exists but this process may not read it.
    case permissionDenied(path: String)
    /// The file has zero bytes.
    case emptyFile(path: String)
    /// The path is a FIFO, a device or a socket, not a regular file; `kind` says which ("a FIFO").
    /// Never read: a FIFO or /dev/urandom has no end.
    case notRegularFile(path: String, kind: String)
    /// Neither libsndfile nor FFmpeg recognises the contents as audio it can read.
    case unsupportedFormat(path: String, reason: String)
    /// The header is readable but the file is damaged or cut short.
    case malformedFile(path: String, reason: String)
    /// The file declares a sample rate outside the supported range.
    case unsupportedSampleRate(path: String, sampleRate: Int)
    /// The file declares a channel count outside the supported range.
    case unsupportedChannelCount(path: String, channelCount: Int)
    /// The audio is encrypted (DRM): no decoder can read it without the
    /// key. `scheme` names the protection ("Apple FairPlay", "Common Encryption").
    case drmProtected(path: String, scheme: String)
    /// Reading failed part-way through the stream.
    case readFailed(path: String, reason: String)
    /// Fewer samples than one analysis frame could be decoded.
    case tooShort(path: String, durationSeconds: Double, minimumSeconds: Double)
    /// Decoding and analysis took longer than ``DecodeOptions/timeLimitSeconds``.
    case timedOut(path: String, limitSeconds: Double, decodedSeconds: Double)
    /// A parameter of the request itself is invalid.
    case invalidParameter(String)
}

extension DecodingError: CustomStringConvertible {
    /// The message, naming the file as people read it (bytes that are not
    /// UTF-8 as `\xNN`, see ``RawPath/display(_:)``).
    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "\(RawPath.display(path)): no such file"
        case let .pathTooLong(path, limitBytes):
            return "\(RawPath.display(path)): \(Self.pathTooLongReason(limitBytes: limitBytes))"
        case let .isDirectory(path):
            return "\(RawPath.display(path)): is a directory, not an audio file"
        case let .permissionDenied(path):
            return "\(RawPath.display(path)): permission denied"
        case let .emptyFile(path):
            return "\(RawPath.display(path)): file is empty (0 bytes)"
        case let .notRegularFile(path, kind):
            return "\(RawPath.display(path)): not a regular file (it is \(kind)); skipped"
        case let .unsupportedFormat(path, reason):
            return "\(RawPath.display(path)): not a readable audio file (\(reason))"
        case let .malformedFile(path, reason):
            return "\(RawPath.display(path)): damaged or truncated audio file (\(reason))"
        case let .unsupportedSampleRate(path, sampleRate):
            return "\(RawPath.display(path)): sample rate \(sampleRate) Hz is outside the supported range "
                + "\(AudioDecoder.supportedSampleRates.lowerBound)–\(AudioDecoder.supportedSampleRates.upperBound) Hz"
        case let .unsupportedChannelCount(path, channelCount):
            return "\(RawPath.display(path)): \(channelCount) channels is outside the supported range "
                + "\(AudioDecoder.supportedChannelCounts.lowerBound)–\(AudioDecoder.supportedChannelCounts.upperBound)"
        case let .drmProtected(path, scheme):
            return "\(RawPath.display(path)): the audio is copy-protected (\(scheme) DRM) and cannot be decoded; "
                + "a DRM-free copy of the file can be analysed"
        case let .readFailed(path, reason):
            return "\(RawPath.display(path)): read failed (\(reason))"
        case let .tooShort(path, durationSeconds, minimumSeconds):
            return "\(RawPath.display(path)): too short to analyse (\(formatSeconds(durationSeconds)) s; "
                + "at least \(formatSeconds(minimumSeconds)) s is needed)"
        case let .timedOut(path, limitSeconds, decodedSeconds):
            return "\(RawPath.display(path)): stopped at the per-file time limit of \(formatSeconds(limitSeconds)) s, "
                + "\(DurationText.clock(decodedSeconds, rounding: .down)) into the audio (a longer limit, or an excerpt, would finish it)"
        case let .invalidParameter(message):
            return message
        }
    }
}

extension DecodingError {
    /// The system's limit on a path's length in bytes, counting the final NUL
    /// (`PATH_MAX`, 4096 on Linux): a path of `pathLimitBytes` bytes or more
    /// cannot be opened.
    public static let pathLimitBytes = Int(PATH_MAX)

    /// Why a path at or beyond ``pathLimitBytes`` cannot be read, and what to do.
    ///
    /// Shared with the folder scanner, so both stages say the same thing.
    ///
    /// - Parameter limitBytes: the limit to name; defaults to ``pathLimitBytes``.
    public static func pathTooLongReason(limitBytes: Int = pathLimitBytes) -> String {
        "path is longer than the system's limit of \(limitBytes) bytes (PATH_MAX); move or rename the folder"
    }
}

private func formatSeconds(_ seconds: Double) -> String {
    let rounded = (seconds * 1000).rounded() / 1000
    return String(rounded)
}
