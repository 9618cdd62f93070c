// The checks of the `cache` fuzz target (Fuzz/CacheRecordFuzzer.swift), shared
// with CacheRecordFuzzRegressionTests, which replays Fuzz/cache-corpus and
// Fuzz/cache-findings. scripts/fuzz compiles this file with the target, so it
// imports only Features, Library and Foundation.
//
// It calls the one entry point for record bytes, CachedTrack.decode (what
// FeatureCache.loadAll calls), then CachedTrack.track(path:).
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
        (try? CachedTrack.decode(Data(bytes)))?.track(path: path)
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
        // Every number a trusted record hands on is one the analysis could have computed.
        let limit = CachedTrack.maximumSeconds
        guard track.durationSeconds.isFinite, track.durationSeconds > 0, track.durationSeconds <= limit else {
            throw Violation(description: "trusted a duration of \(track.durationSeconds) s")
        }
        guard track.analyzedSeconds.isFinite, track.analyzedSeconds >= 0, track.analyzedSeconds <= limit,
              track.analyzedStartSeconds.isFinite, track.analyzedStartSeconds >= 0, track.analyzedStartSeconds <= limit
        else { throw Violation(description: "trusted analysed seconds \(track.analyzedStartSeconds)+\(track.analyzedSeconds)") }
        guard track.sampleRate > 0, track.channelCount > 0, track.nonFiniteSampleCount >= 0 else {
            throw Violation(description: "trusted rate \(track.sampleRate), \(track.channelCount) channels, "
                + "\(track.nonFiniteSampleCount) non-finite samples")
        }
        guard track.summary.values.allSatisfy(\.isFinite) else { throw Violation(description: "trusted a non-finite summary") }
        for embedding in track.embeddings where !embedding.values.allSatisfy(\.isFinite) {
            throw Violation(description: "trusted a non-finite \(embedding.model) embedding")
        }
        // Re-encoding what was trusted must give the same record back (the store path of the same values).
        let again = CachedTrack(track)
        guard again.track(path: path) != nil else { throw Violation(description: "a trusted track does not store again") }
    }
}
