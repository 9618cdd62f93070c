import Features
import Foundation
import GRDB

/// What the cache knows about one file: its analysis, or why it failed.
public enum CachedOutcome: Sendable, Equatable {
    case analyzed(TrackAnalysis)
    case failed(String)
}

/// The identity of one file's analysis: a cached entry is valid only while
/// all of these are unchanged.
public struct CacheKey: Sendable, Hashable {
    /// Absolute, standardised path.
    public var path: String
    public var sizeBytes: Int64
    /// Modification time, seconds since 1970 (with sub-second precision).
    public var modifiedSeconds: Double
    public var featureVersion: Int
    /// The excerpt length the features were computed with; 0 for whole tracks.
    public var excerptSeconds: Double

    /// The key of `path` as it is on disk now, or nil if it cannot be read.
    public static func current(path: String, excerptSeconds: Double?) -> CacheKey? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        let modified = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
        return CacheKey(path: URL(fileURLWithPath: path).standardizedFileURL.path, sizeBytes: Int64(status.st_size),
                        modifiedSeconds: modified, featureVersion: SongSummary.version,
                        excerptSeconds: excerptSeconds ?? 0)
    }
}

/// Why the cache could not be used.
public struct CacheError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "feature cache \(path): \(reason)" }
}

/// The feature cache: an SQLite database (through GRDB) of analysed tracks.
///
/// Lives outside the music folder (by default
/// `$XDG_CACHE_HOME/songatlas/library.sqlite`). It runs in WAL mode and
/// commits once per finished file, so a run killed at any moment loses at
/// most the files in flight and the next run resumes. A file that is not a
/// SongAtlas cache, or is damaged, is set aside and rebuilt; the reason is in
/// ``rebuildNote``.
public final class FeatureCache: Sendable {
    /// Identifies our schema in `PRAGMA application_id` ("SnAt").
    static let applicationID: Int32 = 0x536E_4174
    static let schemaVersion = 1

    public let path: String
    /// Set when an existing file could not be used and a new cache was made.
    public let rebuildNote: String?
    private let database: DatabasePool

    /// The default location: `$XDG_CACHE_HOME/songatlas/library.sqlite`, else `~/.cache/songatlas/library.sqlite`.
    public static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        return (base as NSString).appendingPathComponent("songatlas/library.sqlite")
    }

    /// Opens the cache at `path`, creating it (and its folder) if needed.
    ///
    /// - Throws: ``CacheError`` only when no cache can be made at `path` at all
    ///   (e.g. the folder is not writable); a damaged cache is rebuilt instead.
    public init(path: String = FeatureCache.defaultPath) throws {
        self.path = path
        // A bare file name ("library.sqlite") lives in the current folder.
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw CacheError(path: path, reason: "cannot create folder \(folder): \(error.localizedDescription)")
        }
        do {
            database = try Self.open(path)
            rebuildNote = nil
        } catch {
            // Not ours, or damaged: set it aside and start again.
            let reason = "\(error)"
            let aside = path + ".broken"
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: aside + suffix)
                if FileManager.default.fileExists(atPath: path + suffix) {
                    try? FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
                }
            }
            do {
                database = try Self.open(path)
            } catch {
                throw CacheError(path: path, reason: "\(error)")
            }
            rebuildNote = "the existing cache could not be used (\(reason)); it was moved to \(aside) and rebuilt"
        }
    }

    private static func open(_ path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.write { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            if applicationID == 0 && tables.isEmpty {
                try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)")
                try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
                try db.execute(sql: """
                    CREATE TABLE track (
                        path TEXT PRIMARY KEY NOT NULL,
                        sizeBytes INTEGER NOT NULL,
                        modifiedSeconds REAL NOT NULL,
                        featureVersion INTEGER NOT NULL,
                        excerptSeconds REAL NOT NULL,
                        error TEXT,
                        record BLOB
                    )
                    """)
            } else if applicationID != Self.applicationID {
                throw CacheError(path: path, reason: "not a SongAtlas cache")
            } else if try Int.fetchOne(db, sql: "PRAGMA user_version") != schemaVersion {
                throw CacheError(path: path, reason: "made by another version of SongAtlas")
            }
            // Reading every page once finds damage now rather than halfway through a run.
            let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "?"
            if check != "ok" { throw CacheError(path: path, reason: "damaged (\(check))") }
        }
        return pool
    }

    /// Every entry, by absolute path.
    public func loadAll() throws -> [String: (key: CacheKey, outcome: CachedOutcome)] {
        let decoder = JSONDecoder()
        return try database.read { db in
            var entries: [String: (key: CacheKey, outcome: CachedOutcome)] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM track")
            while let row = try rows.next() {
                let key = CacheKey(path: row["path"], sizeBytes: row["sizeBytes"], modifiedSeconds: row["modifiedSeconds"],
                                   featureVersion: row["featureVersion"], excerptSeconds: row["excerptSeconds"])
                if let error: String = row["error"] {
                    entries[key.path] = (key, .failed(error))
                } else if let record: Data = row["record"], let track = try? decoder.decode(TrackAnalysis.self, from: record) {
                    entries[key.path] = (key, .analyzed(track))
                }
            }
            return entries
        }
    }

    /// Stores one file's outcome in its own transaction.
    public func store(_ outcome: CachedOutcome, for key: CacheKey) throws {
        var record: Data?
        var error: String?
        switch outcome {
        case let .analyzed(track): record = try JSONEncoder().encode(track)
        case let .failed(message): error = message
        }
        try database.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO track (path, sizeBytes, modifiedSeconds, featureVersion, excerptSeconds, error, record)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key.path, key.sizeBytes, key.modifiedSeconds, key.featureVersion, key.excerptSeconds,
                                 error, record])
        }
    }

    /// Runs one SQL statement; for tests that need to tamper with the file.
    func rawExecute(_ sql: String) throws {
        try database.writeWithoutTransaction { try $0.execute(sql: sql) }
    }

    /// Removes the entries of `paths`. Returns how many went.
    @discardableResult
    public func remove(_ paths: [String]) throws -> Int {
        guard !paths.isEmpty else { return 0 }
        return try database.write { db in
            var removed = 0
            for path in paths {
                try db.execute(sql: "DELETE FROM track WHERE path = ?", arguments: [path])
                removed += db.changesCount
            }
            return removed
        }
    }
}
