import Features
import FilePaths
import Foundation
import GRDB
import Synchronization

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
    /// The cue sheet track number for one track of an album image; 0 for a whole file.
    /// With ``path``, the row's primary key (schema 4).
    public var cueTrack: Int = 0
    /// A cue track's range of the file (frames at its own rate), kept in its record: a sheet
    /// that moves the track's boundaries makes the entry stale. Nil for a whole file.
    public var frameRange: Range<Int>?

    /// The key of `path` as it is on disk now, or nil if it cannot be read.
    public static func current(path: String, excerptSeconds: Double?) -> CacheKey? {
        var status = stat()
        guard RawPath.withCString(path, { stat($0, &status) }) == 0 else { return nil }
        let modified = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
        return CacheKey(path: PathKey.of(path), sizeBytes: Int64(status.st_size),
                        modifiedSeconds: modified, featureVersion: SongSummary.version,
                        excerptSeconds: excerptSeconds ?? 0)
    }

    /// The key of `song` as it is on disk now (a cue track's number and range included), or nil.
    public static func current(song: ScannedSong, excerptSeconds: Double?) -> CacheKey? {
        var key = current(path: song.path, excerptSeconds: excerptSeconds)
        key?.cueTrack = song.cueTrack?.trackNumber ?? 0
        key?.frameRange = song.frameRange
        return key
    }
}

/// Where a cue track's entry is: its file's absolute path and its track number.
public struct CueTrackSlot: Sendable, Hashable {
    public var path: String
    public var track: Int

    public init(path: String, track: Int) {
        self.path = path
        self.track = track
    }
}

/// The feature cache: an SQLite database (through GRDB) of analysed tracks.
///
/// Lives outside the music folder (by default
/// `$XDG_CACHE_HOME/songatlas/library.sqlite`). It runs in WAL mode and
/// commits once per finished file, so a run killed at any moment loses at
/// most the files in flight and the next run resumes.
///
/// Only a file SongAtlas made is ever used, changed or moved: one with an SQLite
/// header and our `PRAGMA application_id` (checked in the raw header before
/// SQLite sees the file). Anything else at the path is refused with a
/// ``CacheError`` and left untouched. A cache of ours that is damaged is set
/// aside under a new unique name and a new one made (``rebuildNote``): damage
/// is looked for on the file as it is (opened immutable, no WAL replay, no
/// write), so the file set aside is byte for byte the one that was found. One
/// that cannot be written (read-only, or locked by another process) is used
/// read-only (``mode``, ``notes``); a file with no write permission bit for
/// anyone counts as read-only even for root, and is read as immutable, so no
/// -wal or -shm file appears beside it. Every record read back is checked
/// (``CachedTrack/decode(_:)``); a damaged one is left out with one note.
/// Nothing is ever deleted.
public final class FeatureCache: Sendable {
    /// Identifies our schema in `PRAGMA application_id` ("SnAt").
    static let applicationID: Int32 = 0x536E_4174
    /// The layout of the `track` table, in `PRAGMA user_version`.
    ///
    /// Schema 3: the key columns, then either `failureKind` and `failureMessage`
    /// (an ``AnalysisFailure``) or `record` (a `CachedTrack` as JSON), then
    /// `origin` (``RecordOrigin``: a library scan or a one-off seed) and
    /// `analyzedAt` (seconds since 1970). Schema 2 had no `origin` and no
    /// `analyzedAt`: it is upgraded in place when the cache is opened for
    /// writing (two added columns, one transaction, no record re-analysed; its
    /// records count as library records analysed at an unknown time) and read
    /// as it is when opened read-only. Schema 1 stored the `analyze` JSON record
    /// and a failure's message only; a cache of schema 1 (or any other) is set
    /// aside and a new one made.
    /// Schema 4 adds `track` (the cue sheet track number, 0 for a whole file) and keys rows by
    /// (`path`, `track`); a cue track's range is in its record. Schema 3 is upgraded in place
    /// (the table copied into the new layout in one transaction, every record kept as a whole
    /// file's, none re-analysed) and read as it is when opened read-only.
    /// Schema 5 stores `record` as typed binary (``CachedTrack/encoded()``) instead of JSON. Schemas
    /// 2–4 are upgraded in place (every JSON record converted in one transaction, none re-analysed; a
    /// record that is not JSON of a ``CachedTrack`` is left as it is, to be found damaged and replaced)
    /// and read as they are when opened read-only (``CachedTrack/decode(_:)`` reads either form).
    /// Beside `track`, a cache may hold a `copySearch` table of remembered one-copy searches
    /// (``storeCopySearch(_:digest:storedAt:)``): no part of the schema, made when first needed, ignored by
    /// a SongAtlas that does not know it, and safe to drop.
    static let schemaVersion = 5

