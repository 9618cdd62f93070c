import AudioDecoding
import FilePaths
import Foundation
import GRDB
@testable import Library
import TestSupport
import XCTest

/// The feature cache with cue tracks (schema 4): rows keyed by (path, track), a cue
/// track's range kept in its record, and a schema-3 cache upgraded in place.
final class CueCacheTests: XCTestCase {
    var directory: TemporaryDirectory!
    var cachePath: String { directory.file("cache.sqlite") }
    var albumFolder: String { directory.file("album") }

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func analyse() throws -> LibraryAnalysis {
        LibraryAnalyzer.analyze(paths: [albumFolder], cache: try FeatureCache(path: cachePath), jobs: 2)
    }

    func testCueTracksAreCachedByFileAndTrackAndAChangedSheetReanalysesOnlyTheMovedTracks() throws {
        let album = try CueSongScanTests.makeAlbum(in: albumFolder)
        let first = try analyse()
        XCTAssertEqual(first.analyzedCount, 6)
        XCTAssertEqual(first.cachedCount, 0)
        let second = try analyse()
        XCTAssertEqual(second.analyzedCount, 0, "every cue track comes from the cache")
        XCTAssertEqual(second.cachedCount, 6)
        XCTAssertEqual(second.tracks, first.tracks, "the cached records give back the same songs, ranges included")
        let records = try FeatureCache(path: cachePath).records().filter { $0.path == PathKey.of(album.image) }
        XCTAssertEqual(records.map(\.track).sorted(), [1, 2, 3])

        // Move track 3's start: tracks 2 and 3 change range, track 1 does not.
        let moved = try String(contentsOfFile: album.sheet, encoding: .utf8).replacingOccurrences(of: "INDEX 01 00:06:00", with: "INDEX 01 00:06:30")
        try moved.write(toFile: album.sheet, atomically: true, encoding: .utf8)
        let third = try analyse()
        XCTAssertEqual(third.analyzedCount, 2)
        XCTAssertEqual(third.cachedCount, 4)
        let cueTracks = third.tracks.filter { $0.path == album.image }
        XCTAssertEqual(cueTracks.map(\.cueTrackNumber), [1, 2, 3])
        XCTAssertEqual(cueTracks[2].durationSeconds, 3 - 30.0 / 75, accuracy: 1e-9)
        XCTAssertEqual(cueTracks[0].summary, first.tracks.first { $0.cueTrackNumber == 1 }?.summary)

        // --ignore-cue: the image is one song, analysed once as a whole and cached beside its tracks.
        let whole = LibraryAnalyzer.analyze(paths: [albumFolder], cache: try FeatureCache(path: cachePath), jobs: 2,
                                            readCueSheets: false)
        XCTAssertEqual(whole.analyzedCount, 1)
        XCTAssertEqual(whole.tracks.filter { $0.path == album.image }.map(\.cueTrack), [nil])
        XCTAssertEqual(try analyse().analyzedCount, 0, "the tracks' records were kept")
    }

    func testASchema3CacheIsUpgradedInPlaceWithoutReanalysingItsFiles() throws {
        let album = try CueSongScanTests.makeAlbum(in: albumFolder)
        try FileManager.default.removeItem(atPath: album.sheet)
        XCTAssertEqual(try analyse().analyzedCount, 4)
        // Back to schema 3's layout: the path alone is the key.
        let old = try FeatureCache(path: cachePath)
        try old.rawExecute("""
            CREATE TABLE track3 (path TEXT PRIMARY KEY NOT NULL, sizeBytes INTEGER NOT NULL, modifiedSeconds REAL NOT NULL,
                featureVersion INTEGER NOT NULL, excerptSeconds REAL NOT NULL, failureKind TEXT, failureMessage TEXT,
                record BLOB, origin TEXT, analyzedAt REAL)
            """)
        try old.rawExecute("""
            INSERT INTO track3 SELECT path, sizeBytes, modifiedSeconds, featureVersion, excerptSeconds, failureKind,
                failureMessage, record, origin, analyzedAt FROM track
            """)
        try old.rawExecute("DROP TABLE track")
        try old.rawExecute("ALTER TABLE track3 RENAME TO track")
        try old.rawExecute("PRAGMA user_version = 3")

        let readOnly = try FeatureCache(path: cachePath, readOnly: true)
        XCTAssertEqual(try readOnly.loadAll().count, 4, "read as it is")
        XCTAssertEqual(try readOnly.records().map(\.track), [0, 0, 0, 0])
        XCTAssertEqual(try readOnly.summary().schema, 3)

        let upgraded = try FeatureCache(path: cachePath)
        XCTAssertNil(upgraded.rebuildNote)
        XCTAssertEqual(try upgraded.summary().schema, FeatureCache.schemaVersion)
        XCTAssertEqual(try upgraded.loadAll().count, 4)
        let again = try analyse()
        XCTAssertEqual(again.analyzedCount, 0, "no plain file is analysed again")
        XCTAssertEqual(again.cachedCount, 4)
    }
}
