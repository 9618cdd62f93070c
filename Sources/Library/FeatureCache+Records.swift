import Features
import FilePaths
import Foundation
import GRDB

/// One row of the feature cache as `songatlas cache list` shows it: what is
/// stored, not the analysis itself.
public struct CacheRecordInfo: Sendable, Equatable {
    /// What the row holds.
    public enum State: Sendable, Equatable {
        /// An analysis of the current feature version that SongAtlas can use.
        case analyzed
        /// The file could not be analysed; the failure's kind and message.
        case failed(kind: String, message: String)
        /// An analysis of another feature version: the file is analysed again when next met.
        case stale(featureVersion: Int)
        /// A record that is not used (``CachedRecordError``, or bytes that are not a record).
        case damaged(detail: String)

        /// "analysed", "failed", "stale", "damaged".
        public var name: String {
            switch self {
            case .analyzed: "analysed"
            case .failed: "failed"
            case .stale: "stale"
            case .damaged: "damaged"
            }
        }
    }

    /// The file's absolute path (with ``track``, the row's key).
    public var path: String
    /// The cue sheet track the row is of; 0 for a whole file.
    public var track: Int = 0
    public var state: State
    public var origin: RecordOrigin
    /// The embedding models stored with the analysis, as `name` (e.g. "msd-musicnn"), in stored order.
    public var models: [String]
    /// The feature version the row was computed with (``SongSummary/version`` when current).
    public var featureVersion: Int
    /// The excerpt analysed, in seconds; 0 for whole tracks.
    public var excerptSeconds: Double
    /// When the row was written; nil for a row of a schema-2 cache, which did not say.
    public var analyzedAt: Date?
}

/// What `songatlas cache info` shows: where the cache is, its size, its schema, and its records counted.
public struct CacheSummary: Sendable, Equatable {
    /// The cache path as given, and the file it leads to.
    public var path: String
    public var target: String
    /// The database file and its write-ahead log, in bytes.
    public var sizeBytes: Int64
    /// `PRAGMA user_version` of the file (``FeatureCache`` schema).
    public var schema: Int
    /// Every row.
    public var recordCount: Int
    /// Rows by state name ("analysed", "failed", "stale", "damaged").
    public var countsByState: [String: Int]
    /// Rows by origin.
    public var countsByOrigin: [RecordOrigin: Int]
    /// Rows by feature version (every row, current or stale).
    public var countsByFeatureVersion: [Int: Int]
    /// Analysed rows by embedding model name; rows with no embedding under "none".
    public var countsByModel: [String: Int]
}

