import Foundation

/// Why the feature cache could not be used at a path.
///
/// A cache path that holds something SongAtlas did not make is refused, never
/// renamed or deleted: ``Reason/isNotACache`` tells those refusals apart from
/// trouble with a cache that is ours (busy, unreadable, not creatable).
public struct CacheError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was found at the path, or what went wrong there.
    public enum Reason: Sendable, Equatable {
        /// The path is a folder.
        case folder
        /// The path is a FIFO, a device, a socket or another special file; `kind` says which ("a FIFO").
        case specialFile(kind: String)
        /// A regular file that is not an SQLite database (audio, text, an empty file); `detail` says what it is.
        case notSQLite(detail: String)
        /// An SQLite database of another program: its `PRAGMA application_id` is not SongAtlas's.
        case foreignDatabase(applicationID: Int32)
        /// A symbolic link whose target does not exist.
        case danglingSymlink(target: String)
        /// Our cache, locked by another process for longer than the busy timeout (seconds).
        case busy(timeoutSeconds: Double)
        /// Our cache, damaged, but it could not be set aside (e.g. opened read-only); `detail` says what is wrong.
        case damaged(detail: String)
        /// No cache could be created at the path (e.g. its folder cannot be made or written).
        case cannotCreate(detail: String)
        /// The path could not be examined or opened (e.g. permission denied).
        case cannotOpen(detail: String)
        /// Our cache, written by a newer SongAtlas (cache schema `version`, above the `supported` one): left
        /// untouched, so that going back to an older SongAtlas never costs the newer one its records.
        case newerSchema(version: Int, supported: Int)

        /// True when the path holds something that is not a SongAtlas cache, so it was left alone.
        public var isNotACache: Bool {
            switch self {
            case .folder, .specialFile, .notSQLite, .foreignDatabase, .danglingSymlink: true
            case .busy, .damaged, .cannotCreate, .cannotOpen, .newerSchema: false
            }
        }
    }

    /// The cache path as given (before following a symbolic link).
    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        let what: String
        switch reason {
        case .folder: what = "this is not a SongAtlas cache (it is a folder)"
        case let .specialFile(kind): what = "this is not a SongAtlas cache (it is \(kind))"
        case let .notSQLite(detail): what = "this is not a SongAtlas cache (\(detail))"
        case let .foreignDatabase(applicationID):
            what = "this is not a SongAtlas cache (it is the SQLite database of another program, application_id "
                + String(format: "0x%08X", UInt32(bitPattern: applicationID)) + ")"
        case let .danglingSymlink(target):
            what = "this is a symbolic link to \(target), which does not exist"
        case let .busy(timeoutSeconds):
            what = "another process kept it locked for more than \(timeoutSeconds.secondsText) s"
        case let .damaged(detail): what = "the cache is damaged (\(detail))"
        case let .cannotCreate(detail): what = "cannot create a cache here: \(detail)"
        case let .cannotOpen(detail): what = "cannot open it: \(detail)"
        case let .newerSchema(version, supported):
            what = "it was made by a newer SongAtlas (cache schema \(version); this one reads schema \(supported) and "
                + "older), so it was left untouched: use that SongAtlas, another --cache FILE, or --no-cache"
        }
        return "feature cache \(path): \(what)" + (reason.isNotACache ? "; it was left untouched" : "")
    }
}

extension Double {
    /// "10", "0.25": a number of seconds without a useless ".0".
    var secondsText: String {
        self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}
