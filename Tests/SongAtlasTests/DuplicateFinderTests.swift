import AudioDecoding
import Features
import Foundation
import Library
@testable import SongAtlas
import TestSupport
import XCTest

/// Duplicate groups on copies made with ffmpeg from SampleAudio tracks: each
/// kind of copy the issue names is grouped with its original, different
/// recordings with the same tags are not, a file too short to fingerprint is
/// matched by distance (and says so), a cut-short file is reported, not grouped,
/// and the kept copy follows the rule.
final class DuplicateFinderTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        guard FFmpegEncoder.executable != nil else { throw XCTSkip("no ffmpeg") }
        directory = try TemporaryDirectory()
    }

    override func tearDown() { directory?.remove() }

    private func sample(_ name: String) -> String { repositoryRoot.appendingPathComponent("SampleAudio/\(name)").path }

    /// Runs ffmpeg on `input` with `options`, writing `name` in the test folder.
    @discardableResult
    private func ffmpeg(_ input: String, _ options: [String], _ name: String, before: [String] = []) throws -> String {
        let output = directory.file(name)
        try FFmpegEncoder.run(["-nostdin", "-v", "error", "-y"] + before + ["-i", input] + options + [output])
        return output
    }

    private func analysed(_ paths: [String]) throws -> [TrackAnalysis] {
        let report = Atlas.analyze(paths: paths, jobs: 2)
        XCTAssertEqual(report.failures, [], "\(report.failures)")
        return report.tracks.sorted { $0.path < $1.path }
    }

    func testEveryKindOfCopyIsGroupedWithItsOriginalAndTheLosslessOneIsKept() throws {
        let original = try ffmpeg(sample("dnb-01.flac"), ["-c:a", "flac"], "original.flac")
        let copies = [
            try ffmpeg(original, ["-c:a", "libmp3lame", "-b:a", "128k"], "mp3-128k.mp3"),
            try ffmpeg(original, ["-c:a", "aac", "-b:a", "96k"], "aac-96k.m4a"),
            try ffmpeg(original, ["-c:a", "libopus", "-b:a", "96k"], "opus-96k.opus"),
            try ffmpeg(original, ["-af", "volume=4dB", "-c:a", "libmp3lame", "-b:a", "192k"], "louder.mp3"),
            try ffmpeg(original, ["-af", "adelay=1500:all=1", "-c:a", "libmp3lame", "-b:a", "192k"], "silence-first.mp3"),
            try ffmpeg(original, ["-af", "afade=t=out:st=13:d=3", "-c:a", "libmp3lame", "-b:a", "192k"], "fade-out.mp3"),
        ]
        // Distractors: the other tracks of the same source.
        let others = [sample("dnb-02.flac"), sample("dnb-03.flac"), sample("chiptune-01.flac")]
        let tracks = try analysed([original] + copies + others)
        for track in tracks where track.path.hasPrefix(directory.path) {
            XCTAssertEqual(track.fingerprint?.isUsable, true, "\(track.path) has no usable fingerprint")
        }
        let search = DuplicateFinder.search(tracks)
        XCTAssertEqual(search.groups.count, 1, "\(search.groups.map { ($0.keep.path, $0.copies.map(\.path)) })")
        let group = try XCTUnwrap(search.groups.first)
        XCTAssertEqual(group.keep.path, original, "lossless over lossy")
        XCTAssertEqual(Set(group.copies.map(\.path)), Set(copies))
        XCTAssertEqual(group.evidence, .fingerprint)
        XCTAssertGreaterThanOrEqual(group.score, DuplicateFinder.fingerprintThreshold)
        XCTAssertEqual(search.setAside, Set(copies))
    }

    func testAnExactCopyUnderAnotherNameIsGroupedAndTheFirstPathKept() throws {
        let first = try ffmpeg(sample("piano-01.flac"), ["-c:a", "copy"], "a.flac")
        let second = directory.file("b (copy).flac")
        try FileManager.default.copyItem(atPath: first, toPath: second)
        let search = DuplicateFinder.search(try analysed([second, first, sample("piano-02.flac")]))
        XCTAssertEqual(search.groups.count, 1)
        XCTAssertEqual(search.groups.first?.keep.path, first)
        XCTAssertEqual(search.groups.first?.copies.map(\.path), [second])
        XCTAssertEqual(search.groups.first?.score ?? 0, 1, accuracy: 1e-9)
    }

    func testTwoRecordingsWithTheSameTagsAreNotGrouped() throws {
        // A "studio" and a "live" take: two different recordings tagged alike.
        let tags = ["-metadata", "artist=Band", "-metadata", "title=Song", "-metadata", "album=Album"]
        let studio = try ffmpeg(sample("dnb-01.flac"), tags + ["-c:a", "flac"], "studio.flac")
        let live = try ffmpeg(sample("dnb-02.flac"), tags + ["-c:a", "flac"], "live.flac")
        let tracks = try analysed([studio, live])
        XCTAssertEqual(tracks.map(\.title), ["Song", "Song"])
        XCTAssertEqual(DuplicateFinder.search(tracks).groups, [])
    }

    func testAFileTooShortToFingerprintIsMatchedByDistanceAndSaysSo() throws {
        let short = try ffmpeg(sample("chiptune-02.flac"), ["-t", "2.5", "-c:a", "flac"], "short.flac")
        let shortCopy = try ffmpeg(short, ["-c:a", "libmp3lame", "-b:a", "192k"], "short.mp3")
        // The distance is measured against the library's spread: the whole of SampleAudio around them.
        let tracks = try analysed([short, shortCopy, repositoryRoot.appendingPathComponent("SampleAudio").path])
        let search = DuplicateFinder.search(tracks)
        XCTAssertEqual(Set(search.distanceOnly.map(\.path)), [short, shortCopy])
        XCTAssertTrue(search.distanceOnly.allSatisfy { $0.reason.contains("too short to fingerprint") })
        XCTAssertEqual(search.groups.count, 1)
        XCTAssertEqual(search.groups.first?.keep.path, short)
        XCTAssertEqual(search.groups.first?.evidence, .distance)
    }

    func testACutShortCopyIsReportedNotGrouped() throws {
        let original = try ffmpeg(sample("ambient-02.flac"), ["-c:a", "flac"], "whole.flac")
        // A FLAC file cut off: its header still promises the whole length.
        let data = try Data(contentsOf: URL(fileURLWithPath: original))
        let truncated = directory.file("truncated.flac")
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: truncated))
        let tracks = Atlas.analyze(paths: [original, truncated], jobs: 1).tracks
        guard let cut = tracks.first(where: { $0.path == truncated }), cut.durationNote != nil else {
            throw XCTSkip("the decoder did not report the cut FLAC as shorter than its header")
        }
        let search = DuplicateFinder.search(tracks)
        XCTAssertEqual(search.groups, [])
        XCTAssertEqual(search.damaged.map(\.path), [truncated])
    }

    func testTheKeptCopyRule() {
        func track(_ path: String, _ format: String, seconds: Double = 200, rate: Int = 44100) -> TrackAnalysis {
            TrackAnalysis(path: path, format: format, durationSeconds: seconds, sampleRate: rate, channelCount: 2,
                          analyzedSeconds: seconds, summary: SongSummary(values: []))
        }
        let sizes: [String: Int64] = ["/m/flac": 20_000_000, "/m/mp3-320": 8_000_000, "/m/mp3-128": 3_200_000,
                                      "/m/aac-48k": 8_000_000, "/m/aac-44k": 8_000_000, "/m/long": 8_100_000,
                                      "/m/b": 8_000_000, "/m/a": 8_000_000]
        let size: (String) -> Int64? = { sizes[$0] }
        func first(_ a: TrackAnalysis, _ b: TrackAnalysis) -> Bool { DuplicateFinder.keptFirst(a, b, fileSize: size) }
        // Lossless over lossy, even at a lower bit rate.
        XCTAssertTrue(first(track("/m/flac", "FLAC/PCM_16"), track("/m/mp3-320", "MPEG/MPEG_LAYER_III")))
        XCTAssertTrue(first(track("/m/a", "MP4/ALAC"), track("/m/flac", "OGG/OPUS")))
        // Then the higher bit rate.
        XCTAssertTrue(first(track("/m/mp3-320", "MPEG/MPEG_LAYER_III"), track("/m/mp3-128", "MPEG/MPEG_LAYER_III")))
        XCTAssertFalse(first(track("/m/mp3-128", "MPEG/MPEG_LAYER_III"), track("/m/mp3-320", "MPEG/MPEG_LAYER_III")))
        // Then the higher sample rate.
        XCTAssertTrue(first(track("/m/aac-48k", "MP4/AAC", rate: 48000), track("/m/aac-44k", "MP4/AAC")))
        // Then the longer file (same bit rate within 2 %).
        XCTAssertTrue(first(track("/m/long", "MP4/AAC", seconds: 202), track("/m/aac-44k", "MP4/AAC")))
        // Then path order.
        XCTAssertTrue(first(track("/m/a", "MP4/AAC"), track("/m/b", "MP4/AAC")))
        XCTAssertFalse(first(track("/m/b", "MP4/AAC"), track("/m/a", "MP4/AAC")))
    }

    func testFingerprintMatchFindsTheOffsetAndScoresTheShorterFile() {
        var generator = SystemRandomNumberGenerator()
        let base = (0..<400).map { _ in UInt32.random(in: .min ... .max, using: &generator) }
        let same = FingerprintMatch.best(base, base)
        XCTAssertEqual(same?.offsetItems, 0)
        XCTAssertEqual(same?.score ?? 0, 1, accuracy: 1e-12)
        // 12 items of "silence" first, and 3 bits flipped in every other item (a re-encode keeps some items whole).
        let shifted = [UInt32](repeating: 0, count: 12) + base.enumerated().map { $0.offset % 2 == 0 ? $0.element : $0.element ^ 0b1011 }
        let match = FingerprintMatch.best(base, shifted)
        XCTAssertEqual(match?.offsetItems, 12)
        XCTAssertEqual(match?.score ?? 0, 1, accuracy: 1e-12)
        // The last quarter faded away (unrelated items): three quarters match.
        let faded = Array(base.prefix(300)) + (0..<100).map { _ in UInt32.random(in: .min ... .max, using: &generator) }
        XCTAssertEqual(FingerprintMatch.best(base, faded)?.score ?? 0, 0.75, accuracy: 0.02)
        // Unrelated fingerprints: no shared item, or a score near 0.
        let other = (0..<400).map { _ in UInt32.random(in: .min ... .max, using: &generator) }
        XCTAssertLessThan(FingerprintMatch.best(base, other)?.score ?? 0, 0.05)
    }
}
