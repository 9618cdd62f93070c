import Features
import FilePaths
import Foundation
import GRDB

/// `--rebase OLD=NEW`: a folder prefix of the cached paths rewritten, for shards made on hosts
/// that mount the music at another place.
///
/// Matched component by component: `/music` rewrites `/music` and `/music/a.flac`, never
/// `/musicx/a.flac`. Both sides are taken as ``PathKey`` spells them (absolute, no trailing `/`).
public struct PathRebase: Sendable, Hashable, CustomStringConvertible {
    /// The prefix found in the shard, as a ``PathKey``.
    public let old: String
    /// What it becomes in the merged cache, as a ``PathKey``.
    public let new: String

    /// `old` rewritten to `new`.
    ///
    /// - Throws: ``CacheMergeError`` when either is empty or relative (a cached path is always absolute).
    public init(old: String, new: String) throws(CacheMergeError) {
        guard old.hasPrefix("/"), new.hasPrefix("/") else {
            throw CacheMergeError("--rebase \(old)=\(new): both folders must be absolute paths (cached paths are)")
        }
        self.old = PathKey.of(old)
        self.new = PathKey.of(new)
    }

    /// Parses `OLD=NEW` (split at the first `=`).
    ///
    /// - Throws: ``CacheMergeError`` for text with no `=`, or sides that are not absolute paths.
    public init(parsing text: String) throws(CacheMergeError) {
        guard let equals = text.firstIndex(of: "=") else {
            throw CacheMergeError("--rebase '\(text)' is not OLD=NEW (such as /mnt/music=/srv/music)")
        }
        try self.init(old: String(text[..<equals]), new: String(text[text.index(after: equals)...]))
    }

    /// `OLD=NEW`.
    public var description: String { "\(old)=\(new)" }

    /// How many components of `path` this rebase matches (for choosing the longest), or nil.
    func matchLength(_ path: String) -> Int? {
        if path == old { return old.count }
        if old == "/" { return path.hasPrefix("/") ? 1 : nil }
        return path.hasPrefix(old + "/") ? old.count : nil
    }

    /// `path` with ``old`` replaced by ``new``; `path` must match (``matchLength(_:)``).
    func apply(_ path: String) -> String {
        if path == old { return new }
        let rest = path.dropFirst(old == "/" ? 1 : old.count + 1)
        return new == "/" ? "/" + rest : new + "/" + rest
    }

    /// `path` rewritten by the rebase with the longest matching ``old``; unchanged when none matches.
    public static func rewrite(_ path: String, with rebases: [PathRebase]) -> String {
        let best = rebases.compactMap { rebase in rebase.matchLength(path).map { (rebase, $0) } }.max { $0.1 < $1.1 }
        return best.map { $0.0.apply(path) } ?? path
    }
}

/// A `cache merge` argument that cannot be used, naming the value.
public struct CacheMergeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var detail: String

    public init(_ detail: String) { self.detail = detail }

    public var description: String { detail }
}

/// What ``FeatureCache/merge(shards:rebases:)`` did.
public struct CacheMergeReport: Sendable, Equatable {
    /// Shard files read (those not refused).
    public var shardCount = 0
    /// Records written into the target.
    public var mergedCount = 0
    /// Shard records not written because a newer one for the same (path, track), from another
    /// shard or already in the target, was kept.
    public var newerKeptCount = 0
    /// Records refused: another feature version, another embedding model version, or damaged.
    public var refusedCount = 0
    /// One line per refused shard file, naming it and why (``CacheError``).
    public var refusedFiles: [String] = []
    /// One line per refused record, naming its shard, its file and why.
    public var refusedRecords: [String] = []
}

