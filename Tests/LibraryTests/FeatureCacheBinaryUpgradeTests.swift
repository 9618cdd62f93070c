import Features
import Foundation
import GRDB
@testable import Library
import TestSupport
import XCTest

/// Cache schema 5 (binary records): a cache of schema 4, 3 or 2, whose records are JSON, is converted in
/// place when opened for writing, without analysing anything again, and every record reads back equal;
/// opened read-only it is read as it is. A damaged binary record is refused with one note; a cache of
/// schema 6 is refused and left byte for byte as it was.
final class FeatureCacheBinaryUpgradeTests: XCTestCase {
    var directory: TemporaryDirectory!
    var cachePath: String { directory.file("cache/library.sqlite") }

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func key(_ path: String, track: Int = 0) -> CacheKey {
        var key = CacheKey(path: path, sizeBytes: 1234, modifiedSeconds: 1_700_000_000.25,
                           featureVersion: SongSummary.version, excerptSeconds: 0)
        key.cueTrack = track
        return key
    }

    /// Fills a cache of this schema: whole files (with and without embeddings and fingerprints), two
    /// cue tracks of one image, a failure, a stale record and a row that is not a record.
    private func fill(_ cache: FeatureCache) throws {
        var plain = BinaryRecordTests.fullTrack(path: "/music/plain.wav", cueTrackNumber: nil, seed: 3)
        plain.embeddings = []
        plain.fingerprint = nil
        plain.title = nil
        try cache.store([
            (.analyzed(BinaryRecordTests.fullTrack(path: "/music/full.flac", cueTrackNumber: nil, seed: 1)),
             key("/music/full.flac")),
            (.analyzed(plain), key("/music/plain.wav")),
            (.analyzed(BinaryRecordTests.fullTrack(path: "/music/album.flac", cueTrackNumber: 1, seed: 4)),
             key("/music/album.flac", track: 1)),
            (.analyzed(BinaryRecordTests.fullTrack(path: "/music/album.flac", cueTrackNumber: 2, seed: 5)),
             key("/music/album.flac", track: 2)),
            (.failed(AnalysisFailure(path: "/music/notes.txt", kind: .notAudio, error: "not audio")), key("/music/notes.txt")),
            (.analyzed(BinaryRecordTests.fullTrack(path: "/music/stale.wav", cueTrackNumber: nil, seed: 6)),
             key("/music/stale.wav")),
            (.analyzed(BinaryRecordTests.fullTrack(path: "/music/damaged.wav", cueTrackNumber: nil, seed: 7)),
             key("/music/damaged.wav")),
        ])
        try cache.rawExecute("UPDATE track SET featureVersion = featureVersion - 1 WHERE path = '/music/stale.wav'")
        try cache.rawExecute("UPDATE track SET record = x'7B226E6F7422' WHERE path = '/music/damaged.wav'")   // {"not"
    }

    /// Turns the schema-5 cache at `cachePath` into one of `schema` (4, 3 or 2) as that SongAtlas wrote it:
    /// every record JSON (`JSONEncoder` of ``CachedTrack``, what schemas 2–4 stored), and the table of that schema.
    private func downgrade(to schema: Int) throws {
        let queue = try DatabaseQueue(path: cachePath)
        try queue.write { db in
            for row in try Row.fetchAll(db, sql: "SELECT rowid, record FROM track WHERE record IS NOT NULL") {
                let data: Data = row[1]
                guard BinaryRecordFormat.isBinary(data) else { continue }
                let json = try JSONEncoder().encode(try CachedTrack.decodeBinary(data))
                try db.execute(sql: "UPDATE track SET record = ? WHERE rowid = ?", arguments: [json, row[0] as Int64])
            }
            if schema <= 3 {
                // Schema 3 keyed rows by path alone, so it held no cue track.
                try db.execute(sql: """
                    CREATE TABLE track3 (path TEXT PRIMARY KEY NOT NULL, sizeBytes INTEGER NOT NULL,
                        modifiedSeconds REAL NOT NULL, featureVersion INTEGER NOT NULL, excerptSeconds REAL NOT NULL,
                        failureKind TEXT, failureMessage TEXT, record BLOB, origin TEXT, analyzedAt REAL)
                    """)
                try db.execute(sql: """
                    INSERT INTO track3 SELECT path, sizeBytes, modifiedSeconds, featureVersion, excerptSeconds, failureKind,
                        failureMessage, record, origin, analyzedAt FROM track WHERE track = 0
                    """)
                try db.execute(sql: "DROP TABLE track")
                try db.execute(sql: "ALTER TABLE track3 RENAME TO track")
            }
            if schema <= 2 {
                try db.execute(sql: "ALTER TABLE track DROP COLUMN origin")
                try db.execute(sql: "ALTER TABLE track DROP COLUMN analyzedAt")
            }
            try db.execute(sql: "PRAGMA user_version = \(schema)")
        }
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
    }

