import Features
import Foundation
import GRDB
@testable import Library
import TestSupport
import XCTest

/// Schema 3 of the feature cache: each record says whether a library scan or a
/// seed made it, and when; a schema-2 cache is upgraded in place without losing
/// a record, or read as it is when it may not be written; `forget` and `prune`
/// remove only rows, never files.
final class SeedRecordSchemaTests: XCTestCase {
    var directory: TemporaryDirectory!
    var cachePath: String { directory.file("cache/library.sqlite") }

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() {
        chmod(directory.file("cache"), 0o755)
        directory.remove()
    }

    private func track(_ path: String) -> TrackAnalysis {
        let values = (0..<SummaryLayout.current.dimensionCount).map { Float($0) * 0.25 - 2 }
        return TrackAnalysis(path: path, format: "WAV/PCM_16", durationSeconds: 30, sampleRate: 44100,
                             channelCount: 2, analyzedSeconds: 30, summary: SongSummary(values: values))
    }

    private func key(_ path: String) -> CacheKey {
        CacheKey(path: path, sizeBytes: 1, modifiedSeconds: 0, featureVersion: SongSummary.version, excerptSeconds: 0)
    }

    /// A cache of schema 2 as the SongAtlas before this one wrote it: no `origin`, no `analyzedAt`.
    private func makeSchema2Cache() throws {
        let cache = try FeatureCache(path: cachePath)
        try cache.store(.analyzed(track("/music/a.wav")), for: key("/music/a.wav"))
        try cache.store(.failed(AnalysisFailure(path: "/music/b.txt", kind: .notAudio, error: "not audio")),
                        for: key("/music/b.txt"))
        try cache.rawExecute("ALTER TABLE track DROP COLUMN origin")
        try cache.rawExecute("ALTER TABLE track DROP COLUMN analyzedAt")
        try cache.rawExecute("PRAGMA user_version = 2")
    }

    private func userVersion() throws -> Int {
        let queue = try DatabaseQueue(path: cachePath)
        defer { try? queue.close() }
        return try queue.read { try Int.fetchOne($0, sql: "PRAGMA user_version") ?? -1 }
    }