extension FeatureCache {
    /// Merges the records of the shard caches at `shards` into this cache, in one transaction.
    ///
    /// Each shard is examined as every cache is and opened immutable (``openShard(_:)``): a file that is
    /// not a SongAtlas cache, damaged, or of a newer schema is refused with one line
    /// (``CacheMergeReport/refusedFiles``) and the others merge. A shard is only read: neither it nor
    /// anything beside it is written.
    ///
    /// Every row is copied column for column as stored (the record's bytes unchanged, whatever their
    /// encoding), except its path, rewritten by `rebases`. A cue track's record names its audio file and
    /// sheet: when a rebase moves it, those two paths are rewritten inside the record as well, which is
    /// then encoded again as ``store(_:for:origin:analyzedAt:)`` encodes records. A row is refused, with
    /// one line, when it is of another feature version (``SongSummary/version``), holds an embedding of
    /// a model or model version this SongAtlas does not compute (``CachedEmbedding``), a failure kind it
    /// does not know, or a record ``CachedTrack/decode(_:)`` rejects.
    ///
    /// For each (path, track) the newest record wins (`analyzedAt`; a row that does not say is the
    /// oldest; a tie keeps the one met first, the target's before any shard's). A target row of
    /// another feature version never wins.
    ///
    /// - Parameters:
    ///   - shards: the shard caches' paths, in order.
    ///   - rebases: path prefixes to rewrite; for a path several match, the longest `old` wins.
    /// - Returns: what was merged, kept and refused.
    /// - Throws: ``CacheMergeError`` when this cache cannot be written or is one of the shards;
    ///   GRDB's `DatabaseError` when the transaction fails (then nothing was written).
    public func merge(shards: [String], rebases: [PathRebase] = []) throws -> CacheMergeReport {
        guard mode == .readWrite else {
            throw CacheMergeError("feature cache \(path) cannot be written; nothing was merged")
        }
        var report = CacheMergeReport()
        var candidates: [MergeSlot: MergeRow] = [:]
        var order: [MergeSlot] = []
        let targetKey = PathKey.of(target)
        for shardPath in shards {
            if PathKey.of(shardPath) == targetKey || PathKey.of(shardPath) == PathKey.of(path) {
                report.refusedFiles.append("feature cache \(shardPath): it is the cache being merged into, not a shard")
                continue
            }
            let rows: [MergeRow]
            do { rows = try Self.mergeRows(ofShard: shardPath) } catch {
                report.refusedFiles.append(error is CacheError ? "\(error)" : "feature cache \(shardPath): cannot read it: \(error)")
                continue
            }
            report.shardCount += 1
            for var row in rows {
                if let refusal = row.refusal() {
                    report.refusedCount += 1
                    report.refusedRecords.append("\(shardPath): \(RawPath.display(row.path))"
                        + (row.track != 0 ? " track \(row.track)" : "") + ": \(refusal); not merged")
                    continue
                }
                do { try row.rebase(rebases) } catch {
                    report.refusedCount += 1
                    report.refusedRecords.append("\(shardPath): \(RawPath.display(row.path)): \(error); not merged")
                    continue
                }
                let slot = MergeSlot(path: row.path, track: row.track)
                if let kept = candidates[slot] {
                    report.newerKeptCount += 1
                    if row.analyzedAt > kept.analyzedAt { candidates[slot] = row }
                } else {
                    candidates[slot] = row
                    order.append(slot)
                }
            }
        }
        let written = try writing {
            try database.write { db -> (merged: Int, newerKept: Int) in
                let columns = Set(try db.columns(in: "track").map(\.name))
                var merged = 0
                var newerKept = 0
                for slot in order {
                    guard let row = candidates[slot] else { continue }
                    if let existing = try Row.fetchOne(
                        db, sql: "SELECT featureVersion, analyzedAt FROM track WHERE path = ? AND track = ?",
                        arguments: [slot.path, slot.track]),
                       Int.fromDatabaseValue(existing["featureVersion"] as DatabaseValue) == SongSummary.version,
                       (Double.fromDatabaseValue(existing["analyzedAt"] as DatabaseValue) ?? -.infinity) >= row.analyzedAt {
                        newerKept += 1
                        continue
                    }
                    let names = row.columns.keys.filter { columns.contains($0) }.sorted()
                    let placeholders = names.map { _ in "?" }.joined(separator: ", ")
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO track (\(names.joined(separator: ", "))) VALUES (\(placeholders))",
                        arguments: StatementArguments(names.map { row.columns[$0]! }))
                    merged += 1
                }
                return (merged, newerKept)
            }
        }
        guard let written else {
            throw CacheMergeError("feature cache \(path) could not be written (\(notes.last ?? "read-only")); nothing was merged")
        }
        report.mergedCount = written.merged
        report.newerKeptCount += written.newerKept
        return report
    }

    /// Opens the shard cache at `shardPath` to be read and never changed, and checks it.
    ///
    /// What is at the path is examined as every cache open examines it (``CacheFile/inspect(_:applicationID:)``:
    /// a folder, a special file, a file that is not SQLite, another program's database are refused). The
    /// shard is then opened as an immutable file (no lock, no -wal or -shm made beside it), or, when a
    /// write-ahead log with pending pages lies beside it, read-only through that log (never merged into the
    /// file). Its schema must be one this SongAtlas reads, its track table there, and `PRAGMA quick_check` ok.
    ///
    /// - Throws: ``CacheError`` naming the shard and what is wrong.
    static func openShard(_ shardPath: String) throws -> DatabaseQueue {
        guard case let .ours(target) = try CacheFile.inspect(shardPath, applicationID: applicationID) else {
            throw CacheError(path: shardPath, reason: .cannotOpen(detail: "it does not exist"))
        }
        var configuration = Configuration()
        configuration.readonly = true
        var status = stat()
        let pendingLog = stat(target + "-wal", &status) == 0 && status.st_size > 0
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: pendingLog ? target : immutableURI(target), configuration: configuration)
        } catch {
            throw CacheError(path: shardPath, reason: .cannotOpen(detail: "\(error)"))
        }
        do {
            try queue.read { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if version > schemaVersion {
                    throw CacheError(path: shardPath, reason: .newerSchema(version: version, supported: schemaVersion))
                }
                if version != schemaVersion && !upgradableSchemaVersions.contains(version) {
                    throw CacheError(path: shardPath, reason: .damaged(
                        detail: "made for cache schema \(version), this SongAtlas reads schema \(schemaVersion)"))
                }
                guard try db.tableExists("track") else {
                    throw CacheError(path: shardPath, reason: .damaged(detail: "its track table is missing"))
                }
                let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "?"
                if check != "ok" { throw CacheError(path: shardPath, reason: .damaged(detail: "quick_check: \(check)")) }
            }
        } catch let error as CacheError {
            throw error
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            throw CacheError(path: shardPath, reason: .damaged(detail: error.message ?? "\(error)"))
        } catch {
            throw CacheError(path: shardPath, reason: .cannotOpen(detail: "\(error)"))
        }
        return queue
    }

    /// Every row of the shard cache at `shardPath` (``openShard(_:)``), every column as stored.
    fileprivate static func mergeRows(ofShard shardPath: String) throws -> [MergeRow] {
        let queue = try openShard(shardPath)
        defer { try? queue.close() }
        return try queue.read { db in
            var rows: [MergeRow] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM track")
            while let row = try cursor.next() {
                var columns: [String: DatabaseValue] = [:]
                for (name, value) in row { columns[name] = value }
                // Schema 3 has no track column: every row is a whole file's.
                if columns["track"] == nil { columns["track"] = 0.databaseValue }
                rows.append(MergeRow(columns: columns))
            }
            return rows
        }
    }
}

