import Features
import Foundation
@testable import Library
import TestSupport
import XCTest

/// Reading a cache of more records than one decode batch (``FeatureCache/decodeBatchSize``): every record
/// comes back whole, each under its own path, whichever batch it was decoded in.
final class BigSimilarCacheBatchTests: XCTestCase {
    func testEveryRecordOfSeveralDecodeBatchesComesBackWithItsOwnValues() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sample = repositoryRoot.appendingPathComponent("SampleAudio/dnb-01.flac").path
        let analysed = LibraryAnalyzer.analyze(paths: [sample], cache: nil, jobs: 1)
        let template = try XCTUnwrap(analysed.tracks.first)
        let cache = try FeatureCache(path: directory.file("cache.sqlite"))
        let count = 2 * FeatureCache.decodeBatchSize + 3
        var entries: [(outcome: CachedOutcome, key: CacheKey)] = []
        for index in 0..<count {
            var track = template
            track.path = "/music/\(index).flac"
            track.durationSeconds = Double(index + 1)
            track.fingerprint = AudioFingerprint(values: [UInt32(index), UInt32(index) &* 7, 3], fingerprintedSeconds: 5)
            let key = CacheKey(path: track.path, sizeBytes: Int64(index), modifiedSeconds: 1,
                               featureVersion: SongSummary.version, excerptSeconds: 0)
            entries.append((.analyzed(track), key))
        }
        try cache.store(entries)
        let loaded = try cache.loadAll()
        XCTAssertEqual(loaded.count, count)
        for index in [0, FeatureCache.decodeBatchSize - 1, FeatureCache.decodeBatchSize, count - 1] {
            let path = "/music/\(index).flac"
            guard case let .analyzed(track)? = loaded[path]?.outcome else { return XCTFail("\(path) not loaded") }
            XCTAssertEqual(track.path, path)
            XCTAssertEqual(track.durationSeconds, Double(index + 1), accuracy: 1e-12)
            XCTAssertEqual(track.fingerprint?.values, [UInt32(index), UInt32(index) &* 7, 3])
            XCTAssertEqual(loaded[path]?.key.sizeBytes, Int64(index))
            XCTAssertEqual(track.summary, template.summary)
        }
        XCTAssertEqual(Set(loaded.values.compactMap { entry -> Double? in
            guard case let .analyzed(track) = entry.outcome else { return nil }
            return track.durationSeconds
        }), Set((1...count).map(Double.init)))
    }
}
