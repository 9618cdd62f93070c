import Foundation
import TestSupport
import XCTest

/// Every command that writes files says so in one voice, `songatlas: wrote FILE[, FILE]` on standard
/// error, unless `-q`; a result on standard output is not announced.
final class WroteLineTests: XCTestCase {
    func testSimilarWithOutputSaysWhatItWrote() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = try SongListFixture(in: directory)
        let list = directory.file("radio.m3u8")
        let arguments = ["similar", fixture.sine220, "--library", fixture.music, "--no-cache", "-n", "3", "-o", list]
        let result = try CommandRunner.run("songatlas", arguments)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(Self.lines(result.standardError).contains("songatlas: wrote \(list)"), result.standardError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: list))

        let quiet = try CommandRunner.run("songatlas", arguments + ["-q"])
        XCTAssertEqual(quiet.status, 0, quiet.standardError)
        XCTAssertFalse(quiet.standardError.contains("wrote"), quiet.standardError)

        let toStandardOutput = try CommandRunner.run("songatlas", Array(arguments.dropLast(2)))
        XCTAssertEqual(toStandardOutput.status, 0, toStandardOutput.standardError)
        XCTAssertFalse(toStandardOutput.standardError.contains("wrote"), toStandardOutput.standardError)
        XCTAssertTrue(toStandardOutput.standardOutput.contains("songs like"), toStandardOutput.standardOutput)
    }

    func testSegmentWithAPlotNamesBothFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let labels = directory.file("labels.txt")
        let plot = directory.file("plot.svg")
        let arguments = ["segment", "SampleAudio/structured-abab.flac", "--excerpt", "12", "--format", "audacity",
                         "-o", labels, "--plot", plot]
        let result = try CommandRunner.run("songatlas", arguments)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(Self.lines(result.standardError).contains("songatlas: wrote \(labels), \(plot)"), result.standardError)

        let quiet = try CommandRunner.run("songatlas", arguments + ["-q"])
        XCTAssertEqual(quiet.status, 0, quiet.standardError)
        XCTAssertFalse(quiet.standardError.contains("wrote"), quiet.standardError)
    }

    func testFeaturesWithOutputSaysWhatItWrote() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let csv = directory.file("features.csv")
        let arguments = ["features", "SampleAudio/piano-01.flac", "--excerpt", "2", "-o", csv]
        let result = try CommandRunner.run("songatlas", arguments)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(Self.lines(result.standardError), ["songatlas: wrote \(csv)"])

        let quiet = try CommandRunner.run("songatlas", arguments + ["--quiet"])
        XCTAssertEqual(quiet.status, 0, quiet.standardError)
        XCTAssertEqual(quiet.standardError, "")
    }

    func testAnalyzeWithOutputSaysWhatItWrote() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let report = directory.file("report.json")
        let arguments = ["analyze", "SampleAudio/piano-01.flac", "--excerpt", "2", "-o", report]
        let result = try CommandRunner.run("songatlas", arguments)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(Self.lines(result.standardError).last, "songatlas: wrote \(report)")

        let quiet = try CommandRunner.run("songatlas", arguments + ["-q"])
        XCTAssertEqual(quiet.status, 0, quiet.standardError)
        XCTAssertFalse(quiet.standardError.contains("wrote"), quiet.standardError)
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }
}
