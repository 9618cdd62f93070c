import AudioDecoding
import Foundation
import Library
@testable import SongAtlas
import TestSupport
import XCTest

/// The waveform check compares each song's own audio: a cue track's range of its album image, not the
/// image's start. An image of two different short tracks (two noises of other seeds: too short to
/// fingerprint, and alike enough that the feature distance proposes them as a pair) is not grouped; its
/// second track and the same audio as a loose file are. Each song in several candidate pairs is decoded once.
final class WaveformMatchCueTrackTests: XCTestCase {
    var directory: TemporaryDirectory!
    let sampleRate = 44100
    let trackSeconds = 2.0

    /// The two tracks of the image: under 3 s (no usable fingerprint), one kind of sound, different samples.
    var first: [Float] { Signals.noise(seconds: trackSeconds, sampleRate: sampleRate, amplitude: 0.3, seed: 11) }
    var second: [Float] { Signals.noise(seconds: trackSeconds, sampleRate: sampleRate, amplitude: 0.3, seed: 12) }

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        for folder in ["image", "loose"] {
            try FileManager.default.createDirectory(atPath: directory.file(folder), withIntermediateDirectories: true)
        }
        try AudioFileWriter.write(first + second, to: directory.file("image/Album.flac"), sampleRate: sampleRate,
                                  format: .flac16, title: "Album", artist: "Band")
        let sheet = "TITLE \"Album\"\nFILE \"Album.flac\" WAVE\n"
            + "  TRACK 01 AUDIO\n    TITLE \"First\"\n    INDEX 01 00:00:00\n"
            + "  TRACK 02 AUDIO\n    TITLE \"Second\"\n    INDEX 01 00:02:00\n"
        try sheet.write(toFile: directory.file("image/Album.cue"), atomically: true, encoding: .utf8)
        // The image's second track as a loose file, and distractors that set the library's typical distance.
        try AudioFileWriter.write(second, to: directory.file("loose/Second.flac"), sampleRate: sampleRate, format: .flac16)
        for frequency in [220.0, 330] {
            try AudioFileWriter.write(Signals.sine(frequency: frequency, seconds: trackSeconds, sampleRate: sampleRate),
                                      to: directory.file("loose/sine-\(Int(frequency)).flac"), sampleRate: sampleRate,
                                      format: .flac16)
        }
        for bpm in [90.0, 120] {
            try AudioFileWriter.write(Signals.drumLoop(bpm: bpm, seconds: trackSeconds, sampleRate: sampleRate).map { $0 * 0.5 },
                                      to: directory.file("loose/drums-\(Int(bpm)).flac"), sampleRate: sampleRate, format: .flac16)
        }
    }

    override func tearDown() { directory?.remove() }

    /// A song's name in assertions: the file's name, and `#N` for a cue track.
    private func name(_ track: TrackAnalysis) -> String {
        (track.path as NSString).lastPathComponent + (track.cueTrackNumber.map { "#\($0)" } ?? "")
    }

    private func analysed() throws -> [TrackAnalysis] {
        let report = Atlas.analyze(paths: [directory.file("image"), directory.file("loose")], jobs: 2)
        XCTAssertEqual(report.failures, [], "\(report.failures)")
        let tracks = report.tracks
        XCTAssertEqual(Set(tracks.map(name)), ["Album.flac#1", "Album.flac#2", "Second.flac", "sine-220.flac",
                                               "sine-330.flac", "drums-90.flac", "drums-120.flac"])
        XCTAssertTrue(tracks.allSatisfy { $0.fingerprint?.isUsable != true }, "2 s songs are matched by distance only")
        return tracks
    }

    func testAnExcerptIsTheCueTracksOwnRange() throws {
        let tracks = try analysed()
        let first = try XCTUnwrap(tracks.first { name($0) == "Album.flac#1" })
        let second = try XCTUnwrap(tracks.first { name($0) == "Album.flac#2" })
        let loose = try XCTUnwrap(tracks.first { name($0) == "Second.flac" })
        let secondExcerpt = try XCTUnwrap(WaveformMatch.excerpt(of: second))
        // 2 s at the analysis rate, not the 4 s of the image nor the first 10 s of it.
        XCTAssertEqual(Double(secondExcerpt.count), trackSeconds * Double(AnalysisRate.sampleRate), accuracy: 64)
        XCTAssertGreaterThan(try XCTUnwrap(WaveformMatch.correlation(second, loose)), 0.99)
        XCTAssertLessThan(try XCTUnwrap(WaveformMatch.correlation(first, second)), 0.3)
        XCTAssertLessThan(try XCTUnwrap(WaveformMatch.correlation(first, loose)), 0.3)
    }

    func testTwoTracksOfOneImageAreNotGroupedAndATrackAndItsLooseCopyAre() throws {
        let tracks = try analysed()
        var decodes: [String: Int] = [:]
        let search = DuplicateFinder.search(tracks, waveformExcerpt: { track in
            decodes[self.name(track), default: 0] += 1
            return WaveformMatch.excerpt(of: track)
        })
        // The image's two tracks were proposed by distance (both decoded), and the waveform told them apart.
        XCTAssertNotNil(decodes["Album.flac#1"], "the two image tracks should be a candidate pair: \(decodes)")
        XCTAssertNotNil(decodes["Album.flac#2"], "\(decodes)")
        XCTAssertEqual(search.groups.count, 1, "\(search.groups.map { [name($0.keep)] + $0.copies.map(name) })")
        let group = try XCTUnwrap(search.groups.first)
        XCTAssertEqual(([group.keep] + group.copies).map(name).sorted(), ["Album.flac#2", "Second.flac"])
        XCTAssertEqual(group.evidence, .distance)
        XCTAssertGreaterThan(group.score, 0.99)
        // The report names the track, as similar and path take it.
        let text = DuplicateReport.rendered(search, fileCount: tracks.count, format: .text)
        XCTAssertTrue(text.contains("Album.flac#2\n"), text)
        XCTAssertFalse(text.contains("Album.flac#1"), text)
        // Each song decoded once, though Album.flac#2 is in at least two candidate pairs.
        XCTAssertTrue(decodes.values.allSatisfy { $0 == 1 }, "\(decodes)")
    }

    func testExcerptsAreDecodedOnceWithinTheBudgetAndAgainPastIt() throws {
        let signals = [Signals.sine(frequency: 220, seconds: 1), Signals.sine(frequency: 220, seconds: 1).map { $0 * 0.6 },
                       Signals.sine(frequency: 221, seconds: 1)]
        let pairs = [(0, 1), (0, 2), (1, 2)]
        func run(budget: Int) -> (scores: [Double?], decodes: Int, heldAfter: Int) {
            var memo = WaveformExcerpts(pairs: pairs, budgetBytes: budget)
            var decodes = 0
            let scores = pairs.map { pair in
                memo.correlation(pair.0, pair.1, decode: { decodes += 1; return signals[$0] })
            }
            return (scores, decodes, memo.bytesHeld)
        }
        let roomy = run(budget: WaveformExcerpts.defaultBudgetBytes)
        XCTAssertEqual(roomy.decodes, 3, "each song once")
        XCTAssertEqual(roomy.heldAfter, 0, "every excerpt dropped after its last pair")
        let tight = run(budget: 0)
        XCTAssertEqual(tight.decodes, 6, "nothing held: both songs of every pair decoded")
        XCTAssertEqual(tight.heldAfter, 0)
        for (held, decoded) in zip(roomy.scores, tight.scores) {
            XCTAssertEqual(try XCTUnwrap(held), try XCTUnwrap(decoded), accuracy: 1e-12)
        }
        XCTAssertGreaterThan(try XCTUnwrap(roomy.scores[0]), 0.99, "a gain change is the same recording")
        XCTAssertLessThan(try XCTUnwrap(roomy.scores[1]), 0.3)
        // A song that cannot be decoded is asked once and scores nil in each of its pairs.
        var memo = WaveformExcerpts(pairs: pairs)
        var asked = 0
        let scores = pairs.map { pair in
            memo.correlation(pair.0, pair.1, decode: { song in
                if song == 0 { asked += 1; return nil }
                return signals[song]
            })
        }
        XCTAssertEqual(asked, 1)
        XCTAssertNil(scores[0] ?? nil)
        XCTAssertNil(scores[1] ?? nil)
        XCTAssertNotNil(scores[2] ?? nil)
    }
}
