import AudioDecoding
import Features
import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// `songatlas analyze` as a user runs it.
final class AnalyzeCommandTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func songatlas(_ arguments: String...) throws -> CommandResult {
        try CommandRunner.run("songatlas", arguments)
    }

    func testAnalyzeSampleAudio() throws {
        let result = try songatlas("analyze", "SampleAudio", "--format", "json", "--quiet")
        XCTAssertEqual(result.status, 0, result.standardError)
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(result.standardOutput.utf8))
        let labels = try String(contentsOf: repositoryRoot.appendingPathComponent("SampleAudio/labels.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        XCTAssertEqual(report.tracks.count, labels.count)
        XCTAssertEqual(report.failures, [])

        var style: [String: String] = [:]
        for fields in labels { style[String(fields[0])] = String(fields[1]) }
        func mean(_ feature: SummaryDimension, of label: String) -> Float {
            let values = report.tracks.filter { style[URL(fileURLWithPath: $0.path).lastPathComponent] == label }
                .map { $0[feature] }
            return values.reduce(0, +) / Float(values.count)
        }
        for track in report.tracks {
            XCTAssertTrue(track.summary.values.allSatisfy(\.isFinite), track.path)
            XCTAssertEqual(track.summary.values.count, SongSummary.names.count)
            XCTAssertEqual(track.artist, "SongAtlas Synth")
            XCTAssertEqual(track.sampleRate, 22050)
        }
        // What the styles are made of shows in the features.
        XCTAssertGreaterThan(mean(.mean(.centroid), of: "dnb"), 2 * mean(.mean(.centroid), of: "ambient"))
        XCTAssertGreaterThan(mean(.pulseClarity, of: "chiptune"), 3 * mean(.pulseClarity, of: "ambient"))
        XCTAssertGreaterThan(mean(.silentFraction, of: "percussion"), mean(.silentFraction, of: "ambient") + 0.2)
    }

    func testAnalyzeReportsBadFilesAndGoesOn() throws {
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 1), to: directory.file("good.wav"), sampleRate: 22050)
        _ = FileManager.default.createFile(atPath: directory.file("empty.flac"), contents: Data())
        try "not audio".write(toFile: directory.file("text.mp3"), atomically: true, encoding: .utf8)
        try AudioFileWriter.write([0.1, 0.2], to: directory.file("short.wav"), sampleRate: 22050)
        let result = try songatlas("analyze", directory.path, "--format", "csv")
        XCTAssertEqual(result.status, 0)
        let lines = result.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.count, 5)
        XCTAssertTrue(lines[0].hasPrefix("path,title,"))
        XCTAssertTrue(lines[0].hasSuffix(",error"))
        XCTAssertTrue(result.standardOutput.contains("file is empty (0 bytes)"))
        XCTAssertTrue(result.standardOutput.contains("not a readable audio file"))
        XCTAssertTrue(result.standardOutput.contains("too short to analyse"))
        XCTAssertTrue(result.standardError.contains("analysed 1, failed 3"), result.standardError)
    }

    func testAnalyzeFailsOnlyWhenNothingWasAnalysed() throws {
        _ = FileManager.default.createFile(atPath: directory.file("empty.wav"), contents: Data())
        let result = try songatlas("analyze", directory.file("empty.wav"), directory.file("missing.flac"))
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("missing.flac: no such file or folder"), result.standardError)
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(result.standardOutput.utf8))
        XCTAssertEqual(report.failures.count, 2)
    }

    func testOutputFileIsWrittenWholeWithNoLeftovers() throws {
        let output = directory.file("out.json")
        let result = try songatlas("analyze", "SampleAudio/piano-01.flac", "-o", output, "-q")
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardOutput, "")
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(contentsOf: URL(fileURLWithPath: output)))
        XCTAssertEqual(report.tracks.count, 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["out.json"])
    }

    func testInvalidOptionsAreRejected() throws {
        let result = try songatlas("analyze", "SampleAudio", "--excerpt=-3")
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.standardError.contains("--excerpt must be more than 0 and at most 1000000 seconds, got -3.0"),
                      result.standardError)
        let jobs = try songatlas("analyze", "SampleAudio", "--jobs", "0")
        XCTAssertEqual(jobs.status, 64)
    }
}
