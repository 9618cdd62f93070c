import AudioDecoding
import Features
import Foundation
@testable import Library
import TestSupport
import XCTest

/// The Chromaprint fingerprint comes from the analysis decode, is stored in the cache with its
/// version and comes back bit for bit, stops at ``AudioFingerprint/computedSeconds`` however long
/// the file, and agrees with Chromaprint's own `fpcalc` on the same file.
final class FingerprintCacheTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private var sample: String { repositoryRoot.appendingPathComponent("SampleAudio/dnb-01.flac").path }

    func testAnAnalysedTrackHasAFingerprintThatTheCacheKeeps() throws {
        let cachePath = directory.file("cache/library.sqlite")
        let first = LibraryAnalyzer.analyze(paths: [sample], cache: try FeatureCache(path: cachePath), jobs: 1)
        let fingerprint = try XCTUnwrap(first.tracks.first?.fingerprint)
        XCTAssertEqual(fingerprint.version, AudioFingerprint.version)
        XCTAssertEqual(fingerprint.fingerprintedSeconds, 16, accuracy: 0.01)
        XCTAssertTrue(fingerprint.isUsable)
        // About one item per 0.124 s, less Chromaprint's filter reach.
        XCTAssertEqual(Double(fingerprint.values.count), 16 / AudioFingerprint.itemSeconds - 20, accuracy: 6)

        let second = LibraryAnalyzer.analyze(paths: [sample], cache: try FeatureCache(path: cachePath), jobs: 1)
        XCTAssertEqual(second.cachedCount, 1)
        XCTAssertEqual(second.tracks.first?.fingerprint, fingerprint)
    }

    func testARecordWithoutAFingerprintOrOfAnotherVersionIsStillUsed() throws {
        let cachePath = directory.file("cache/library.sqlite")
        let analysed = LibraryAnalyzer.analyze(paths: [sample], cache: nil, jobs: 1)
        var track = try XCTUnwrap(analysed.tracks.first)
        let key = try XCTUnwrap(CacheKey.current(path: sample, excerptSeconds: nil))
        let cache = try FeatureCache(path: cachePath)
        track.fingerprint = AudioFingerprint(version: AudioFingerprint.version + 1, values: [1, 2, 3], fingerprintedSeconds: 1)
        try cache.store(.analyzed(track), for: key)
        guard case let .analyzed(other)? = try cache.loadAll()[key.path]?.outcome else { return XCTFail("not loaded") }
        XCTAssertNil(other.fingerprint, "a fingerprint of another version is not compared")
        track.fingerprint = nil
        try cache.store(.analyzed(track), for: key)
        guard case let .analyzed(old)? = try cache.loadAll()[key.path]?.outcome else { return XCTFail("not loaded") }
        XCTAssertNil(old.fingerprint)
        XCTAssertEqual(old.summary, track.summary)
    }

    func testFingerprintMemoryStopsAtTheComputedSeconds() throws {
        let fingerprinter = try XCTUnwrap(Fingerprinter())
        fingerprinter.start(sampleRate: AnalysisRate.sampleRate)
        var generator = SplitMix(seed: 7)
        let block = (0..<AnalysisRate.sampleRate).map { _ in Float.random(in: -0.5...0.5, using: &generator) }
        // 700 s in one-second blocks: everything past 120 s is not fed.
        for _ in 0..<700 { block.withUnsafeBufferPointer { fingerprinter.add($0) } }
        let fingerprint = try XCTUnwrap(fingerprinter.finish())
        XCTAssertEqual(fingerprint.fingerprintedSeconds, AudioFingerprint.computedSeconds, accuracy: 1e-9)
        let items = AudioFingerprint.computedSeconds / AudioFingerprint.itemSeconds
        XCTAssertLessThanOrEqual(Double(fingerprint.values.count), items)
        XCTAssertGreaterThan(Double(fingerprint.values.count), items - 64)
        XCTAssertTrue(fingerprint.isUsable)
    }

    func testTheFingerprintAgreesWithFpcalc() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/fpcalc") else {
            throw XCTSkip("fpcalc is not installed (Debian libchromaprint-tools)")
        }
        let result = try CommandRunner.runAbsolute("/usr/bin/fpcalc", ["-raw", "-json", "-length", String(Int(AudioFingerprint.computedSeconds)), sample])
        // fpcalc 1.5.1 may end with "Error decoding audio frame (End of file)" and status 3 after printing
        // the whole fingerprint; what it printed is the reference.
        struct Output: Decodable { var fingerprint: [Int64] }
        let reference = try JSONDecoder().decode(Output.self, from: Data(result.standardOutput.utf8))
            .fingerprint.map { UInt32(truncatingIfNeeded: $0) }
        let ours = try XCTUnwrap(LibraryAnalyzer.analyze(paths: [sample], cache: nil, jobs: 1).tracks.first?.fingerprint)
        // fpcalc decodes at the file's rate and resamples with FFmpeg; SongAtlas halves the 22,050 Hz
        // analysis decode: the items are not all equal, but most agree within 8 bits at offset 0.
        var close = 0
        for (mine, theirs) in zip(ours.values, reference) where (mine ^ theirs).nonzeroBitCount <= 8 { close += 1 }
        XCTAssertGreaterThan(Double(close) / Double(min(ours.values.count, reference.count)), 0.8,
                             "\(close) of \(min(ours.values.count, reference.count)) items agree with fpcalc")
        XCTAssertEqual(Double(ours.values.count), Double(reference.count), accuracy: 4)
    }
}

/// A small seeded generator for reproducible noise.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