    /// The older schema versions this SongAtlas reads (and upgrades in place when it may write).
    static let upgradableSchemaVersions: Set<Int> = [2, 3, 4]

    /// The `track` table of schemas 4 and 5, named `name`.
    private static func trackTableSQL(_ name: String) -> String {
        """
        CREATE TABLE \(name) (
            path TEXT NOT NULL,
            track INTEGER NOT NULL DEFAULT 0,
            sizeBytes INTEGER NOT NULL,
            modifiedSeconds REAL NOT NULL,
            featureVersion INTEGER NOT NULL,
            excerptSeconds REAL NOT NULL,
            failureKind TEXT,
            failureMessage TEXT,
            record BLOB,
            origin TEXT,
            analyzedAt REAL,
            PRIMARY KEY (path, track)
        )
        """
    }

    /// Whether results are stored.
    public enum Mode: Sendable, Equatable {
        /// Entries are read and new results stored.
        case readWrite
        /// Entries are read; ``store(_:for:)`` and ``remove(_:)`` do nothing.
        case readOnly
    }

    /// The cache path as given (a symbolic link stays as given; see ``target``).
    public let path: String
    /// The file actually opened: `path`, or where a symbolic link at `path` leads.
    public let target: String
    /// Set when a damaged cache of ours was set aside and a new one made; says where it went.
    public let rebuildNote: String?
    let database: any DatabaseWriter
    let state: Mutex<WriteState>

