import AudioDecoding
import Foundation
import Library
@testable import SongAtlas
import TestSupport
import XCTest

/// Songs too short to fingerprint are matched by distance only, confirmed by their waveforms: distinct
/// generated songs (sines 1 Hz apart, noises of other seeds, drum loops) are never grouped, while an
/// identical copy under another name, with other tags, is.
final class DuplicateShortSongTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory?.remove() }

    func testWaveformCorrelationIgnoresGainAndDelayButNotPitch() {
        let rate = AnalysisRate.sampleRate
        let lag = Int(WaveformMatch.maximumLagSeconds * Double(rate))
        let tone = Signals.sine(frequency: 220, seconds: 1)
        // 4 dB louder and 300 samples (14 ms, an encoder's delay) later: the same recording.
        let louder = [Float](repeating: 0, count: 300) + tone.map { $0 * 1.585 }
        XCTAssertGreaterThan(WaveformMatch.correlation(tone, louder, maximumLagSamples: lag), 0.99)
        // 1 Hz away: a whole cycle of drift over the second, whatever the lag.
        let near = Signals.sine(frequency: 221, seconds: 1)
        XCTAssertLessThan(WaveformMatch.correlation(tone, near, maximumLagSamples: lag), 0.3)
        // Two noises of other seeds.
        let first = Signals.noise(seconds: 1.5, seed: 1), second = Signals.noise(seconds: 1.5, seed: 2)
        XCTAssertLessThan(WaveformMatch.correlation(first, second, maximumLagSamples: lag), 0.1)
        XCTAssertGreaterThan(WaveformMatch.correlation(first, first, maximumLagSamples: lag), 0.999)
        // Silence correlates with nothing.
        XCTAssertEqual(WaveformMatch.correlation(tone, Signals.silence(seconds: 1), maximumLagSamples: lag), 0)
    }

    func testDistinctShortGeneratedSongsAreNeverGroupedAndAnIdenticalCopyIs() throws {
        var paths: [String] = []
        func write(_ samples: [Float], _ name: String, title: String) throws {
            let path = directory.file(name)
            try AudioFileWriter.write(samples, to: path, sampleRate: 22050, format: .wav16, title: title, artist: "Gen")
            paths.append(path)
        }
        for frequency in [220.0, 221, 247, 330] {
            try write(Signals.sine(frequency: frequency, seconds: 1), "sine-\(Int(frequency)).wav", title: "Tone")
        }
        for seed in 1...4 {
            try write(Signals.noise(seconds: 1.5, amplitude: 0.1 * Float(seed), seed: UInt64(seed)), "noise-\(seed).wav",
                      title: "Noise")
        }
        for bpm in [120.0, 121] {
            try write(Signals.drumLoop(bpm: bpm, seconds: 1.5), "drums-\(Int(bpm)).wav", title: "Beat")
        }
        // The same samples under another name and other tags: one recording.
        try write(Signals.sine(frequency: 220, seconds: 1), "sine-220 copy.wav", title: "Tone (Remastered)")
        let report = Atlas.analyze(paths: paths, jobs: 2)
        XCTAssertEqual(report.failures, [], "\(report.failures)")
        let search = DuplicateFinder.search(report.tracks)
        XCTAssertEqual(search.groups.count, 1, "\(search.groups.map { [$0.keep.path] + $0.copies.map(\.path) })")
        let group = try XCTUnwrap(search.groups.first)
        XCTAssertEqual(Set([group.keep.path] + group.copies.map(\.path)), [directory.file("sine-220.wav"),
                                                                          directory.file("sine-220 copy.wav")])
        XCTAssertEqual(group.evidence, .distance)
        XCTAssertGreaterThan(group.score, 0.99)
        // Every file says it was matched by distance only.
        XCTAssertEqual(Set(search.distanceOnly.map(\.path)), Set(paths))
        XCTAssertTrue(search.distanceOnly.allSatisfy { $0.reason.contains("matched by distance only") })
    }

    func testADistanceCandidateThatCannotBeDecodedIsNotGrouped() throws {
        let path = directory.file("tone.wav")
        try AudioFileWriter.write(Signals.sine(frequency: 220, seconds: 1), to: path, sampleRate: 22050, format: .wav16)
        let copy = directory.file("tone copy.wav")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let tracks = Atlas.analyze(paths: [path, copy], jobs: 1).tracks
        XCTAssertEqual(tracks.count, 2)
        XCTAssertEqual(DuplicateFinder.search(tracks).groups.count, 1)
        // The same analyses, but the waveforms cannot be read: no group on distance alone.
        XCTAssertEqual(DuplicateFinder.search(tracks, waveformExcerpt: { _ in nil }).groups, [])
    }
}