/// Where a merged record goes: its file and cue track (the table's key).
private struct MergeSlot: Hashable {
    var path: String
    var track: Int
}

/// One row being merged: its columns as stored.
private struct MergeRow {
    var columns: [String: DatabaseValue]

    var path: String { String.fromDatabaseValue(columns["path"] ?? .null) ?? "" }
    var track: Int { columns["track"].flatMap { Int.fromDatabaseValue($0) } ?? 0 }
    /// Seconds since 1970; minus infinity when the row does not say (schema 2).
    var analyzedAt: Double { columns["analyzedAt"].flatMap { Double.fromDatabaseValue($0) } ?? -.infinity }

    /// Why the row cannot be merged, or nil.
    func refusal() -> String? {
        guard columns["path"].flatMap({ String.fromDatabaseValue($0) }) != nil else { return "its path is not text" }
        guard let featureVersion = columns["featureVersion"].flatMap({ Int.fromDatabaseValue($0) }) else {
            return "its feature version is not a number"
        }
        if featureVersion != SongSummary.version {
            return "feature version \(featureVersion), this SongAtlas computes version \(SongSummary.version)"
        }
        if let kind = columns["failureKind"].flatMap({ String.fromDatabaseValue($0) }) {
            return AnalysisFailure.Kind(rawValue: kind) == nil ? "failure kind '\(kind)' is not one SongAtlas knows" : nil
        }
        guard let data = columns["record"].flatMap({ Data.fromDatabaseValue($0) }) else {
            return "it holds neither a record nor a failure"
        }
        let record: CachedTrack
        do { record = try CachedTrack.decode(data) } catch {
            return "the record is damaged (\(error is CachedRecordError ? "\(error)" : "it is not a record"))"
        }
        for embedding in record.embeddings ?? [] where embedding.embedding() == nil {
            let current = EmbeddingModel.network(named: embedding.model)?.identity.version
            return "embedding model \(embedding.model) version \(embedding.version), "
                + (current.map { "this SongAtlas computes version \($0)" } ?? "a model this SongAtlas does not know")
        }
        return nil
    }

    /// Rewrites the path by `rebases`, and a rebased cue track's audio file and sheet inside its record.
    mutating func rebase(_ rebases: [PathRebase]) throws {
        guard !rebases.isEmpty else { return }
        let rebased = PathRebase.rewrite(path, with: rebases)
        guard rebased != path else { return }
        columns["path"] = rebased.databaseValue
        guard track != 0, let data = columns["record"].flatMap({ Data.fromDatabaseValue($0) }) else { return }
        var record = try CachedTrack.decode(data)
        guard var cueTrack = record.cueTrack else { return }
        // Only absolute paths can be rebased (a scan of a relative PATH keeps them relative).
        func moved(_ path: String) -> String { path.hasPrefix("/") ? PathRebase.rewrite(PathKey.of(path), with: rebases) : path }
        cueTrack.audioPath = moved(cueTrack.audioPath)
        cueTrack.sheetPath = moved(cueTrack.sheetPath)
        record.cueTrack = cueTrack
        // Encoded as FeatureCache.store encodes a record (the binary record of schema 5).
        columns["record"] = record.encoded().databaseValue
    }
}
