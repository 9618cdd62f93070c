import Foundation
import Library
@testable import SongAtlas
import TestSupport
import XCTest

/// A truncated copy is reported, not grouped: a FLAC and an MP3 cut in half (their headers still promise
/// the whole length), and a CBR MP3 without a length header cut in half (found to be the start of the
/// longer file by its fingerprint).
final class DuplicateDamagedCopyTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        guard FFmpegEncoder.executable != nil else { throw XCTSkip("no ffmpeg") }
        directory = try TemporaryDirectory()
    }

    override func tearDown() { directory?.remove() }

    /// Runs ffmpeg on `input` with `options`, writing `name` in the test folder.
    private func ffmpeg(_ input: String, _ options: [String], _ name: String) throws -> String {
        let output = directory.file(name)
        try FFmpegEncoder.run(["-nostdin", "-v", "error", "-y", "-i", input] + options + [output])
        return output
    }

    /// The first half of `path`'s bytes, written as `name`.
    private func firstHalf(_ path: String, _ name: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let output = directory.file(name)
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: output))
        return output
    }

    func testTruncatedCopiesAreReportedNotGrouped() throws {
        let sample = repositoryRoot.appendingPathComponent("SampleAudio/ambient-02.flac").path
        let whole = try ffmpeg(sample, ["-c:a", "flac"], "whole.flac")
        let mp3 = try ffmpeg(whole, ["-c:a", "libmp3lame", "-b:a", "192k"], "whole.mp3")
        let plain = try ffmpeg(whole, ["-c:a", "libmp3lame", "-b:a", "192k", "-write_xing", "0"], "plain.mp3")
        let cutFLAC = try firstHalf(whole, "cut.flac")
        let cutMP3 = try firstHalf(mp3, "cut.mp3")
        let cutPlain = try firstHalf(plain, "cut-plain.mp3")
        let report = Atlas.analyze(paths: [whole, mp3, plain, cutFLAC, cutMP3, cutPlain], jobs: 2)
        XCTAssertEqual(report.failures, [], "\(report.failures)")
        let search = DuplicateFinder.search(report.tracks)

        // The whole copies are one group; no cut file is in it.
        XCTAssertEqual(search.groups.count, 1)
        let group = try XCTUnwrap(search.groups.first)
        XCTAssertEqual(group.keep.path, whole)
        XCTAssertEqual(Set(group.copies.map(\.path)), [mp3, plain])
        // Each cut file is reported, with why.
        let reported = Dictionary(search.damaged.map { ($0.path, $0.reason) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(Set(reported.keys), [cutFLAC, cutMP3, cutPlain], "\(search.damaged)")
        XCTAssertTrue(reported[cutFLAC]?.contains("cut short") == true, reported[cutFLAC] ?? "")
        XCTAssertTrue(reported[cutMP3]?.contains("cut short") == true, reported[cutMP3] ?? "")
        // The MP3 without a length header: its header cannot tell, its fingerprint does.
        XCTAssertTrue(reported[cutPlain]?.contains("match the start of") == true, reported[cutPlain] ?? "")
    }
}