    func testASchema2CacheIsUpgradedInPlaceAndKeepsEveryRecord() throws {
        try makeSchema2Cache()
        XCTAssertEqual(try userVersion(), 2)
        let cache = try FeatureCache(path: cachePath)
        XCTAssertNil(cache.rebuildNote, "an upgradable cache is not set aside")
        XCTAssertEqual(cache.mode, .readWrite)
        XCTAssertEqual(try userVersion(), FeatureCache.schemaVersion)
        XCTAssertEqual(Set(try cache.loadAll().keys), ["/music/a.wav", "/music/b.txt"])
        let records = try cache.records()
        XCTAssertEqual(records.map(\.path), ["/music/a.wav", "/music/b.txt"])
        XCTAssertEqual(records.map(\.origin), [.library, .library], "schema 2 had only library records")
        XCTAssertEqual(records.map(\.analyzedAt), [nil, nil])
        XCTAssertEqual(records.map(\.state.name), ["analysed", "failed"])
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory.file("cache"))
            .filter { $0.contains("broken") }
        XCTAssertEqual(aside, [])
    }

    func testASchema2CacheOpenedReadOnlyIsReadAsItIsAndNotUpgraded() throws {
        try makeSchema2Cache()
        let cache = try FeatureCache(path: cachePath, readOnly: true)
        XCTAssertEqual(cache.mode, .readOnly)
        XCTAssertEqual(try cache.loadAll().count, 2)
        XCTAssertEqual(try cache.seedPaths(), [])
        XCTAssertEqual(try cache.records().map(\.origin), [.library, .library])
        XCTAssertEqual(try cache.summary().schema, 2)
        XCTAssertEqual(try userVersion(), 2)
    }

    func testAnotherSchemaIsStillSetAside() throws {
        try makeSchema2Cache()
        try FeatureCache(path: cachePath).rawExecute("PRAGMA user_version = 1")
        let cache = try FeatureCache(path: cachePath)
        XCTAssertTrue(cache.rebuildNote?.contains("schema 1") == true, cache.rebuildNote ?? "nil")
        XCTAssertEqual(try cache.loadAll().count, 0)
    }

    func testASeedRecordStaysASeedUntilALibraryScanReachesIt() throws {
        let cache = try FeatureCache(path: cachePath)
        let before = Date()
        try cache.store(.analyzed(track("/seeds/s.wav")), for: key("/seeds/s.wav"), origin: .seed)
        try cache.store(.analyzed(track("/music/l.wav")), for: key("/music/l.wav"), origin: .library)
        XCTAssertEqual(try cache.seedPaths(), ["/seeds/s.wav"])
        XCTAssertGreaterThanOrEqual(try cache.records()[1].analyzedAt?.timeIntervalSince1970 ?? 0,
                                    before.timeIntervalSince1970.rounded(.down))

        // A library record analysed again as a seed (its file changed) stays a library record.
        try cache.store(.analyzed(track("/music/l.wav")), for: key("/music/l.wav"), origin: .seed)
        XCTAssertEqual(try cache.seedPaths(), ["/seeds/s.wav"])

        // A library scan that reaches the seed makes it a library record.
        XCTAssertEqual(try cache.markLibrary(["/seeds/s.wav", "/music/l.wav"]), 1)
        XCTAssertEqual(try cache.seedPaths(), [])
        XCTAssertEqual(RecordOrigin.seed.merged(with: .seed), .seed)
        XCTAssertEqual(RecordOrigin.seed.merged(with: .library), .library)
        XCTAssertEqual(RecordOrigin.library.merged(with: .seed), .library)
    }

    func testForgetTakesAFileOrAFolderAndNotItsNamesakes() throws {
        let cache = try FeatureCache(path: cachePath)
        for path in ["/music/a.wav", "/music/ab.wav", "/music/album/1.wav", "/music/albums/2.wav", "/other/3.wav"] {
            try cache.store(.analyzed(track(path)), for: key(path))
        }
        XCTAssertEqual(try cache.forget(under: ["/music/a.wav", "/music/album/"]), ["/music/a.wav", "/music/album/1.wav"])
        XCTAssertEqual(Set(try cache.loadAll().keys), ["/music/ab.wav", "/music/albums/2.wav", "/other/3.wav"])
        XCTAssertEqual(try cache.forget(under: ["/nothing/here"]), [])
    }

    func testPruneRemovesRecordsOfGoneFilesAndFailuresOnly() throws {
        let present = directory.file("present.wav")
        let failed = directory.file("notes.txt")
        for file in [present, failed] { try Data("x".utf8).write(to: URL(fileURLWithPath: file)) }
        let gone = directory.file("gone.wav")
        let cache = try FeatureCache(path: cachePath)
        try cache.store(.analyzed(track(present)), for: key(present))
        try cache.store(.analyzed(track(gone)), for: key(gone))
        try cache.store(.failed(AnalysisFailure(path: failed, kind: .notAudio, error: "not audio")), for: key(failed),
                        origin: .seed)
        let pruned = try cache.prune()
        XCTAssertEqual(pruned, FeatureCache.Pruned(gone: [gone], failures: [failed]))
        XCTAssertEqual(Array(try cache.loadAll().keys), [present])
        XCTAssertTrue(FileManager.default.fileExists(atPath: failed), "prune never touches a file")
    }

    func testReadOnlyCacheForgetsAndPrunesNothing() throws {
        let cache = try FeatureCache(path: cachePath)
        try cache.store(.analyzed(track("/gone/a.wav")), for: key("/gone/a.wav"))
        let readOnly = try FeatureCache(path: cachePath, readOnly: true)
        XCTAssertEqual(try readOnly.forget(under: ["/gone"]), [])
        XCTAssertEqual(try readOnly.prune(), FeatureCache.Pruned(gone: [], failures: []))
        XCTAssertEqual(try cache.loadAll().count, 1)
    }

    func testSummaryCountsRecordsByStateOriginVersionAndModel() throws {
        let cache = try FeatureCache(path: cachePath)
        try cache.store(.analyzed(track("/music/a.wav")), for: key("/music/a.wav"))
        try cache.store(.analyzed(track("/seeds/b.wav")), for: key("/seeds/b.wav"), origin: .seed)
        try cache.store(.failed(AnalysisFailure(path: "/music/c.wav", kind: .damaged, error: "cut short")),
                        for: key("/music/c.wav"))
        var stale = key("/music/d.wav")
        stale.featureVersion = SongSummary.version - 1
        try cache.store(.analyzed(track("/music/d.wav")), for: stale)
        let summary = try cache.summary()
        XCTAssertEqual(summary.schema, FeatureCache.schemaVersion)
        XCTAssertEqual(summary.recordCount, 4)
        XCTAssertEqual(summary.countsByState, ["analysed": 2, "failed": 1, "stale": 1])
        XCTAssertEqual(summary.countsByOrigin, [.library: 3, .seed: 1])
        XCTAssertEqual(summary.countsByFeatureVersion, [SongSummary.version: 3, SongSummary.version - 1: 1])
        XCTAssertEqual(summary.countsByModel, ["none": 2])
        XCTAssertGreaterThan(summary.sizeBytes, 0)
    }
}
