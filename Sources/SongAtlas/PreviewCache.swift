import AudioDecoding
import FilePaths
import Foundation

/// Encoded previews kept between runs, keyed by the song file's identity
/// (path, size and modification time, as the feature cache keys files) and by
/// the preview's range and format: an unchanged song is not encoded twice.
///
/// Each preview is one file named after a 128-bit hash of its key, written by
/// ``PreviewEncoder`` under a temporary name and renamed, so concurrent runs
/// and interrupted ones leave only whole files.
public struct PreviewCache: Sendable {
    /// The folder holding the previews.
    public let folder: String

    /// `$XDG_CACHE_HOME/songatlas/previews`, else `~/.cache/songatlas/previews`.
    public static var defaultFolder: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        return (base as NSString).appendingPathComponent("songatlas/previews")
    }

    public init(folder: String = PreviewCache.defaultFolder) { self.folder = folder }

    /// The cached preview of `seconds` from `startSeconds` of `path`, encoded now if it is not cached.
    ///
    /// - Returns: the preview's path in the cache, and whether it was encoded by this call.
    /// - Throws: ``PreviewEncodingError`` (a song that cannot be read gives
    ///   ``PreviewEncodingError/decoding(_:)``); ``PreviewEncodingError/encodingFailed(path:reason:)``
    ///   when the cache folder cannot be created.
    public func preview(of path: String, startSeconds: Double, seconds: Double,
                        format: PreviewFormat) throws(PreviewEncodingError) -> (path: String, encoded: Bool) {
        var status = stat()
        guard RawPath.withCString(path, { stat($0, &status) }) == 0 else {
            throw .decoding(.fileNotFound(path: path))
        }
        let key = [PathKey.of(path), "\(status.st_size)", "\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)",
                   String(format: "%.3f", startSeconds), String(format: "%.3f", seconds), format.rawValue]
            .joined(separator: "\u{0}")
        let cached = (folder as NSString).appendingPathComponent(Self.hash(key) + "." + format.fileExtension)
        if FileManager.default.fileExists(atPath: cached) { return (cached, false) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .encodingFailed(path: cached, reason: "cannot create the cache folder \(folder)")
        }
        try PreviewEncoder.encodeRange(of: path, startSeconds: startSeconds, seconds: seconds, to: cached, format: format)
        return (cached, true)
    }

    /// 128 bits of hash, as 32 hex digits: two FNV-1a 64 hashes of the key's bytes from different offsets.
    static func hash(_ key: String) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in RawPath.bytes(key) {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = (second &* 0x0000_0100_0000_01b3) ^ UInt64(byte)
        }
        return String(format: "%016llx%016llx", first, second)
    }
}
