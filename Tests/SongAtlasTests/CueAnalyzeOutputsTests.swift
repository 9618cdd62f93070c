import AudioDecoding
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `analyze` over an album image: CSV columns `cue_track`, `start` and `end` (always in the header,
/// empty for whole files), and `--highlight` reading the sheets (each track analysed over its range).
final class CueAnalyzeOutputsTests: XCTestCase {
    var directory: TemporaryDirectory!
    let sampleRate = 22050
    let trackSeconds = 4.0

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("image"), withIntermediateDirectories: true)
        let raw: [[Float]] = [
            Signals.drumLoop(bpm: 120, seconds: trackSeconds, sampleRate: sampleRate),
            Signals.sine(frequency: 330, seconds: trackSeconds, sampleRate: sampleRate),
            Signals.noise(seconds: trackSeconds, sampleRate: sampleRate, seed: 4),
        ]
        // Peaks at 0.5: FLAC holds 16-bit integers.
        let tracks = raw.map { samples in
            let peak = max(samples.map(abs).max() ?? 1, 1e-6)
            return samples.map { $0 / peak * 0.5 }
        }
        try AudioFileWriter.write(tracks.flatMap { $0 }, to: directory.file("image/Album.flac"), sampleRate: sampleRate,
                                  format: .flac16)
        try AudioFileWriter.write(tracks[0], to: directory.file("image/Loose.flac"), sampleRate: sampleRate, format: .flac16)
        let sheet = "FILE \"Album.flac\" WAVE\n" + (0..<3).map { index in
            "  TRACK 0\(index + 1) AUDIO\n    TITLE \"Song \(index + 1)\"\n    INDEX 01 00:0\(index * 4):00\n"
        }.joined()
        try sheet.write(toFile: directory.file("image/Album.cue"), atomically: true, encoding: .utf8)
    }

    override func tearDown() { directory?.remove() }

    /// The CSV's rows as dictionaries by header name (no cell of these holds a comma).
    private func csvRows(_ text: String) -> (header: [String], rows: [[String: String]]) {
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return ([], []) }
        return (header, lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
    }

    func testCSVGivesEachCueTracksNumberAndRangeAndEmptyCellsForWholeFiles() throws {
        let out = directory.file("report.csv")
        let result = try CommandRunner.run("songatlas", ["analyze", directory.file("image"), "--no-cache", "-q",
                                                         "--format", "csv", "-o", out])
        XCTAssertEqual(result.status, 0, result.standardError)
        let (header, rows) = csvRows(try String(contentsOfFile: out, encoding: .utf8))
        let uri = try XCTUnwrap(header.firstIndex(of: "path_uri"))
        XCTAssertEqual(Array(header[(uri + 1)...(uri + 3)]), ["cue_track", "start", "end"])
        XCTAssertEqual(rows.count, 4)
        let cue = rows.filter { $0["cue_track"] != "" }
        XCTAssertEqual(cue.map { $0["cue_track"] }, ["1", "2", "3"])
        for row in cue {
            let number = try XCTUnwrap(Double(row["cue_track"] ?? ""))
            XCTAssertEqual(try XCTUnwrap(Double(row["start"] ?? "")), (number - 1) * trackSeconds, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(Double(row["end"] ?? "")), number * trackSeconds, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(Double(row["duration_seconds"] ?? "")), trackSeconds, accuracy: 1e-9)
        }
        let loose = try XCTUnwrap(rows.first { ($0["path"] ?? "").hasSuffix("Loose.flac") })
        XCTAssertEqual([loose["cue_track"], loose["start"], loose["end"]], ["", "", ""])
        // Track 1 and the loose file hold the same samples: the same summary.
        let first = try XCTUnwrap(cue.first)
        for name in ["mfcc_1_mean", "mfcc_2_std", "tempo_bpm"] {
            XCTAssertNotNil(loose[name], name)
            XCTAssertEqual(first[name], loose[name], name)
        }
    }

    func testHighlightsReadTheSheets() throws {
        let out = directory.file("highlights.json")
        let result = try CommandRunner.run("songatlas", ["analyze", directory.file("image/Album.flac"), directory.file("image"),
                                                         "--no-cache", "-q", "--highlight", "2", "-o", out])
        XCTAssertEqual(result.status, 0, result.standardError)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        let tracks = try XCTUnwrap(object?["tracks"] as? [[String: Any]])
        XCTAssertEqual(tracks.compactMap { $0["track"] as? Int }, [1, 2, 3], "the image split, not also whole")
        XCTAssertEqual(tracks.count, 4)
        for track in tracks {
            let highlight = try XCTUnwrap(track["highlight"] as? [String: Any])
            let duration = try XCTUnwrap(track["durationSeconds"] as? Double)
            XCTAssertEqual(duration, trackSeconds, accuracy: 1e-9)
            XCTAssertLessThanOrEqual(try XCTUnwrap(highlight["end"] as? Double), duration + 1e-9, "times from the track's start")
        }
        let whole = try CommandRunner.run("songatlas", ["analyze", directory.file("image"), "--no-cache", "-q", "--highlight", "2",
                                                        "--ignore-cue", "--format", "csv"])
        XCTAssertEqual(whole.status, 0, whole.standardError)
        XCTAssertEqual(csvRows(whole.standardOutput).rows.count, 2, "--ignore-cue: the image whole and the loose file")
    }
}