    /// Each row's record column as stored, by path and track.
    private func storedRecords() throws -> [String: Data] {
        let queue = try DatabaseQueue(path: cachePath)
        defer { try? queue.close() }
        return try queue.read { db in
            let hasTrack = try db.columns(in: "track").contains { $0.name == "track" }
            var records: [String: Data] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT path, \(hasTrack ? "track" : "0"), record FROM track") {
                if let data = Data.fromDatabaseValue(row[2] as DatabaseValue) { records["\(row[0] as String)#\(row[1] as Int)"] = data }
            }
            return records
        }
    }

    /// What a reader of the cache gets: every entry, the cue tracks, and the notes.
    private func readBack(_ cache: FeatureCache) throws -> (files: [String: CachedOutcome], cueTracks: [CueTrackSlot: CachedOutcome],
                                                         notes: [String]) {
        let files = try cache.loadAll().mapValues(\.outcome)
        let cueTracks = try cache.loadCueTracks().mapValues(\.outcome)
        return (files, cueTracks, cache.notes)
    }

    func testAnOlderCacheIsConvertedInPlaceAndEveryRecordReadsBackEqual() throws {
        for schema in [4, 3, 2] {
            try? FileManager.default.removeItem(atPath: directory.file("cache"))
            try fill(try FeatureCache(path: cachePath))
            let written = try readBack(try FeatureCache(path: cachePath))
            XCTAssertEqual(written.files.count, 3, "full, plain and notes.txt (stale and damaged are left out)")
            XCTAssertEqual(written.cueTracks.count, 2)
            try downgrade(to: schema)
            let jsonRecords = try storedRecords()
            XCTAssertTrue(jsonRecords.values.allSatisfy { !BinaryRecordFormat.isBinary($0) }, "schema \(schema) held JSON")

            // Read-only: read as it is, the file unchanged.
            let fileBefore = try Data(contentsOf: URL(fileURLWithPath: cachePath))
            let readOnly = try FeatureCache(path: cachePath, readOnly: true)
            XCTAssertEqual(try readOnly.summary().schema, schema)
            let asItIs = try readBack(readOnly)
            XCTAssertEqual(asItIs.files, written.files, "schema \(schema), read-only")
            XCTAssertEqual(asItIs.cueTracks, schema == 4 ? written.cueTracks : [:], "schema \(schema), read-only")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: cachePath)), fileBefore, "schema \(schema): a reader changed the file")

            // Opened for writing: upgraded, every JSON record now binary, nothing else changed.
            let upgraded = try FeatureCache(path: cachePath)
            XCTAssertNil(upgraded.rebuildNote)
            XCTAssertEqual(upgraded.mode, .readWrite)
            XCTAssertEqual(try upgraded.summary().schema, FeatureCache.schemaVersion)
            let binaryRecords = try storedRecords()
            XCTAssertEqual(Set(binaryRecords.keys), Set(jsonRecords.keys), "schema \(schema): no row lost or added")
            for (slot, json) in jsonRecords {
                let binary = try XCTUnwrap(binaryRecords[slot])
                if slot.hasPrefix("/music/damaged.wav") {
                    XCTAssertEqual(binary, json, "bytes that are not a record are left as they are")
                } else {
                    XCTAssertTrue(BinaryRecordFormat.isBinary(binary), "schema \(schema): \(slot) was not converted")
                    // The same record, field for field, stale ones included.
                    XCTAssertEqual(try CachedTrack.decodeBinary(binary), try JSONDecoder().decode(CachedTrack.self, from: json), slot)
                }
            }
            let again = try readBack(upgraded)
            XCTAssertEqual(again.files, asItIs.files, "schema \(schema): upgraded")
            XCTAssertEqual(again.cueTracks, asItIs.cueTracks, "schema \(schema): upgraded")
            XCTAssertEqual(again.notes.filter { $0.contains("is damaged") }.count, 1, again.notes.joined(separator: "\n"))
            XCTAssertTrue(again.notes.contains { $0.contains("/music/damaged.wav is damaged") }, again.notes.joined(separator: "\n"))
            XCTAssertEqual(try FeatureCache(path: cachePath).summary().schema, FeatureCache.schemaVersion, "opened again: as it was")
        }
    }

    func testADamagedBinaryRecordIsRefusedWithOneNoteAndNotTrusted() throws {
        let cache = try FeatureCache(path: cachePath)
        let paths = ["/music/good.flac", "/music/flipped.flac", "/music/cut.flac", "/music/version.flac"]
        try cache.store(paths.map { (.analyzed(BinaryRecordTests.fullTrack(path: $0, cueTrackNumber: nil)), key($0)) })
        let queue = try DatabaseQueue(path: cachePath)
        try queue.write { db in
            var record = try XCTUnwrap(Data.fetchOne(db, sql: "SELECT record FROM track WHERE path = ?", arguments: [paths[1]]))
            record[record.count / 2] ^= 0x01   // one bit in the middle of the fingerprint
            try db.execute(sql: "UPDATE track SET record = ? WHERE path = ?", arguments: [record, paths[1]])
            try db.execute(sql: "UPDATE track SET record = substr(record, 1, length(record) - 100) WHERE path = ?",
                           arguments: [paths[2]])
            try db.execute(sql: "UPDATE track SET record = CAST(substr(record, 1, 4) || x'0900' || substr(record, 7) AS BLOB) WHERE path = ?",
                           arguments: [paths[3]])
        }
        try queue.close()

        let reader = try FeatureCache(path: cachePath)
        XCTAssertEqual(Set(try reader.loadAll().keys), ["/music/good.flac"])
        _ = try reader.loadAll()
        let notes = reader.notes
        XCTAssertEqual(notes.count, 3, notes.joined(separator: "\n"))
        for (path, detail) in [(paths[1], "fails its checksum"), (paths[2], "truncated"), (paths[3], "format version 9")] {
            XCTAssertEqual(notes.filter { $0.contains("the record of \(path) is damaged") && $0.contains(detail) }.count, 1,
                           "\(path): \(notes.joined(separator: "\n"))")
        }
        let states = Dictionary(uniqueKeysWithValues: try reader.records().map { ($0.path, $0.state.name) })
        XCTAssertEqual(states, [paths[0]: "analysed", paths[1]: "damaged", paths[2]: "damaged", paths[3]: "damaged"])

        // Analysing the song again replaces the damaged record with a sound one.
        try reader.store(.analyzed(BinaryRecordTests.fullTrack(path: paths[1], cueTrackNumber: nil)), for: key(paths[1]))
        XCTAssertEqual(Set(try FeatureCache(path: cachePath).loadAll().keys), [paths[0], paths[1]])
    }

    func testACacheOfSchema6IsRefusedAndLeftByteForByte() throws {
        let cache = try FeatureCache(path: cachePath)
        try cache.store(.analyzed(BinaryRecordTests.fullTrack(path: "/music/a.flac", cueTrackNumber: nil)), for: key("/music/a.flac"))
        try cache.rawExecute("PRAGMA user_version = 6")
        try cache.rawExecute("PRAGMA wal_checkpoint(TRUNCATE)")
        let folder = directory.file("cache")
        func files() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            }
            return files
        }
        let before = try withExtendedLifetime(cache) { try files() }
        for readOnly in [false, true] {
            XCTAssertThrowsError(try FeatureCache(path: cachePath, readOnly: readOnly)) { error in
                XCTAssertEqual((error as? CacheError)?.reason, .newerSchema(version: 6, supported: 5))
            }
        }
        XCTAssertEqual(try files(), before)
    }
}
