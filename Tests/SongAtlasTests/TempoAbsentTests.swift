import AudioDecoding
import Features
import Library
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// Features that are not defined on a track are reported as absent, with the measure that decided
/// it: tempo without a measurable beat (noise, speech, ambient pads), chroma on silence. JSON has
/// `null`, CSV an empty cell and an `absent` column; the summary vector keeps a finite number, so
/// the feature space built from it holds no NaN.
final class TempoAbsentTests: XCTestCase {
    func testTheRuleNamesTheMeasureThatDecidedIt() {
        let weak = TempoEstimate(bpm: 240, pulseClarity: 0.05)
        XCTAssertFalse(weak.isMeasurable)
        XCTAssertEqual(TempoEstimate.absence(bpm: 240, pulseClarity: 0.05),
                       "pulse clarity 0.050 is below 0.15: no measurable beat")
        XCTAssertTrue(TempoEstimate(bpm: 120, pulseClarity: 0.5).isMeasurable)
        XCTAssertNil(TempoEstimate.absence(bpm: 120, pulseClarity: TempoEstimate.minimumPulseClarity))
        XCTAssertNotNil(TempoEstimate.absence(bpm: 0, pulseClarity: 0.9), "no tempo at all is absent too")
    }

    func testASilentSummaryHasNeitherTempoNorChroma() {
        var values = [Float](repeating: 0, count: SummaryLayout.current.dimensionCount)
        values[SummaryLayout.current.index(of: .tempoBPM)] = 240
        values[SummaryLayout.current.index(of: .pulseClarity)] = 0.02
        values[SummaryLayout.current.index(of: .silentFraction)] = 1
        let absent = SongSummary(values: values).absentFeatures
        XCTAssertEqual(absent.map(\.names.count), [1, 24])
        XCTAssertEqual(absent.first?.names, ["tempo_bpm"])
        XCTAssertTrue(absent.last?.names.allSatisfy { $0.hasPrefix("chroma_") } ?? false)
        XCTAssertEqual(absent.last?.reason, "silent fraction 1.000 is at least 0.99: no pitch to measure")
    }

    func testAnalyzeWritesNullAndTheReasonAndReadsBackAFiniteVector() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let noise = directory.file("noise.wav")
        let silence = directory.file("silence.wav")
        try AudioFileWriter.write(Signals.noise(seconds: 8, amplitude: 0.2, seed: 3), to: noise, sampleRate: 22050,
                                  format: .wav16, title: "Noise", artist: "Hiss", album: "Static")
        try AudioFileWriter.write(Signals.silence(seconds: 8), to: silence, sampleRate: 22050, format: .wav16,
                                  title: "Silence", artist: "Nobody", album: "Nothing")
        let music = "SampleAudio/dnb-01.flac"
        let json = try CommandRunner.run("songatlas", ["analyze", noise, silence, music, "--format", "json", "-q"])
        XCTAssertEqual(json.status, 0, json.standardError)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let tracks = try XCTUnwrap(object["tracks"] as? [[String: Any]])
        func feature(_ name: String, of file: String) throws -> [String: Any] {
            let track = try XCTUnwrap(tracks.first { ($0["path"] as? String)?.hasSuffix(file) == true }, file)
            let features = try XCTUnwrap(track["features"] as? [[String: Any]])
            return try XCTUnwrap(features.first { $0["name"] as? String == name }, name)
        }
        for file in ["noise.wav", "silence.wav"] {
            let tempo = try feature("tempo_bpm", of: file)
            XCTAssertTrue(tempo["value"] is NSNull, "\(file): \(tempo)")
            XCTAssertTrue((tempo["absent"] as? String)?.contains("no measurable beat") == true
                || (tempo["absent"] as? String)?.contains("no tempo could be estimated") == true, "\(file): \(tempo)")
        }
        let silentChroma = try feature("chroma_C_mean", of: "silence.wav")
        XCTAssertTrue(silentChroma["value"] is NSNull, "\(silentChroma)")
        XCTAssertEqual(silentChroma["absent"] as? String, "silent fraction 1.000 is at least 0.99: no pitch to measure")
        XCTAssertNotNil(try feature("chroma_C_mean", of: "noise.wav")["value"] as? Double, "noise has chroma")
        let musicTempo = try feature("tempo_bpm", of: "dnb-01.flac")
        XCTAssertEqual(try XCTUnwrap(musicTempo["value"] as? Double), 86.85, accuracy: 1, "a beat keeps its tempo")
        XCTAssertNil(musicTempo["absent"])

        // Read back: every vector whole and finite, and the placed feature space too.
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(json.standardOutput.utf8))
        XCTAssertEqual(report.tracks.count, 3)
        for track in report.tracks {
            XCTAssertTrue(track.summary.values.allSatisfy(\.isFinite), track.path)
        }
        XCTAssertTrue(FeatureSpace().place(report.tracks).points.values.allSatisfy(\.isFinite))

        // CSV: an empty cell, and the `absent` column says why.
        let csv = try CommandRunner.run("songatlas", ["analyze", noise, music, "--format", "csv", "-q"])
        XCTAssertEqual(csv.status, 0, csv.standardError)
        let rows = csv.standardOutput.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = rows[0]
        let tempoColumn = try XCTUnwrap(header.firstIndex(of: "tempo_bpm"))
        let absentColumn = try XCTUnwrap(header.firstIndex(of: "absent"))
        let noiseRow = try XCTUnwrap(rows.first { $0[0].hasSuffix("noise.wav") })
        let musicRow = try XCTUnwrap(rows.first { $0[0].hasSuffix("dnb-01.flac") })
        XCTAssertEqual(noiseRow[tempoColumn], "")
        XCTAssertTrue(noiseRow[absentColumn].hasPrefix("tempo_bpm: "), noiseRow[absentColumn])
        XCTAssertNotEqual(musicRow[tempoColumn], "")
        XCTAssertEqual(musicRow[absentColumn], "")
    }
}
