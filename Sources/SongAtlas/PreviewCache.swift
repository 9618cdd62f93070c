import AudioDecoding
import FilePaths
import Foundation

/// Encoded previews kept between runs, keyed by the song file's identity
/// (path, size and modification time, as the feature cache keys files) and by
/// the preview's length, format and start rule: an unchanged song is not encoded twice.
///
/// Each preview is one file named after a 128-bit hash of its key, written by
/// ``PreviewEncoder`` under a temporary name and renamed, so concurrent runs
/// and interrupted ones leave only whole files; its start in seconds is kept
/// beside it (`<hash>.start`), so a cached preview needs no decode.
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

    /// A preview in the cache.
    public struct Entry: Sendable, Equatable {
        /// The preview's path in the cache.
        public var path: String
        /// Where the preview starts in the song, in seconds: stored beside the preview, so a
        /// cached preview needs no decode to know it.
        public var startSeconds: Double
        /// True when this call encoded it; false when it was taken from the cache.
        public var encoded: Bool
    }

    /// The cached preview of `seconds` of `path` from its highlight (``PreviewHighlight``), encoded now
    /// if it is not cached.
    ///
    /// The key is the file's identity, the length and the format (and the start rule's name), not the start:
    /// an unchanged song finds its preview, and the start chosen when it was encoded, without a decode.
    ///
    /// - Parameters:
    ///   - path: the song.
    ///   - seconds: the preview's length, > 0.
    ///   - format: the preview's codec and container.
    ///   - highlight: how the start is chosen; default ``PreviewHighlight``'s defaults.
    ///   - onEncode: called before a song is decoded and encoded (a hook for tests and progress); not for a cached one.
    /// - Throws: as ``preview(of:seconds:format:rule:encode:)``.
    public func highlightPreview(of path: String, seconds: Double, format: PreviewFormat,
                                 highlight: PreviewHighlight = PreviewHighlight(),
                                 onEncode: (() -> Void)? = nil) throws(PreviewEncodingError) -> Entry {
        try preview(of: path, seconds: seconds, format: format, rule: PreviewHighlight.ruleName) {
            destination throws(PreviewEncodingError) in
            onEncode?()
            return try highlight.encode(path, seconds: seconds, to: destination, format: format).startSeconds
        }
    }

    /// The cached preview of `seconds` from `startSeconds` of `path`, encoded now if it is not cached.
    ///
    /// - Returns: the preview's path in the cache, and whether it was encoded by this call.
    /// - Throws: as ``preview(of:seconds:format:rule:encode:)``.
    public func preview(of path: String, startSeconds: Double, seconds: Double,
                        format: PreviewFormat) throws(PreviewEncodingError) -> (path: String, encoded: Bool) {
        let entry = try preview(of: path, seconds: seconds, format: format,
                                rule: "from " + String(format: "%.3f", startSeconds)) { destination throws(PreviewEncodingError) in
            try PreviewEncoder.encodeRange(of: path, startSeconds: startSeconds, seconds: seconds, to: destination,
                                           format: format)
            return startSeconds
        }
        return (entry.path, entry.encoded)
    }

    /// The cached preview of `path` for `rule`, or the one `encode` writes now.
    ///
    /// A preview is cached as two files named after a 128-bit hash of its key (the file's path, size and
    /// modification time, `seconds`, `format` and `rule`): the preview, and beside it a `.start` file
    /// holding its start in seconds, written after the preview; a preview without its start file is encoded again.
    ///
    /// - Parameters:
    ///   - rule: names how the start is chosen (two rules never share a preview).
    ///   - encode: writes the preview to the path it is given and returns its start in seconds.
    /// - Throws: ``PreviewEncodingError`` (a song that cannot be read gives
    ///   ``PreviewEncodingError/decoding(_:)``); ``PreviewEncodingError/encodingFailed(path:reason:)``
    ///   when the cache folder or the start file cannot be written.
    public func preview(of path: String, seconds: Double, format: PreviewFormat, rule: String,
                        encode: (_ destination: String) throws(PreviewEncodingError) -> Double)
        throws(PreviewEncodingError) -> Entry
    {
        var status = stat()
        guard RawPath.withCString(path, { stat($0, &status) }) == 0 else {
            throw .decoding(.fileNotFound(path: path))
        }
        let key = [PathKey.of(path), "\(status.st_size)", "\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)",
                   rule, String(format: "%.3f", seconds), format.rawValue]
            .joined(separator: "\u{0}")
        let base = (folder as NSString).appendingPathComponent(Self.hash(key))
        let cached = base + "." + format.fileExtension
        let startFile = base + ".start"
        if FileManager.default.fileExists(atPath: cached),
           let text = try? String(contentsOfFile: startFile, encoding: .utf8),
           let start = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), start.isFinite, start >= 0 {
            return Entry(path: cached, startSeconds: start, encoded: false)
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .encodingFailed(path: cached, reason: "cannot create the cache folder \(folder)")
        }
        let start = try encode(cached)
        do {
            try "\(start)\n".write(toFile: startFile, atomically: true, encoding: .utf8)
        } catch {
            throw .encodingFailed(path: startFile, reason: "cannot write the preview's start: \(error.localizedDescription)")
        }
        return Entry(path: cached, startSeconds: start, encoded: true)
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
