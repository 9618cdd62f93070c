import AudioDecoding
import Features
import Foundation
import GRDB
@testable import Library
import TestSupport
import XCTest

/// A cache record read back is checked like any input: absurd numbers, NaN and
/// vectors of the wrong length are refused with one note naming the file; a
/// damaged cache is set aside exactly as it was; a read-only or missing cache is
/// never written or made by a reader.
final class CachedRecordValidationTests: XCTestCase {
    var directory: TemporaryDirectory!
    var cachePath: String { directory.file("cache/library.sqlite") }

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private var goodTrack: TrackAnalysis {
        let values = (0..<SummaryLayout.current.dimensionCount).map { Float($0) * 0.25 - 2 }
        return TrackAnalysis(path: "/music/a.wav", format: "WAV/PCM_16", durationSeconds: 30, sampleRate: 44100,
                             channelCount: 2, analyzedSeconds: 30, summary: SongSummary(values: values))
    }

    private func key(_ path: String) -> CacheKey {
        CacheKey(path: path, sizeBytes: 1, modifiedSeconds: 0, featureVersion: SongSummary.version, excerptSeconds: 0)
    }

    /// The good record with `change` applied, as the bytes the cache stores.
    private func record(_ change: (inout CachedTrack) -> Void) throws -> Data {
        var record = CachedTrack(goodTrack)
        change(&record)
        return try JSONEncoder().encode(record)
    }

    /// Edits that put a value SongAtlas could not have computed into a record, each named by the field it breaks.
    private var damagingEdits: [(field: String, edit: (inout CachedTrack) -> Void)] {
        let nanBytes = CachedTrack.bytes(of: [Float.nan] + Array(repeating: 1, count: SummaryLayout.current.dimensionCount - 1))
        let infBytes = CachedTrack.bytes(of: Array(repeating: 1, count: SummaryLayout.current.dimensionCount - 1) + [Float.infinity])
        return [
            ("durationSeconds", { $0.durationSeconds = 3e30 }),
            ("durationSeconds", { $0.durationSeconds = -1e308 }),
            ("durationSeconds", { $0.durationSeconds = 0 }),
            ("analyzedSeconds", { $0.analyzedSeconds = 1e300 }),
            ("analyzedStartSeconds", { $0.analyzedStartSeconds = -5 }),
            ("sampleRate", { $0.sampleRate = -1 }),
            ("channelCount", { $0.channelCount = 100_000 }),
            ("nonFiniteSampleCount", { $0.nonFiniteSampleCount = -3 }),
            ("summary", { $0.summaryValues = nanBytes }),
            ("summary", { $0.summaryValues = infBytes }),
            ("summary", { $0.summaryValues = CachedTrack.bytes(of: Array(repeating: 1, count: 200)) }),
        ]
    }

    func testEveryAbsurdValueIsRefusedNamingItsField() throws {
        XCTAssertNoThrow(try CachedTrack.decode(try record { _ in }))
        for (field, edit) in damagingEdits {
            let data = try record(edit)
            XCTAssertThrowsError(try CachedTrack.decode(data), field) { error in
                guard let refusal = error as? CachedRecordError else { return XCTFail("\(field): \(error)") }
                XCTAssertTrue(refusal.detail.contains(field), "\(field): \(refusal.detail)")
            }
        }
        // Bytes that are not a record at all, and a number JSON cannot hold as a Double.
        XCTAssertThrowsError(try CachedTrack.decode(Data("{\"durationSeconds\": 1e999}".utf8)))
        XCTAssertThrowsError(try CachedTrack.decode(Data([0xff, 0x00, 0x7b])))
    }

    func testAnEmbeddingOfTheWrongLengthOrWithNaNIsRefused() throws {
        let embedding = SongEmbedding(model: .mtt, values: Array(repeating: 0.5, count: MusicnnModel.embeddingDimensionCount),
                                      tagProbabilities: Array(repeating: 0.25, count: MusicnnModel.mtt.tags.count), patchCount: 3)
        var track = goodTrack
        track.embeddings = [embedding]
        XCTAssertNoThrow(try CachedTrack.decode(try JSONEncoder().encode(CachedTrack(track))))
        for (what, change) in [
            ("length", { (e: inout SongEmbedding) in e.values = Array(repeating: 0.5, count: MusicnnModel.embeddingDimensionCount + 1) }),
            ("NaN", { (e: inout SongEmbedding) in e.values[7] = .nan }),
            ("probability", { (e: inout SongEmbedding) in e.tagProbabilities[0] = 2 }),
            ("patches", { (e: inout SongEmbedding) in e.patchCount = -1 }),
        ] {
            var broken = embedding
            change(&broken)
            track.embeddings = [broken]
            XCTAssertThrowsError(try CachedTrack.decode(try JSONEncoder().encode(CachedTrack(track))), what)
        }
    }

