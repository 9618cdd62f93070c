import Features
@testable import Library
import TestSupport
import XCTest

/// ``FeatureCache/merge(shards:rebases:)``: the newest record wins, records of another feature or
/// embedding model version are refused, and paths are rebased component by component.
final class CacheMergeTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func track(_ path: String, level: Float, embeddings: [SongEmbedding] = []) -> TrackAnalysis {
        TrackAnalysis(path: path, format: "WAV/PCM_16", durationSeconds: 30, sampleRate: 44100, channelCount: 2,
                      analyzedSeconds: 30,
                      summary: SongSummary(values: [Float](repeating: level, count: SummaryLayout.current.dimensionCount)),
                      embeddings: embeddings)
    }

    private func key(_ path: String, size: Int64 = 1) -> CacheKey {
        CacheKey(path: path, sizeBytes: size, modifiedSeconds: 0, featureVersion: SongSummary.version, excerptSeconds: 0)
    }

    /// A cache at `name` holding `entries` (path, summary level, analysed at seconds since 1970).
    private func cache(_ name: String, _ entries: [(String, Float, Double)]) throws -> String {
        let path = directory.file(name)
        let cache = try FeatureCache(path: path)
        for (file, level, time) in entries {
            try cache.store(.analyzed(track(file, level: level)), for: key(file),
                            analyzedAt: Date(timeIntervalSince1970: time))
        }
        return path
    }

    private func level(_ cache: FeatureCache, _ path: String) throws -> Float? {
        guard case let .analyzed(track)? = try cache.loadAll()[path]?.outcome else { return nil }
        return track.summary.values.first
    }

    func testTheNewestRecordIsKeptAcrossShardsAndTheTarget() throws {
        let one = try cache("one.sqlite", [("/m/a.wav", 1, 100), ("/m/b.wav", 1, 300), ("/m/c.wav", 1, 100)])
        let two = try cache("two.sqlite", [("/m/a.wav", 2, 200), ("/m/b.wav", 2, 200)])
        let target = try FeatureCache(path: try cache("target.sqlite", [("/m/c.wav", 3, 150), ("/m/a.wav", 3, 50)]))
        let report = try target.merge(shards: [one, two])
        XCTAssertEqual(report.shardCount, 2)
        XCTAssertEqual(report.mergedCount, 2)         // a from two, b from one
        XCTAssertEqual(report.newerKeptCount, 3)      // a of one, b of two, c of one (the target's is newer)
        XCTAssertEqual(report.refusedCount, 0)
        XCTAssertEqual(try level(target, "/m/a.wav"), 2)
        XCTAssertEqual(try level(target, "/m/b.wav"), 1)
        XCTAssertEqual(try level(target, "/m/c.wav"), 3)
        XCTAssertEqual(try target.records().count, 3)
    }

    func testRecordsOfAnotherFeatureOrModelVersionAreRefusedOneLineEach() throws {
        let shardPath = try cache("shard.sqlite", [("/m/a.wav", 1, 100), ("/m/stale.wav", 1, 100)])
        let shard = try FeatureCache(path: shardPath)
        try shard.rawExecute("UPDATE track SET featureVersion = \(SongSummary.version - 1) WHERE path = '/m/stale.wav'")
        let old = SongEmbedding(model: MusicnnModel.msd, version: SongEmbedding.version + 1,
                                values: [Float](repeating: 0.25, count: MusicnnModel.embeddingDimensionCount),
                                tagProbabilities: [Float](repeating: 0.5, count: MusicnnModel.msd.tags.count),
                                patchCount: 4, isPadded: false, patchBudget: .default)
        try shard.store(.analyzed(track("/m/model.wav", level: 1, embeddings: [old])), for: key("/m/model.wav"))
        try shard.rawExecute("INSERT INTO track (path, track, sizeBytes, modifiedSeconds, featureVersion, excerptSeconds, "
            + "record) VALUES ('/m/junk.wav', 0, 1, 0, \(SongSummary.version), 0, X'00FF')")
        let target = try FeatureCache(path: directory.file("target.sqlite"))
        let report = try target.merge(shards: [shardPath])
        XCTAssertEqual(report.mergedCount, 1)
        XCTAssertEqual(report.refusedCount, 3)
        XCTAssertEqual(report.refusedRecords.count, 3)
        let lines = report.refusedRecords.joined(separator: "\n")
        XCTAssertTrue(lines.contains("/m/stale.wav: feature version \(SongSummary.version - 1), this SongAtlas computes "
            + "version \(SongSummary.version); not merged"), lines)
        XCTAssertTrue(lines.contains("/m/model.wav: embedding model msd version \(SongEmbedding.version + 1), "
            + "this SongAtlas computes version \(SongEmbedding.version)"), lines)
        XCTAssertTrue(lines.contains("/m/junk.wav: the record is damaged"), lines)
        XCTAssertEqual(try target.records().map(\.path), ["/m/a.wav"])
    }

    func testFailuresAndSchemaOfTheShardAreCopiedAsTheyAre() throws {
        let shardPath = try cache("shard.sqlite", [("/m/a.wav", 1, 100)])
        let failure = AnalysisFailure(path: "/m/bad.flac", kind: .notAudio, error: "not audio")
        try FeatureCache(path: shardPath).store(.failed(failure), for: key("/m/bad.flac"))
        let target = try FeatureCache(path: directory.file("target.sqlite"))
        XCTAssertEqual(try target.merge(shards: [shardPath]).mergedCount, 2)
        let shardRecords = try FeatureCache(path: shardPath, readOnly: true, creating: false).records()
        XCTAssertEqual(try target.records(), shardRecords)
    }

    func testRebaseMatchesWholeComponentsAndTheLongestPrefix() throws {
        let rebases = [try PathRebase(parsing: "/music=/srv/music"), try PathRebase(parsing: "/music/Jazz/=/jazz")]
        XCTAssertEqual(PathRebase.rewrite("/music/a.flac", with: rebases), "/srv/music/a.flac")
        XCTAssertEqual(PathRebase.rewrite("/music", with: rebases), "/srv/music")
        XCTAssertEqual(PathRebase.rewrite("/musicx/a.flac", with: rebases), "/musicx/a.flac")
        XCTAssertEqual(PathRebase.rewrite("/music/Jazz/b.flac", with: rebases), "/jazz/b.flac")
        XCTAssertEqual(PathRebase.rewrite("/music/Jazzy/b.flac", with: rebases), "/srv/music/Jazzy/b.flac")
        XCTAssertEqual(PathRebase.rewrite("/a.flac", with: [try PathRebase(parsing: "/=/mnt")]), "/mnt/a.flac")
        XCTAssertEqual(PathRebase.rewrite("/mnt/a.flac", with: [try PathRebase(parsing: "/mnt=/")]), "/a.flac")
        XCTAssertThrowsError(try PathRebase(parsing: "/music")) {
            XCTAssertEqual("\($0)", "--rebase '/music' is not OLD=NEW (such as /mnt/music=/srv/music)")
        }

        let shardPath = try cache("shard.sqlite", [("/music/a.wav", 1, 100), ("/musicx/b.wav", 1, 100)])
        let target = try FeatureCache(path: directory.file("target.sqlite"))
        XCTAssertEqual(try target.merge(shards: [shardPath], rebases: rebases).mergedCount, 2)
        XCTAssertEqual(try target.records().map(\.path), ["/musicx/b.wav", "/srv/music/a.wav"])
    }
}
