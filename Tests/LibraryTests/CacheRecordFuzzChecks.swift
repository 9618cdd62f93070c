// The checks of the `cache` fuzz target (Fuzz/CacheRecordFuzzer.swift), shared
// with CacheRecordFuzzRegressionTests, which replays Fuzz/cache-corpus and
// Fuzz/cache-findings. scripts/fuzz compiles this file with the target, so it
// imports only Features, Library and Foundation.
//
// Written against today's decode entry point (FeatureCache.loadAll: JSONDecoder
// on the `record` column, then CachedTrack.track(path:)). When the cache-record
// validation is rewritten, point `decodedTrack` at the new entry point.
import Features
import Foundation
@testable import Library

/// What any bytes in a cache record's `record` column must give: a checked track or nil, never a trap.
enum CacheRecordFuzzChecks {
    struct Violation: Error, CustomStringConvertible {
        var description: String
    }

    /// The path the fuzzed record is read for.
    static let path = "/music/fuzz.flac"

    /// The track the cache would trust for `bytes`, decoded as ``FeatureCache/loadAll()`` does.
    static func decodedTrack(_ bytes: [UInt8]) -> TrackAnalysis? {
        (try? JSONDecoder().decode(CachedTrack.self, from: Data(bytes)))?.track(path: path)
    }

    /// Decodes `bytes` as a cache record and checks what is trusted.
    ///
    /// - Throws: ``Violation`` when a trusted track has the wrong path, or a summary
    ///   not of ``SummaryLayout/current``'s version and length.
    static func check(_ bytes: [UInt8]) throws {
        guard let track = decodedTrack(bytes) else { return }
        let layout = SummaryLayout.current
        guard track.path == path else { throw Violation(description: "trusted a record for \(track.path)") }
        guard track.summary.version == layout.version, track.summary.values.count == layout.dimensionCount else {
            throw Violation(description: "trusted a summary of version \(track.summary.version) "
                + "with \(track.summary.values.count) values")
        }
        // Re-encoding what was trusted must give the same record back (the store path of the same values).
        let again = CachedTrack(track)
        guard again.track(path: path) != nil else { throw Violation(description: "a trusted track does not store again") }
    }
}
