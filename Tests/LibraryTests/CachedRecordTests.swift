import AudioDecoding
import Features
import GRDB
@testable import Library
import TestSupport
import XCTest

/// The cache's own record: what it keeps of an analysis and of a failure, and
/// what it refuses to trust.
final class CachedRecordTests: XCTestCase {
    var directory: TemporaryDirectory!
    var cachePath: String { directory.file("cache/library.sqlite") }

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func track(path: String, summary: SongSummary) -> TrackAnalysis {
        TrackAnalysis(path: path, title: "Tïtle", artist: nil, album: "Album", format: "WAV/PCM_16",
                      durationSeconds: 1.5, sampleRate: 44100, channelCount: 2, analyzedSeconds: 1.25,
                      analyzedStartSeconds: 0.125, nonFiniteSampleCount: 3, summary: summary)
    }

    private func key(_ path: String) -> CacheKey {
        CacheKey(path: path, sizeBytes: 1, modifiedSeconds: 0, featureVersion: SongSummary.version, excerptSeconds: 0)
    }

    private var currentSummary: SongSummary {
        var values = (0..<SummaryLayout.current.dimensionCount).map { Float($0) * 0.1 - 3 }
        values[0] = -0.0
        values[1] = .greatestFiniteMagnitude
        values[2] = .leastNonzeroMagnitude
        values[3] = -.greatestFiniteMagnitude
        return SongSummary(values: values)
    }

    func testAnalysisComesBackBitForBit() throws {
        let stored = track(path: "/music/a.wav", summary: currentSummary)
        try FeatureCache(path: cachePath).store(.analyzed(stored), for: key("/music/a.wav"))
        guard case let .analyzed(loaded)? = try FeatureCache(path: cachePath).loadAll()["/music/a.wav"]?.outcome else {
            return XCTFail("no analysed entry")
        }
        XCTAssertEqual(loaded.summary.values.map(\.bitPattern), stored.summary.values.map(\.bitPattern))
        let expected = stored
        XCTAssertEqual(loaded, expected)
    }

    func testSummaryOfAnotherVersionOrLengthIsNotTrusted() throws {
        let cache = try FeatureCache(path: cachePath)
        let current = currentSummary
        try cache.store(.analyzed(track(path: "/music/old.wav", summary: SongSummary(version: 1, values: current.values))),
                        for: key("/music/old.wav"))
        try cache.store(.analyzed(track(path: "/music/short.wav", summary: SongSummary(values: [1, 2, 3]))),
                        for: key("/music/short.wav"))
        try cache.store(.analyzed(track(path: "/music/good.wav", summary: current)), for: key("/music/good.wav"))
        XCTAssertEqual(Set(try cache.loadAll().keys), ["/music/good.wav"])
    }

    func testFailureKeepsItsKind() throws {
        let cache = try FeatureCache(path: cachePath)
        let failure = AnalysisFailure(path: "/music/a.wav", kind: .damaged, error: "damaged or truncated audio file (x)")
        try cache.store(.failed(failure), for: key("/music/a.wav"))
        try cache.rawExecute("""
            INSERT INTO track (path, sizeBytes, modifiedSeconds, featureVersion, excerptSeconds, failureKind, failureMessage)
            VALUES ('/music/b.wav', 1, 0, \(SongSummary.version), 0, 'someFutureKind', 'why')
            """)
        let entries = try FeatureCache(path: cachePath).loadAll()
        XCTAssertEqual(entries["/music/a.wav"]?.outcome, .failed(failure))
        XCTAssertNil(entries["/music/b.wav"], "a kind this SongAtlas does not know is analysed again")
    }

    func testKindComesFromTheDecodingErrorCase() {
        let cases: [(AudioDecoding.DecodingError, AnalysisFailure.Kind)] = [
            (.fileNotFound(path: "a"), .notFound), (.permissionDenied(path: "a"), .unreadable),
            (.emptyFile(path: "a"), .notAudio), (.unsupportedFormat(path: "a", reason: "r"), .notAudio),
            (.unsupportedSampleRate(path: "a", sampleRate: 1), .unsupported),
            (.malformedFile(path: "a", reason: "r"), .damaged), (.readFailed(path: "a", reason: "r"), .damaged),
            (.tooShort(path: "a", durationSeconds: 0, minimumSeconds: 1), .tooShort),
            (.timedOut(path: "a", limitSeconds: 1, decodedSeconds: 0), .timedOut), (.invalidParameter("x"), .other),
        ]
        for (error, kind) in cases {
            let failure = AnalysisFailure(path: "a", error: error)
            XCTAssertEqual(failure.kind, kind, "\(error)")
            XCTAssertFalse(failure.error.hasPrefix("a: "), failure.error)
        }
        XCTAssertEqual(AnalysisFailure.Kind(CocoaError(.fileNoSuchFile)), .other)
    }

    func testEmptyFileIsCachedAsNotAudio() throws {
        try FileManager.default.createDirectory(atPath: directory.file("music"), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.file("music/empty.flac"), contents: Data())
        let cache = try FeatureCache(path: cachePath)
        let first = LibraryAnalyzer.analyze(paths: [directory.file("music")], cache: cache, jobs: 1)
        let second = LibraryAnalyzer.analyze(paths: [directory.file("music")], cache: cache, jobs: 1)
        XCTAssertEqual(second.cachedCount, 1)
        XCTAssertEqual(first.failures.map(\.kind), [.notAudio])
        XCTAssertEqual(second.failures, first.failures)
    }

    func testCacheOfSchemaOneIsSetAsideNotDeleted() throws {
        try FeatureCache(path: cachePath).rawExecute("PRAGMA user_version = 1")
        let cache = try FeatureCache(path: cachePath)
        let note = try XCTUnwrap(cache.rebuildNote)
        XCTAssertTrue(note.contains("made for cache schema 1, this SongAtlas uses 5"), note)
        XCTAssertFalse(note.contains("damaged"), note)
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory.file("cache"))
            .filter { $0.hasPrefix("library.sqlite.broken-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        XCTAssertEqual(aside.count, 1, "\(aside)")
        let old = try DatabaseQueue(path: directory.file("cache/" + aside[0]))
        XCTAssertEqual(try old.read { try Int.fetchOne($0, sql: "PRAGMA user_version") }, 1)
        XCTAssertEqual(cache.mode, .readWrite)
    }
}
