import Features
import Foundation
@testable import Library
import TestSupport
import XCTest

/// Fingerprints left in their cache records until asked for (``FingerprintSlot``): a track read from the cache
/// gives back the fingerprint it was stored with, one by one or all at once (``TrackAnalysis/loadFingerprints(_:)``,
/// past the one-pass threshold too); a record replaced since gives none; a track stored again keeps its
/// fingerprint; and ``FeatureCache/loadContents(cueTracks:)`` reads what ``FeatureCache/loadAll()``,
/// ``FeatureCache/loadCueTracks()`` and ``FeatureCache/seedPaths()`` read.
final class FastWarmFingerprintSlotTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// Song `index`: an empty file and a track with a fingerprint of items made from `index` (none for every 7th).
    private func track(_ index: Int, salt: UInt32 = 0) -> TrackAnalysis {
        let path = directory.file("\(index).flac")
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        let width = SummaryLayout.current.dimensionCount
        var track = TrackAnalysis(path: path, title: "Song \(index)", format: "FLAC/PCM_16", durationSeconds: 30 + Double(index),
                                  sampleRate: 44100, channelCount: 2, analyzedSeconds: 30,
                                  summary: SongSummary(values: (0..<width).map { Float($0 + index) }))
        if index % 7 != 6 {
            track.fingerprint = AudioFingerprint(values: (0..<200).map { UInt32($0) &* 2_654_435_761 ^ UInt32(index) ^ salt },
                                                 fingerprintedSeconds: 25)
        }
        return track
    }

    private func key(_ track: TrackAnalysis) throws -> CacheKey {
        try XCTUnwrap(CacheKey.current(path: track.path, excerptSeconds: nil))
    }

    private func loaded(_ cache: FeatureCache) throws -> [String: TrackAnalysis] {
        try cache.loadAll().compactMapValues { entry in
            if case let .analyzed(track) = entry.outcome { track } else { nil }
        }
    }

    func testFingerprintsComeBackFromTheirRecordsOneByOneAndAllAtOnce() throws {
        let count = FeatureCache.fingerprintPassThreshold + 20
        let tracks = (0..<count).map { track($0) }
        let path = directory.file("cache.sqlite")
        try FeatureCache(path: path).store(try tracks.map { (.analyzed($0), try key($0)) })

        let readOne = try loaded(try FeatureCache(path: path))
        let first = try XCTUnwrap(readOne[tracks[0].path])
        XCTAssertTrue(first.fingerprintSlot.isPending)
        XCTAssertNotNil(first.fingerprintStamp)
        XCTAssertNotNil(first.sourceCache)
        XCTAssertEqual(first.fingerprint, tracks[0].fingerprint)
        XCTAssertFalse(first.fingerprintSlot.isPending)
        XCTAssertEqual(first, tracks[0], "a track read from the cache equals the one stored")

        let readAll = try loaded(try FeatureCache(path: path))
        let all = tracks.map { readAll[$0.path]! }
        XCTAssertEqual(all.filter { $0.fingerprintSlot.isPending }.count, tracks.filter { $0.fingerprint != nil }.count,
                       "a record without a fingerprint has nothing to wait for")
        TrackAnalysis.loadFingerprints(all)
        XCTAssertTrue(all.allSatisfy { !$0.fingerprintSlot.isPending }, "one pass reads them all")
        XCTAssertEqual(all.map(\.fingerprint), tracks.map(\.fingerprint))
        XCTAssertEqual(all, tracks)
    }

    func testARecordReplacedSinceTheTrackWasReadGivesNoFingerprint() throws {
        let path = directory.file("cache.sqlite")
        let original = track(1)
        try FeatureCache(path: path).store(.analyzed(original), for: try key(original))
        // A record written again with the same fingerprint (another title; or converted to another form) still gives it.
        let sameFingerprint = try XCTUnwrap(try loaded(try FeatureCache(path: path))[original.path])
        var retitled = original
        retitled.title = "Retitled"
        try FeatureCache(path: path).store(.analyzed(retitled), for: try key(retitled))
        XCTAssertEqual(sameFingerprint.fingerprint, original.fingerprint)

        let readEarly = try XCTUnwrap(try loaded(try FeatureCache(path: path))[original.path])
        let stampEarly = try XCTUnwrap(readEarly.fingerprintStamp)

        let replaced = track(1, salt: 99)
        try FeatureCache(path: path).store(.analyzed(replaced), for: try key(replaced))
        XCTAssertNil(readEarly.fingerprint, "the record it would come from is another now")
        let readLate = try XCTUnwrap(try loaded(try FeatureCache(path: path))[original.path])
        XCTAssertNotEqual(readLate.fingerprintStamp, stampEarly)
        XCTAssertEqual(readLate.fingerprint, replaced.fingerprint)
    }

    func testATrackReadFromTheCacheAndStoredAgainKeepsItsFingerprint() throws {
        let path = directory.file("cache.sqlite")
        let original = track(2)
        try FeatureCache(path: path).store(.analyzed(original), for: try key(original))
        var read = try XCTUnwrap(try loaded(try FeatureCache(path: path))[original.path])
        XCTAssertTrue(read.fingerprintSlot.isPending)
        read.title = "Renamed"
        try FeatureCache(path: path).store(.analyzed(read), for: try key(read))
        let again = try XCTUnwrap(try loaded(try FeatureCache(path: path))[original.path])
        XCTAssertEqual(again.title, "Renamed")
        XCTAssertEqual(again.fingerprint, original.fingerprint)
        // Setting a fingerprint replaces the slot: no stamp of a record any more.
        read.fingerprint = nil
        XCTAssertNil(read.fingerprintStamp)
        XCTAssertNil(read.fingerprint)
    }

    func testLoadContentsReadsWhatTheThreeReadsRead() throws {
        let path = directory.file("cache.sqlite")
        let cache = try FeatureCache(path: path)
        let tracks = (0..<6).map { track($0) }
        try cache.store(try tracks.prefix(4).map { (.analyzed($0), try key($0)) })
        try cache.store(try tracks.suffix(2).map { (.analyzed($0), try key($0)) }, origin: .seed)
        // Two cue tracks of one image.
        let image = track(10)
        for number in 1...2 {
            var cueTrack = image
            cueTrack.cueTrack = CueSheetTrack(audioPath: image.path, sheetPath: image.path + ".cue", isEmbedded: false,
                                              trackNumber: number, startSample: (number - 1) * 44100,
                                              endSample: number * 44100, sampleRate: 44100)
            var cueKey = try key(image)
            cueKey.cueTrack = number
            try cache.store(.analyzed(cueTrack), for: cueKey)
        }
        try cache.store(.failed(AnalysisFailure(path: directory.file("bad.flac"), kind: .notAudio, error: "not audio")),
                        for: CacheKey(path: directory.file("bad.flac"), sizeBytes: 3, modifiedSeconds: 1,
                                      featureVersion: SongSummary.version, excerptSeconds: 0))

        let reader = try FeatureCache(path: path)
        let contents = try reader.loadContents()
        XCTAssertEqual(contents.seedPaths, try reader.seedPaths())
        XCTAssertEqual(contents.seedPaths.count, 2)
        let all = try reader.loadAll()
        XCTAssertEqual(Set(contents.wholeFiles.keys), Set(all.keys))
        XCTAssertEqual(contents.wholeFiles.count, 7)
        for (path, entry) in all {
            XCTAssertEqual(contents.wholeFiles[path]?.key, entry.key)
            XCTAssertEqual(contents.wholeFiles[path]?.outcome, entry.outcome)
        }
        let cueTracks = try reader.loadCueTracks()
        XCTAssertEqual(contents.cueTracks.count, 2)
        for (slot, entry) in cueTracks {
            XCTAssertEqual(contents.cueTracks[slot]?.key, entry.key)
            XCTAssertEqual(contents.cueTracks[slot]?.outcome, entry.outcome)
        }
        let withoutCue = try reader.loadContents(cueTracks: false)
        XCTAssertTrue(withoutCue.cueTracks.isEmpty)
        XCTAssertEqual(withoutCue.wholeFiles.count, 7)
        XCTAssertEqual(withoutCue.seedPaths, contents.seedPaths)
    }
}
