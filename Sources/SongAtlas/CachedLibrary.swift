import Foundation
import Library

/// The feature cache used as the library: every song it holds whose file is still there.
///
/// What `similar` and `path` search when no folder is given. The cache is
/// opened once, without creating it, and stays open: songs named later that it
/// does not hold are analysed into the same open cache
/// (``Atlas/findSongs(_:in:cache:excerptSeconds:timeLimitSeconds:embedding:keepingRepeats:cancellation:)``).
public struct CachedLibrary: Sendable {
    /// The open cache.
    public let cache: FeatureCache
    /// Its songs whose files are still there, sorted by path.
    public let tracks: [TrackAnalysis]

    /// Why the cache cannot serve as the library; each case names the cache's path.
    public enum OpenError: Error, CustomStringConvertible {
        /// There is no cache at `path`, or it cannot be opened (`reason`, e.g. not a SongAtlas cache).
        case unavailable(path: String, reason: Error?)
        /// The cache opened but its records could not be read.
        case unreadable(path: String, reason: Error)
        /// The cache holds no song whose file is still there; `notes` are the cache's
        /// (``FeatureCache/notes``: damaged records left out, read-only).
        case empty(path: String, notes: [String])

        public var description: String {
            switch self {
            case let .unavailable(_, reason): return reason.map { "\($0)" } ?? "no feature cache"
            case let .unreadable(path, reason): return "cannot read the feature cache \(path): \(reason)"
            case let .empty(path, _): return "the feature cache \(path) holds no songs"
            }
        }
    }

    /// Opens the cache at `path` (never creating it) and reads its songs.
    ///
    /// Damaged records are left out and named in the cache's ``FeatureCache/notes``.
    ///
    /// - Parameter path: the cache file; default ``FeatureCache/defaultPath``.
    /// - Throws: ``OpenError``: no usable cache, an unreadable one, or one without songs.
    public init(at path: String = FeatureCache.defaultPath) throws(OpenError) {
        let opened = Atlas.openCache(at: path, creating: false)
        guard let cache = opened.cache else {
            throw .unavailable(path: path, reason: opened.refusal)
        }
        let tracks: [TrackAnalysis]
        do {
            tracks = try Atlas.cachedTracks(cache)
        } catch {
            throw .unreadable(path: path, reason: error)
        }
        guard !tracks.isEmpty else { throw .empty(path: path, notes: cache.notes) }
        self.cache = cache
        self.tracks = tracks
    }
}