extension FeatureCache {
    /// Every row of the cache, sorted by path: its state, origin, models and time.
    ///
    /// Reads a cache of schema 2 as it is (no origin: library; no time).
    /// Each record is checked as ``loadAll()`` checks it (``CachedTrack/decode(_:)``).
    ///
    /// - Throws: GRDB's `DatabaseError` when the table cannot be read.
    public func records() throws -> [CacheRecordInfo] {
        var rows: [(info: CacheRecordInfo, record: Data?)] = []
        try database.read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM track ORDER BY path")
            while let row = try cursor.next() {
                func value<T: DatabaseValueConvertible>(_ column: String, _ type: T.Type) -> T? {
                    row.hasColumn(column) ? T.fromDatabaseValue(row[column] as DatabaseValue) : nil
                }
                guard let path = value("path", String.self) else { continue }
                let featureVersion = value("featureVersion", Int.self) ?? -1
                var info = CacheRecordInfo(
                    path: path, state: .analyzed, origin: RecordOrigin(stored: value("origin", String.self)), models: [],
                    featureVersion: featureVersion, excerptSeconds: value("excerptSeconds", Double.self) ?? 0,
                    analyzedAt: value("analyzedAt", Double.self).map { Date(timeIntervalSince1970: $0) })
                var record: Data?
                if featureVersion != SongSummary.version {
                    info.state = .stale(featureVersion: featureVersion)
                } else if let kind = value("failureKind", String.self) {
                    info.state = .failed(kind: kind, message: value("failureMessage", String.self) ?? "")
                } else if let data = value("record", Data.self) {
                    record = data
                } else {
                    info.state = .damaged(detail: "it holds neither a record nor a failure")
                }
                info.track = value("track", Int.self) ?? 0
                rows.append((info, record))
            }
        }
        return rows.map { row in
            var info = row.info
            guard let data = row.record else { return info }
            do {
                let record = try CachedTrack.decode(data)
                info.models = (record.embeddings ?? []).map(\.model)
            } catch {
                info.state = .damaged(detail: error is CachedRecordError ? "\(error)" : "it is not a record")
            }
            return info
        }
    }

    /// The cache's path, size, schema and records counted by state, origin, feature version and model.
    ///
    /// - Throws: GRDB's `DatabaseError` when the cache cannot be read.
    public func summary() throws -> CacheSummary {
        let schema = try database.read { try Int.fetchOne($0, sql: "PRAGMA user_version") ?? 0 }
        let records = try records()
        var summary = CacheSummary(
            path: path, target: target, sizeBytes: Self.fileSize(target) + Self.fileSize(target + "-wal"),
            schema: schema, recordCount: records.count, countsByState: [:], countsByOrigin: [:],
            countsByFeatureVersion: [:], countsByModel: [:])
        for record in records {
            summary.countsByState[record.state.name, default: 0] += 1
            summary.countsByOrigin[record.origin, default: 0] += 1
            summary.countsByFeatureVersion[record.featureVersion, default: 0] += 1
            guard record.state == .analyzed else { continue }
            if record.models.isEmpty { summary.countsByModel["none", default: 0] += 1 }
            for model in record.models { summary.countsByModel[model, default: 0] += 1 }
        }
        return summary
    }

    /// The paths of the records analysed only as seeds (``RecordOrigin/seed``).
    ///
    /// - Throws: GRDB's `DatabaseError` when the table cannot be read.
    public func seedPaths() throws -> Set<String> {
        try database.read { db in
            guard try db.columns(in: "track").contains(where: { $0.name == "origin" }) else { return [] }
            return try Set(String.fetchAll(db, sql: "SELECT path FROM track WHERE origin = ?",
                                           arguments: [RecordOrigin.seed.rawValue]))
        }
    }

    /// Marks the records of `paths` as library records (a library scan reached them); does nothing in ``Mode/readOnly``.
    ///
    /// - Returns: how many seed records became library records.
    /// - Throws: as ``store(_:for:origin:analyzedAt:)``.
    @discardableResult
    public func markLibrary(_ paths: [String]) throws -> Int {
        guard !paths.isEmpty, mode == .readWrite else { return 0 }
        return try writing {
            try database.write { db in
                var changed = 0
                for path in paths {
                    try db.execute(sql: "UPDATE track SET origin = ? WHERE path = ? AND origin = ?",
                                   arguments: [RecordOrigin.library.rawValue, path, RecordOrigin.seed.rawValue])
                    changed += db.changesCount
                }
                return changed
            }
        } ?? 0
    }

    /// Forgets the records of `paths` and of every file under them (a path is a file or a folder,
    /// compared as ``PathKey``); does nothing in ``Mode/readOnly``. Never touches the files themselves.
    ///
    /// - Parameter paths: files or folders, absolute or relative to the current folder.
    /// - Returns: the paths of the records forgotten, sorted.
    /// - Throws: as ``store(_:for:origin:analyzedAt:)``.
    public func forget(under paths: [String]) throws -> [String] {
        guard !paths.isEmpty, mode == .readWrite else { return [] }
        let keys = paths.map { PathKey.of($0) }
        let stored = try database.read { try String.fetchAll($0, sql: "SELECT path FROM track") }
        let doomed = stored.filter { path in
            keys.contains { key in path == key || path.hasPrefix(key == "/" ? key : key + "/") }
        }.sorted()
        try remove(doomed)
        return doomed
    }

    /// What ``prune(isPresent:)`` removed.
    public struct Pruned: Sendable, Equatable {
        /// Records whose files are gone, sorted by path.
        public var gone: [String]
        /// Failure records (of files still there), sorted by path.
        public var failures: [String]
    }

    /// Removes the records whose files are gone, and the failure records; does nothing in ``Mode/readOnly``.
    ///
    /// - Parameter isPresent: whether a file is still there; default: anything exists at its path.
    /// - Returns: what went.
    /// - Throws: as ``store(_:for:origin:analyzedAt:)``.
    public func prune(isPresent: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) throws -> Pruned {
        guard mode == .readWrite else { return Pruned(gone: [], failures: []) }
        var pruned = Pruned(gone: [], failures: [])
        for record in try records() {
            if !isPresent(record.path) {
                pruned.gone.append(record.path)
            } else if case .failed = record.state {
                pruned.failures.append(record.path)
            }
        }
        try remove(pruned.gone + pruned.failures)
        return pruned
    }

    /// The size of the file at `path` in bytes; 0 when there is none.
    static func fileSize(_ path: String) -> Int64 {
        var status = stat()
        return stat(path, &status) == 0 ? Int64(status.st_size) : 0
    }
}
