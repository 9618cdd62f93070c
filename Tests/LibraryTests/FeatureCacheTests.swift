import AudioDecoding
import Features
@testable import Library
import TestSupport
import XCTest

final class FeatureCacheTests: XCTestCase {
    var directory: TemporaryDirectory!
    var music: String { directory.file("music") }
    var cachePath: String { directory.file("cache/library.sqlite") }

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        for (index, frequency) in [220.0, 330, 440].enumerated() {
            try AudioFileWriter.write(Signals.sine(frequency: frequency, seconds: 0.5), to: music + "/\(index).wav",
                                      sampleRate: 22050)
        }
        _ = FileManager.default.createFile(atPath: music + "/empty.flac", contents: Data())
    }

    override func tearDown() { directory.remove() }

    private func analyzeMusic() throws -> LibraryAnalysis {
        LibraryAnalyzer.analyze(paths: [music], cache: try FeatureCache(path: cachePath), jobs: 2)
    }

    func testSecondRunComesFromTheCacheWithTheSameResults() throws {
        let first = try analyzeMusic()
        XCTAssertEqual(first.analyzedCount, 4)
        XCTAssertEqual(first.cachedCount, 0)
        XCTAssertEqual(first.tracks.count, 3)
        XCTAssertEqual(first.failures.count, 1)
        let second = try analyzeMusic()
        XCTAssertEqual(second.analyzedCount, 0)
        XCTAssertEqual(second.cachedCount, 4)          // the failure is remembered too
        XCTAssertEqual(second.tracks, first.tracks)
        XCTAssertEqual(second.failures, first.failures)
    }

    func testChangedFilesAreAnalysedAgainAndGoneFilesAreDropped() throws {
        _ = try analyzeMusic()
        try AudioFileWriter.write(Signals.sine(frequency: 880, seconds: 1), to: music + "/1.wav", sampleRate: 22050)
        try FileManager.default.removeItem(atPath: music + "/2.wav")
        let again = try analyzeMusic()
        XCTAssertEqual(again.analyzedCount, 1)
        XCTAssertEqual(again.cachedCount, 2)
        XCTAssertEqual(again.removedCount, 1)
        XCTAssertEqual(again.tracks.first { $0.path.hasSuffix("1.wav") }?.durationSeconds, 1)
        XCTAssertEqual(try FeatureCache(path: cachePath).loadAll().count, 3)
    }

    func testFilesThatRunOutOfTimeAreReportedButNotCached() throws {
        try AudioFileWriter.write(Signals.sine(frequency: 550, seconds: 5), to: music + "/long.wav", sampleRate: 22050)
        let cache = try FeatureCache(path: cachePath)
        // A limit that is past after the first block: every audio file runs out of time.
        let first = LibraryAnalyzer.analyze(paths: [music], cache: cache, timeLimitSeconds: 1e-9, jobs: 2)
        XCTAssertEqual(first.tracks.count, 0)
        XCTAssertEqual(first.failures.filter { $0.error.contains("time limit") }.count, 4, "\(first.failures)")
        // The next run, without the limit, analyses them: timeouts were not cached.
        // The empty file's failure was, and comes from the cache.
        let second = LibraryAnalyzer.analyze(paths: [music], cache: cache, jobs: 2)
        XCTAssertEqual(second.tracks.count, 4)
        XCTAssertEqual(second.analyzedCount, 4)
        XCTAssertEqual(second.cachedCount, 1)
    }

    func testDamagedCacheIsSetAsideAndRebuilt() throws {
        _ = try analyzeMusic()
        try CacheDamage.damage(cachePath)
        let damaged = try Data(contentsOf: URL(fileURLWithPath: cachePath))
        let cache = try FeatureCache(path: cachePath)
        XCTAssertNotNil(cache.rebuildNote)
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory.file("cache"))
            .filter { $0.hasPrefix("library.sqlite.broken-") }
        XCTAssertEqual(aside.count, 1, "\(aside)")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory.file("cache/" + aside[0]))), damaged)
        XCTAssertEqual(LibraryAnalyzer.analyze(paths: [music], cache: cache).tracks.count, 3)
    }

    func testForeignDatabaseIsRefusedAndLeftAlone() throws {
        // A valid SQLite file that belongs to another program (another application id).
        try FeatureCache(path: cachePath).rawExecute("PRAGMA application_id = 42")
        let before = try Data(contentsOf: URL(fileURLWithPath: cachePath))
        XCTAssertThrowsError(try FeatureCache(path: cachePath)) { error in
            XCTAssertEqual((error as? CacheError)?.reason, .foreignDatabase(applicationID: 42), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: cachePath)), before)
    }

    func testTheMusicIsNotTouched() throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: music).sorted().map {
            try Data(contentsOf: URL(fileURLWithPath: music + "/" + $0))
        }
        _ = try analyzeMusic()
        let after = try FileManager.default.contentsOfDirectory(atPath: music).sorted().map {
            try Data(contentsOf: URL(fileURLWithPath: music + "/" + $0))
        }
        XCTAssertEqual(before, after)
    }
}