    func testADamagedRecordIsLeftOutWithOneNoteNamingItsFile() throws {
        let cache = try FeatureCache(path: cachePath)
        var paths: [String] = []
        for (index, damage) in damagingEdits.enumerated() {
            let path = "/music/bad\(index).wav"
            paths.append(path)
            try cache.store(.analyzed(goodTrack), for: key(path))
            let bytes = try record(damage.edit)
            try cache.rawExecute("UPDATE track SET record = x'\(bytes.map { String(format: "%02x", $0) }.joined())' "
                + "WHERE path = '\(path)'")
        }
        try cache.store(.analyzed(goodTrack), for: key("/music/good.wav"))
        try cache.store(.analyzed(goodTrack), for: key("/music/badkey.wav"))
        try cache.rawExecute("UPDATE track SET sizeBytes = 'lots' WHERE path = '/music/badkey.wav'")
        paths.append("/music/badkey.wav")

        let reader = try FeatureCache(path: cachePath)
        XCTAssertEqual(Set(try reader.loadAll().keys), ["/music/good.wav"])
        _ = try reader.loadAll()   // a second phase of one command reads the cache again
        let notes = reader.notes
        XCTAssertEqual(notes.count, paths.count, notes.joined(separator: "\n"))
        for path in paths {
            XCTAssertEqual(notes.filter { $0.contains("the record of \(path) is damaged") }.count, 1, path)
        }
        XCTAssertTrue(notes.contains { $0.contains("durationSeconds=3e+30") }, notes.joined(separator: "\n"))
    }

    func testADamagedCacheIsSetAsideExactlyAsItWas() throws {
        let cache = try FeatureCache(path: cachePath)
        for index in 0..<40 { try cache.store(.analyzed(goodTrack), for: key("/music/song\(index).wav")) }
        try cache.rawExecute("PRAGMA wal_checkpoint(TRUNCATE)")
        // Keep a pending WAL (of pages other than the track table's), held by a second connection,
        // while the track table's root page in the main file is smashed.
        let writer = try DatabaseQueue(path: cachePath)
        try writer.write { db in
            try db.execute(sql: "CREATE TABLE pending (x)")
            try db.execute(sql: "INSERT INTO pending VALUES (1)")
        }
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: cachePath))
        let size = try handle.seekToEnd()
        XCTAssertGreaterThan(size, 4 * 4096)
        try handle.seek(toOffset: 1 * 4096)
        handle.write(Data(repeating: 0xA5, count: 64))   // page 2's b-tree header: an invalid page type
        try handle.close()
        let mainBefore = try digest(cachePath)
        let walBefore = try digest(cachePath + "-wal")
        XCTAssertFalse(walBefore.isEmpty, "no pending WAL")

        let reopened = try withExtendedLifetime(writer) { try FeatureCache(path: cachePath) }
        let note = try XCTUnwrap(reopened.rebuildNote, "the damaged cache was not noticed")
        let folder = (cachePath as NSString).deletingLastPathComponent
        let aside = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: folder)
            .first { $0.hasPrefix("library.sqlite.broken-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }, note)
        XCTAssertEqual(try digest(folder + "/" + aside), mainBefore, "the damaged file was changed before it was set aside")
        XCTAssertEqual(try digest(folder + "/" + aside + "-wal"), walBefore, "its -wal was changed or not moved with it")
    }

    func testAFileMadeReadOnlyIsNeitherWrittenNorGivenCompanionsEvenAsRoot() throws {
        let cache = try FeatureCache(path: cachePath)
        try cache.store(.analyzed(goodTrack), for: key("/music/a.wav"))
        try cache.rawExecute("PRAGMA wal_checkpoint(TRUNCATE)")
        let folder = (cachePath as NSString).deletingLastPathComponent
        for suffix in ["-wal", "-shm"] { unlink(cachePath + suffix) }
        chmod(cachePath, 0o444)
        let before = try digest(cachePath)

        let readOnly = try FeatureCache(path: cachePath)
        XCTAssertEqual(readOnly.mode, .readOnly)
        XCTAssertEqual(readOnly.notes.count, 1, readOnly.notes.joined(separator: "\n"))
        XCTAssertTrue(readOnly.notes[0].contains("read-only"), readOnly.notes[0])
        XCTAssertEqual(Set(try readOnly.loadAll().keys), ["/music/a.wav"])
        try readOnly.store(.analyzed(goodTrack), for: key("/music/b.wav"))
        XCTAssertEqual(try digest(cachePath), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["library.sqlite"])
    }

    func testAReaderThatFindsNoCacheMakesNothing() throws {
        let path = directory.file("new/folder/library.sqlite")
        XCTAssertThrowsError(try FeatureCache(path: path, creating: false)) { error in
            XCTAssertTrue("\(error)".contains("it does not exist"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("new")))
    }

    /// The file's bytes, compared whole (byte for byte).
    private func digest(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