    /// The default location: `$XDG_CACHE_HOME/songatlas/library.sqlite`, else `~/.cache/songatlas/library.sqlite`.
    public static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        return (base as NSString).appendingPathComponent("songatlas/library.sqlite")
    }

    /// Opens the cache at `path`; same as ``init(path:busyTimeoutSeconds:readOnly:)``.
    public static func open(path: String = FeatureCache.defaultPath, busyTimeoutSeconds: Double = 10,
                            readOnly: Bool = false, creating: Bool = true) throws -> FeatureCache {
        try FeatureCache(path: path, busyTimeoutSeconds: busyTimeoutSeconds, readOnly: readOnly, creating: creating)
    }

    /// Opens the SongAtlas cache at `path`, creating it (and its folder) if nothing is there.
    ///
    /// What is at `path` is examined first (`lstat`, `stat` through a symbolic
    /// link, the raw SQLite header and `application_id`), then a cache of ours is
    /// checked with `PRAGMA quick_check` and its `user_version`:
    /// - nothing: a new cache is built in a temporary file next to it and linked
    ///   into place without replacing anything;
    /// - a folder, special file, non-SQLite file or another program's database:
    ///   refused (throws), left untouched;
    /// - our cache, damaged or of an older schema this SongAtlas cannot upgrade (checked first on the
    ///   untouched file, opened immutable): set aside as
    ///   `PATH.broken-YYYYMMDD-HHMMSS-PID` (renamed with its -wal and -shm, unchanged) and rebuilt;
    /// - our cache of a newer schema (a newer SongAtlas wrote it): refused (throws
    ///   ``CacheError/Reason/newerSchema(version:supported:)``), left untouched;
    /// - our cache, not writable (file, folder or file system read-only) or
    ///   locked by a writer for longer than the busy timeout: opened read-only,
    ///   with a note in ``notes``.
    ///
    /// - Parameters:
    ///   - path: the cache file; a bare file name is in the current folder.
    ///   - busyTimeoutSeconds: how long to wait for another process's lock
    ///     (SQLite busy timeout), > 0; default 10.
    ///   - readOnly: open an existing cache read-only even if it could be written;
    ///     default false.
    ///   - creating: make a new cache (and its folder) when nothing is at `path`;
    ///     default true. A command that only reads the cache passes false, and
    ///     a missing cache is then an error that creates nothing.
    /// - Throws: ``CacheError``: the path holds something that is not a SongAtlas
    ///   cache (``CacheError/Reason/isNotACache``), no cache can be created there,
    ///   or the cache cannot be read (busy even for reading, damaged but not movable).
    public convenience init(path: String = FeatureCache.defaultPath, busyTimeoutSeconds: Double = 10,
                            readOnly: Bool = false, creating: Bool = true) throws {
        let opened = try Self.openDatabase(path: path, busyTimeoutSeconds: busyTimeoutSeconds, forceReadOnly: readOnly,
                                           creating: creating)
        self.init(path: path, opened: opened)
    }

    private init(path: String, opened: Opened) {
        self.path = path
        target = opened.target
        database = opened.database
        rebuildNote = opened.rebuildNote
        state = Mutex(WriteState(writable: opened.mode == .readWrite, notes: opened.notes))
    }

    /// Whether new results are stored; becomes ``Mode/readOnly`` if a write finds
    /// the cache locked for longer than the busy timeout.
    public var mode: Mode { state.withLock { $0.writable } ? .readWrite : .readOnly }

    /// Sentences for the user about how the cache is being used (rebuilt,
    /// read-only, busy), each starting with "feature cache PATH".
    public var notes: [String] { state.withLock { $0.notes } }

    // MARK: Opening

    private struct Opened {
        var target: String
        var database: any DatabaseWriter
        var mode: Mode
        var notes: [String]
        var rebuildNote: String?
    }

    /// Something wrong inside a cache of ours that justifies setting it aside.
    private struct Damage: Error {
        var detail: String
        /// The file is sound but of another schema version (made by another SongAtlas).
        var isOtherSchema = false
        /// The schema version when it is newer than ours: such a cache is refused, never set aside.
        var newerVersion: Int?
    }

    private static func openDatabase(path: String, busyTimeoutSeconds: Double, forceReadOnly: Bool,
                                     creating: Bool) throws -> Opened {
        var rebuildNote: String?
        // Each pass either returns, throws, or changed something (made or moved a
        // file, or lost a race to another process); a few passes always suffice.
        for _ in 0..<8 {
            switch try CacheFile.inspect(path, applicationID: applicationID) {
            case .missing:
                if forceReadOnly || !creating {
                    throw CacheError(path: path, reason: .cannotOpen(detail: "it does not exist"
                        + (forceReadOnly ? " (opened read-only)" : "")))
                }
                let folder = ParentFolder.orCurrent(path)
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw CacheError(path: path, reason: .cannotCreate(
                        detail: "cannot create folder \(folder): \(error.localizedDescription)"))
                }
                _ = try CacheFile.create(at: path, initialise: initialise)
            case let .ours(target):
                do {
                    // First on the file as it is, with no WAL replay and no write of any kind, so
                    // that a damaged cache is set aside exactly as it was found.
                    try checkUntouched(target, path: path)
                    var opened = try openExisting(path: path, target: target, busyTimeoutSeconds: busyTimeoutSeconds,
                                                  forceReadOnly: forceReadOnly)
                    if let rebuildNote {
                        opened.rebuildNote = rebuildNote
                        opened.notes.insert(rebuildNote, at: 0)
                    }
                    return opened
                } catch let damage as Damage {
                    if let newerVersion = damage.newerVersion {
                        throw CacheError(path: path, reason: .newerSchema(version: newerVersion, supported: schemaVersion))
                    }
                    if forceReadOnly || writeProblem(target) != nil {
                        throw CacheError(path: path, reason: .damaged(detail: damage.detail))
                    }
                    let aside = try CacheFile.setAside(target, cachePath: path, detail: damage.detail)
                    rebuildNote = "feature cache \(path): "
                        + (damage.isOtherSchema ? "the cache was \(damage.detail)" : "the cache was damaged (\(damage.detail))")
                        + "; it was moved to \(aside) and a new one made"
                }
            }
        }
        throw CacheError(path: path, reason: .cannotOpen(detail: "it kept changing while being opened"))
    }

    /// Writes a new cache's schema, `application_id` and `user_version`.
    private static func initialise(_ db: Database) throws {
        try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
        try db.execute(sql: trackTableSQL("track"))
    }

    /// Upgrades a cache of an older schema (``upgradableSchemaVersions``) to ``schemaVersion`` in place.
    ///
    /// Schema 2 to 3 adds the `origin` and `analyzedAt` columns, empty (a
    /// library record analysed at an unknown time); 3 to 4 adds `track` (0: every
    /// record is a whole file's) to the key; 4 to 5 converts the JSON records to
    /// binary (``convertRecordsToBinary(_:)``). Every record is kept.
    private static func upgrade(_ db: Database) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        guard upgradableSchemaVersions.contains(version) else { return }
        let columns = try Set(db.columns(in: "track").map(\.name))
        if !columns.contains("origin") { try db.execute(sql: "ALTER TABLE track ADD COLUMN origin TEXT") }
        if !columns.contains("analyzedAt") { try db.execute(sql: "ALTER TABLE track ADD COLUMN analyzedAt REAL") }
        if !columns.contains("track") {
            // Schema 3 to 4: SQLite cannot change a primary key, so the rows move to a new table.
            try db.execute(sql: trackTableSQL("track_schema4"))
            try db.execute(sql: """
                INSERT INTO track_schema4 (path, track, sizeBytes, modifiedSeconds, featureVersion, excerptSeconds,
                                           failureKind, failureMessage, record, origin, analyzedAt)
                SELECT path, 0, sizeBytes, modifiedSeconds, featureVersion, excerptSeconds,
                       failureKind, failureMessage, record, origin, analyzedAt FROM track
                """)
            try db.execute(sql: "DROP TABLE track")
            try db.execute(sql: "ALTER TABLE track_schema4 RENAME TO track")
        }
        try convertRecordsToBinary(db)
        try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
    }

    /// Rewrites every JSON record of the `track` table as a binary one (schema 4 to 5), in the caller's transaction.
    ///
    /// Each record is decoded as JSON exactly as stored, without ``CachedTrack/validate()``, so that a
    /// stale or out-of-bounds record stays what it was, only smaller; ``CachedTrack/decode(_:)`` then
    /// gives back the same record from either form. Bytes that are not JSON of a record, and records
    /// already binary, are left as they are. Rows are read in batches by `rowid`, so memory stays flat.
    ///
    /// - Returns: how many records were converted.
    /// - Throws: GRDB's `DatabaseError`.
    @discardableResult
    static func convertRecordsToBinary(_ db: Database) throws -> Int {
        let decoder = JSONDecoder()
        var converted = 0
        var lastRow: Int64 = .min
        while true {
            let batch = try Row.fetchAll(db, sql: """
                SELECT rowid, record FROM track WHERE rowid > ? AND record IS NOT NULL ORDER BY rowid LIMIT 1000
                """, arguments: [lastRow])
            guard let last = batch.last else { break }
            lastRow = last[0]
            for row in batch {
                guard let data = Data.fromDatabaseValue(row[1] as DatabaseValue), !BinaryRecordFormat.isBinary(data),
                      let record = try? decoder.decode(CachedTrack.self, from: data)
                else { continue }
                try db.execute(sql: "UPDATE track SET record = ? WHERE rowid = ?", arguments: [record.encoded(), row[0] as Int64])
                converted += 1
            }
        }
        return converted
    }

    /// Why `target` cannot be written (file, folder or file system), or nil.
    ///
    /// A file with no write permission bit for anyone was made read-only on
    /// purpose: it counts as not writable even for root, whom access(2) lets write it.
    private static func writeProblem(_ target: String) -> String? {
        let folder = ParentFolder.orCurrent(target)
        if isMarkedReadOnly(target) { return "its file has no write permission for anyone" }
        if access(target, W_OK) != 0 {
            return errno == EROFS ? "it is on a read-only file system" : "the file is not writable"
        }
        if access(folder, W_OK) != 0 {
            return errno == EROFS ? "it is on a read-only file system" : "its folder is not writable"
        }
        return nil
    }

    /// Whether `target` has no write permission bit for anyone (mode 444, 400, …).
    static func isMarkedReadOnly(_ target: String) -> Bool {
        var status = stat()
        return stat(target, &status) == 0 && status.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH) == 0
    }

    /// The SQLite URI that reads `target` as an immutable file: read-only, no
    /// locks, no WAL replay, and no -wal or -shm file made or changed.
    static func immutableURI(_ target: String) -> String {
        URL(fileURLWithPath: target).absoluteString + "?immutable=1"
    }

    /// Checks the main file of a cache of ours as it is on disk, without changing
    /// it or anything next to it: opened immutable (no WAL replay, no -shm),
    /// then `application_id`, `user_version`, the track table and `PRAGMA quick_check`.
    ///
    /// - Throws: ``Damage`` when the file is damaged or of another schema;
    ///   nothing when it cannot be opened this way (the ordinary open then decides).
    private static func checkUntouched(_ target: String, path: String) throws {
        do {
            try check(immutableURI(target))
        } catch let damage as Damage {
            // The main file alone can lag behind a pending WAL (a checkpoint cut short): look
            // again through the WAL, read-only, which never merges it into the file.
            var status = stat()
            guard !damage.isOtherSchema, stat(target + "-wal", &status) == 0, status.st_size > 0 else { throw damage }
            try check(target)
        }
    }

    /// Checks the cache at `location` (a path or an SQLite URI), opened read-only; see ``checkUntouched(_:path:)``.
    private static func check(_ location: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: location, configuration: configuration)
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            throw Damage(detail: error.message ?? "\(error)")
        } catch {
            return
        }
        defer { try? queue.close() }
        do {
            try queue.read { db in try checkStructure(db) }
        } catch let damage as Damage {
            throw damage
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            throw Damage(detail: error.message ?? "\(error)")
        } catch {
            return
        }
    }

    /// Checks a cache of ours: this schema version, its track table, and every page once
    /// (`PRAGMA quick_check`), so damage is found now rather than halfway through a run.
    ///
    /// - Throws: ``Damage`` naming what is wrong (another schema is marked `isOtherSchema`).
    private static func checkStructure(_ db: Database) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        if version != schemaVersion && !upgradableSchemaVersions.contains(version) {
            throw Damage(detail: "made for cache schema \(version), this SongAtlas uses \(schemaVersion)",
                         isOtherSchema: true, newerVersion: version > schemaVersion ? version : nil)
        }
        guard try db.tableExists("track") else { throw Damage(detail: "its track table is missing") }
        let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "?"
        if check != "ok" { throw Damage(detail: "quick_check: \(check)") }
    }

    /// Opens and checks a file whose header says it is ours.
    private static func openExisting(path: String, target: String, busyTimeoutSeconds: Double,
                                     forceReadOnly: Bool) throws -> Opened {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        var readOnlyReason = forceReadOnly ? "opened read-only" : writeProblem(target)
        var database: any DatabaseWriter
        if readOnlyReason == nil {
            do {
                // Opening a pool writes once (GRDB makes sure a -wal file exists), so a writer's lock shows here.
                database = try DatabasePool(path: target, configuration: configuration)
            } catch {
                try classify(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
                readOnlyReason = "another process kept it locked for more than \(busyTimeoutSeconds.secondsText) s"
                database = try openReadOnly(target, configuration: configuration, path: path,
                                            busyTimeoutSeconds: busyTimeoutSeconds)
            }
        } else {
            database = try openReadOnly(target, configuration: configuration, path: path,
                                        busyTimeoutSeconds: busyTimeoutSeconds)
        }
        let count: Int
        do {
            count = try database.read { db -> Int in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                if applicationID != Self.applicationID {
                    throw CacheError(path: path, reason: .foreignDatabase(applicationID: applicationID))
                }
                try checkStructure(db)
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM track") ?? 0
            }
        } catch let error as CacheError {
            throw error
        } catch let damage as Damage {
            throw damage
        } catch {
            try classify(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
            throw CacheError(path: path, reason: .busy(timeoutSeconds: busyTimeoutSeconds))
        }
        if readOnlyReason == nil {
            // Take the write lock once so that a writer elsewhere shows now, not at the first store;
            // an older schema is upgraded under it, else it is given back unchanged.
            do {
                try database.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                        guard upgradableSchemaVersions.contains(version) else { return .rollback }
                        try upgrade(db)
                        return .commit
                    }
                }
            } catch {
                try classify(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
                readOnlyReason = "another process kept it locked for more than \(busyTimeoutSeconds.secondsText) s"
            }
        }
        var notes: [String] = []
        if let readOnlyReason {
            notes.append("feature cache \(path) is read-only (\(readOnlyReason)): using its \(count) entries, "
                + "new results are not stored")
        }
        return Opened(target: target, database: database, mode: readOnlyReason == nil ? .readWrite : .readOnly,
                      notes: notes, rebuildNote: nil)
    }

    private static func openReadOnly(_ target: String, configuration: Configuration, path: String,
                                     busyTimeoutSeconds: Double) throws -> any DatabaseWriter {
        var configuration = configuration
        configuration.readonly = true
        if isMarkedReadOnly(target) {
            // Made read-only by its owner: read it as it is, leaving no -wal or -shm file beside it.
            do {
                return try DatabaseQueue(path: immutableURI(target), configuration: configuration)
            } catch {
                throw CacheError(path: path, reason: .cannotOpen(detail: "\(error)"))
            }
        }
        do {
            return try DatabaseQueue(path: target, configuration: configuration)
        } catch let error as DatabaseError where [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode) {
            // A WAL database needs its -shm file, which cannot be made in a read-only
            // folder. Nobody can write there either, so read the file as immutable
            // (SQLite URI parameter; a -wal left next to it is then ignored).
            do {
                return try DatabaseQueue(path: immutableURI(target), configuration: configuration)
            } catch {
                throw CacheError(path: path, reason: .cannotOpen(detail: "\(error)"))
            }
        } catch {
            try classify(error, path: path, busyTimeoutSeconds: busyTimeoutSeconds)
            throw CacheError(path: path, reason: .busy(timeoutSeconds: busyTimeoutSeconds))
        }
    }

    /// Returns when `error` is SQLite's "busy"; throws ``Damage`` for a damaged
    /// file and a ``CacheError`` for anything else.
    private static func classify(_ error: Error, path: String, busyTimeoutSeconds: Double) throws {
        guard let error = error as? DatabaseError else {
            throw CacheError(path: path, reason: .cannotOpen(detail: "\(error)"))
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: throw Damage(detail: error.message ?? "\(error)")
        default: throw CacheError(path: path, reason: .cannotOpen(detail: "\(error)"))
        }
    }

    // MARK: Entries

    /// Every entry that can be trusted, by absolute path.
    ///
    /// Left out (so the file is analysed again): an entry of another feature
    /// version (stale, silently), a failure of a kind this SongAtlas does not
    /// know, a row whose key columns are not of their types, and a record that
    /// does not decode or holds a value SongAtlas could not have computed
    /// (``CachedTrack/decode(_:)``: a duration of 3e30, a NaN feature, a vector
    /// of the wrong length). Each such damaged record gets one note in
    /// ``notes`` naming its file, however often the cache is read.
    /// - Returns: each entry's key and outcome; a track's and a failure's path
    ///   is the key's (absolute) path.
    /// - Throws: GRDB's `DatabaseError` when the table cannot be read.
    public func loadAll() throws -> [String: (key: CacheKey, outcome: CachedOutcome)] {
        var entries: [String: (key: CacheKey, outcome: CachedOutcome)] = [:]
        for entry in try loadEntries(cueTracks: false).entries where entry.key.cueTrack == 0 { entries[entry.key.path] = entry }
        return entries
    }

    /// What ``loadContents()`` reads: every entry that can be trusted, and the paths of the seed records.
    public struct Contents: Sendable {
        /// As ``FeatureCache/loadAll()`` returns them.
        public var wholeFiles: [String: (key: CacheKey, outcome: CachedOutcome)] = [:]
        /// As ``FeatureCache/loadCueTracks()`` returns them.
        public var cueTracks: [CueTrackSlot: (key: CacheKey, outcome: CachedOutcome)] = [:]
        /// As ``FeatureCache/seedPaths()`` returns them.
        public var seedPaths: Set<String> = []
    }

    /// ``loadAll()``, ``loadCueTracks()`` and ``seedPaths()`` in one pass over the table, each record decoded once.
    ///
    /// A large cache costs one read instead of three (`origin` is stored after the record, so finding the
    /// seed records alone reads every record's bytes).
    /// - Parameter cueTracks: whether to decode the cue tracks' records too; default true. Without them,
    ///   ``Contents/cueTracks`` is empty (and their damaged records get no note), as when ``loadCueTracks()``
    ///   is not called.
    /// - Throws: GRDB's `DatabaseError` when the table cannot be read.
    public func loadContents(cueTracks: Bool = true) throws -> Contents {
        var contents = Contents()
        let loaded = try loadEntries(cueTracks: nil, decodingCueTracks: cueTracks)
        for entry in loaded.entries {
            if entry.key.cueTrack == 0 {
                contents.wholeFiles[entry.key.path] = entry
            } else {
                contents.cueTracks[CueTrackSlot(path: entry.key.path, track: entry.key.cueTrack)] = entry
            }
        }
        contents.seedPaths = loaded.seedPaths
        return contents
    }

    /// Every cue track's entry that can be trusted (as ``loadAll()`` trusts them), by file and track;
    /// each key's ``CacheKey/frameRange`` is the range its record was analysed over.
    public func loadCueTracks() throws -> [CueTrackSlot: (key: CacheKey, outcome: CachedOutcome)] {
        var entries: [CueTrackSlot: (key: CacheKey, outcome: CachedOutcome)] = [:]
        for entry in try loadEntries(cueTracks: true).entries where entry.key.cueTrack != 0 {
            entries[CueTrackSlot(path: entry.key.path, track: entry.key.cueTrack)] = entry
        }
        return entries
    }

    /// Records read before they are decoded together (``loadEntries(cueTracks:)``).
    static let decodeBatchSize = 4096

    /// Every entry that can be trusted, of cue tracks or of whole files (nil: both), in no particular order,
    /// and the paths of the seed records among the rows read.
    ///
    /// Only the rows asked for are read and decoded, so that a reader of both (``loadAll()`` then
    /// ``loadCueTracks()``) decodes each record once. With both (nil), every row is read for its origin and
    /// a cue track's record is decoded only when `decodingCueTracks`.
    private func loadEntries(cueTracks: Bool?, decodingCueTracks: Bool = true) throws
        -> (entries: [(key: CacheKey, outcome: CachedOutcome)], seedPaths: Set<String>) {
        var entries: [(key: CacheKey, outcome: CachedOutcome)] = []
        var seedPaths: Set<String> = []
        var analysed: [(key: CacheKey, outcome: CachedOutcome)] = []
        var records: [(key: CacheKey, record: Data)] = []
        var damaged: [(path: String, detail: String)] = []
        var undecodable: [(path: String, detail: String)] = []
        // Decoding the records is most of the time on a large cache: spread it over the cores, each
        // core a contiguous run of records, handed over in one piece. Records are decoded in batches as
        // they are read, so that only one batch of raw records is held beside the decoded tracks.
        func decodeBatch() {
            let chunkCount = min(max(records.count / 256, 1), ProcessInfo.processInfo.activeProcessorCount)
            let decoded = Mutex([Result<TrackAnalysis?, Error>?](repeating: nil, count: records.count))
            let fetched = records
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                let run = (fetched.count * chunk / chunkCount)..<(fetched.count * (chunk + 1) / chunkCount)
                let results = run.map { index in
                    Result {
                        // The fingerprint's items stay in the record until asked for (``FingerprintSlot``).
                        let (key, record) = fetched[index]
                        let source = FingerprintSlot.StoredRecord(cache: self, path: key.path, cueTrack: key.cueTrack)
                        return try CachedTrack.decode(record, keepingFingerprintItems: false)
                            .track(path: key.path, source: source)
                    }
                }
                decoded.withLock { $0.replaceSubrange(run, with: results.map(Optional.some)) }
            }
            for (index, result) in decoded.withLock({ $0 }).enumerated() {
                switch result {
                case let .success(track?):
                    var key = records[index].key
                    // A cue track's record must be of that track; its range is part of its key.
                    guard key.cueTrack == (track.cueTrack?.trackNumber ?? 0) else { continue }
                    key.frameRange = track.cueTrack.map { $0.startSample..<$0.endSample }
                    analysed.append((key, .analyzed(track)))
                case .success(nil), nil: break
                case let .failure(error):
                    let detail = error is CachedRecordError ? "\(error)" : "it is not a record: \(error)"
                    undecodable.append((records[index].key.path, detail))
                }
            }
            records.removeAll(keepingCapacity: true)
        }
        try database.read { db in
            let sql: String
            if let cueTracks, try db.columns(in: "track").contains(where: { $0.name == "track" }) {
                // A track number that is not an integer is read as a whole file's (then refused as its record says).
                sql = "SELECT * FROM track WHERE " + (cueTracks ? "typeof(track) = 'integer' AND track != 0"
                                                                : "typeof(track) != 'integer' OR track = 0")
            } else {
                // Schema 3 (read-only, not upgraded) has no track column: every row is a whole file's.
                guard cueTracks != true else { return }
                sql = "SELECT * FROM track"
            }
            let rows = try Row.fetchCursor(db, sql: sql)
            while let row = try rows.next() {
                // Read as raw values: a column holding another type must not trap in a conversion.
                func value<T: DatabaseValueConvertible>(_ column: String, _ type: T.Type) -> T? {
                    row.hasColumn(column) ? T.fromDatabaseValue(row[column] as DatabaseValue) : nil
                }
                guard let path = value("path", String.self) else { continue }
                if value("origin", String.self) == RecordOrigin.seed.rawValue { seedPaths.insert(path) }
                // A cue track's row (an integer track other than 0, as the query for cue tracks picks them).
                if cueTracks == nil && !decodingCueTracks, row.hasColumn("track"),
                   case let .int64(number) = (row["track"] as DatabaseValue).storage, number != 0 { continue }
                guard let sizeBytes = value("sizeBytes", Int64.self),
                      let modifiedSeconds = value("modifiedSeconds", Double.self),
                      let featureVersion = value("featureVersion", Int.self),
                      let excerptSeconds = value("excerptSeconds", Double.self)
                else {
                    damaged.append((path, "its key columns are not numbers"))
                    continue
                }
                // Another feature version: stale, not damaged; the file is analysed again.
                guard featureVersion == SongSummary.version else { continue }
                let track = value("track", Int.self) ?? 0
                var key = CacheKey(path: path, sizeBytes: sizeBytes, modifiedSeconds: modifiedSeconds,
                                   featureVersion: featureVersion, excerptSeconds: excerptSeconds)
                key.cueTrack = track
                if let kindCode = value("failureKind", String.self) {
                    guard let kind = AnalysisFailure.Kind(rawValue: kindCode), track == 0 else { continue }
                    let message = value("failureMessage", String.self) ?? ""
                    entries.append((key, .failed(AnalysisFailure(path: key.path, kind: kind, error: message))))
                } else if let record = value("record", Data.self) {
                    records.append((key, record))
                    if records.count == Self.decodeBatchSize { decodeBatch() }
                }
            }
        }
        decodeBatch()
        // Failures first, then the analysed records, then the damaged records' notes after those of bad keys:
        // the order of one decode at the end.
        entries += analysed
        damaged += undecodable
        for (file, detail) in damaged {
            let note = "feature cache \(path): the record of \(RawPath.display(file)) is damaged "
                + "(\(detail)) and is not used; analysing the song again replaces it"
            state.withLock { $0.noteOnce(key: file, note: note) }
        }
        return (entries, seedPaths)
    }

    /// Stores one file's outcome in its own transaction; does nothing in ``Mode/readOnly``.
    ///
    /// A write that finds the cache locked by another process for longer than
    /// the busy timeout (or read-only after all) switches the cache to
    /// ``Mode/readOnly`` with one note instead of failing; the file is not
    /// considered damaged.
    ///
    /// - Parameters:
    ///   - outcome: the analysis (stored as a `CachedTrack`) or the failure
    ///     (its kind and message); the path stored is the key's.
    ///   - key: the file's identity now; replaces any entry for its path.
    ///   - origin: how the file came to be analysed; a library record stays one when a seed
    ///     replaces it (``RecordOrigin/merged(with:)``). Default ``RecordOrigin/library``.
    ///   - analyzedAt: when it was analysed; default now.
    /// - Throws: GRDB's `DatabaseError` for any other failure (e.g. a full disk).
    public func store(_ outcome: CachedOutcome, for key: CacheKey, origin: RecordOrigin = .library,
                      analyzedAt: Date = Date()) throws {
        try store([(outcome, key)], origin: origin, analyzedAt: analyzedAt)
    }

    /// Stores many files' outcomes in one transaction, as ``store(_:for:origin:analyzedAt:)`` stores
    /// each; does nothing in ``Mode/readOnly``.
    ///
    /// For a caller that has many outcomes at once (a benchmark filling a cache, a copy between caches):
    /// one commit instead of one per file.
    ///
    /// - Parameters:
    ///   - entries: each outcome with its file's identity; a later entry for the same path and track wins.
    ///   - origin: as ``store(_:for:origin:analyzedAt:)``, for every entry.
    ///   - analyzedAt: when they were analysed; default now.
    /// - Throws: as ``store(_:for:origin:analyzedAt:)``.
    public func store(_ entries: [(outcome: CachedOutcome, key: CacheKey)], origin: RecordOrigin = .library,
                      analyzedAt: Date = Date()) throws {
        guard !entries.isEmpty, state.withLock({ $0.writable }) else { return }
        // Encoded before the write lock is taken: what the row holds besides its key.
        let rows = entries.map { entry -> (key: CacheKey, record: Data?, failureKind: String?, failureMessage: String?) in
            switch entry.outcome {
            case let .analyzed(track): (entry.key, CachedTrack(track).encoded(), nil, nil)
            case let .failed(failure): (entry.key, nil, failure.kind.rawValue, failure.error)
            }
        }
        try writing {
            try database.write { db in
                for (key, record, failureKind, failureMessage) in rows {
                    // A record of a library file stays one when the file is analysed again as a seed.
                    let stored = try String.fetchOne(db, sql: "SELECT origin FROM track WHERE path = ? AND track = ?",
                                                     arguments: [key.path, key.cueTrack])
                        .map { RecordOrigin(stored: $0) }
                    let kept = stored.map { $0.merged(with: origin) } ?? origin
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO track (path, track, sizeBytes, modifiedSeconds, featureVersion, excerptSeconds,
                                                      failureKind, failureMessage, record, origin, analyzedAt)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [key.path, key.cueTrack, key.sizeBytes, key.modifiedSeconds, key.featureVersion,
                                         key.excerptSeconds, failureKind, failureMessage, record, kept.rawValue,
                                         analyzedAt.timeIntervalSince1970])
                }
            }
        }
    }

    /// Runs one SQL statement; for tests that need to tamper with the file.
    func rawExecute(_ sql: String) throws {
        try database.writeWithoutTransaction { try $0.execute(sql: sql) }
    }

    /// Removes the entries of `paths`; does nothing in ``Mode/readOnly``.
    ///
    /// - Returns: how many entries went.
    /// - Throws: as ``store(_:for:)``.
    @discardableResult
    public func remove(_ paths: [String]) throws -> Int {
        guard !paths.isEmpty, state.withLock({ $0.writable }) else { return 0 }
        return try writing {
            try database.write { db in
                var removed = 0
                for path in paths {
                    try db.execute(sql: "DELETE FROM track WHERE path = ?", arguments: [path])
                    removed += db.changesCount
                }
                return removed
            }
        } ?? 0
    }

    /// Runs `write`; when it finds the cache busy or read-only, stops writing for good (one note) and returns nil.
    @discardableResult
    func writing<T>(_ write: () throws -> T) throws -> T? {
        do {
            return try write()
        } catch let error as DatabaseError
            where [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_READONLY].contains(error.resultCode) {
            let why = error.resultCode == .SQLITE_READONLY
                ? "it cannot be written (\(error.message ?? "read-only"))"
                : "another process kept it locked for longer than the busy timeout"
            state.withLock { $0.stopWriting(note: "feature cache \(path) is read-only from here on (\(why)): new results are not stored") }
            return nil
        }
    }
}

/// Whether a cache may still be written, and its notes; the cache keeps it in a
/// `Mutex`, shared between the threads that store results.
struct WriteState {
    var writable: Bool
    var notes: [String]
    private var notedKeys: Set<String> = []

    init(writable: Bool, notes: [String]) {
        self.writable = writable
        self.notes = notes
    }

    /// Adds `note` unless a note was already added for `key`.
    mutating func noteOnce(key: String, note: String) {
        if notedKeys.insert(key).inserted { notes.append(note) }
    }

    /// Stops writing, adding `note` the first time.
    mutating func stopWriting(note: String) {
        if writable { notes.append(note) }
        writable = false
    }
}
