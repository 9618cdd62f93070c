import Clustering
import Export
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `songatlas segment` and `songatlas evaluate segments`.
final class SegmentCommandTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testAudacityLabelsPlotAndScoreAgainstTheReference() throws {
        let labels = directory.file("abca.txt")
        let plot = directory.file("abca.html")
        let result = try CommandRunner.run("songatlas", [
            "segment", "SampleAudio/structured-abca.flac", "--format", "audacity", "-o", labels, "--plot", plot])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = try String(contentsOfFile: labels, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.map { $0.split(separator: "\t").last! }, ["A", "B", "C", "A"])
        XCTAssertTrue(lines.allSatisfy { $0.split(separator: "\t").count == 3 })
        let html = try String(contentsOfFile: plot, encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(html.components(separatedBy: "class=\"section\"").count - 1, 4)
        XCTAssertTrue(html.contains("id=\"novelty\""))

        let scores = try CommandRunner.run("songatlas", [
            "evaluate", "segments", "--reference", "SampleAudio/structured-abca.sections.tsv", "--estimate", labels, "--json"])
        XCTAssertEqual(scores.status, 0, scores.standardError)
        let agreement = try JSONDecoder().decode(SegmentAgreement.self, from: Data(scores.standardOutput.utf8))
        XCTAssertEqual(agreement.hitRate05.fMeasure, 1)
        XCTAssertGreaterThan(agreement.pairwise.fMeasure, 0.95)
    }

    func testJSONAndCSVOutputs() throws {
        let json = try CommandRunner.run("songatlas", ["segment", "SampleAudio/structured-abab.flac"])
        XCTAssertEqual(json.status, 0, json.standardError)
        let document = try JSONDecoder().decode(SegmentationDocument.self, from: Data(json.standardOutput.utf8))
        XCTAssertEqual(document.sections.map(\.label), ["A", "B", "A", "B"])
        XCTAssertEqual(document.novelty.times.count, document.novelty.values.count)
        XCTAssertTrue(document.novelty.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        let csv = try CommandRunner.run("songatlas", ["segment", "SampleAudio/structured-abab.flac", "--format", "csv",
                                                      "--method", "kmeans"])
        XCTAssertEqual(csv.status, 0, csv.standardError)
        XCTAssertTrue(csv.standardOutput.hasPrefix("start,end,label,confidence\n0.000000,"))
    }

    func testShortTrackGivesOneSectionAndANote() throws {
        let result = try CommandRunner.run("songatlas", ["segment", "SampleAudio/piano-01.flac", "--min-section", "10",
                                                         "--excerpt", "12", "--format", "csv"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardOutput.split(separator: "\n").count, 2)
        XCTAssertTrue(result.standardError.contains("note:"), result.standardError)
    }

    func testHighlightIsAnAudacityLabelAndInTheJSON() throws {
        let labels = try CommandRunner.run("songatlas", [
            "segment", "SampleAudio/structured-abaca.flac", "--format", "audacity", "--highlight", "4"])
        XCTAssertEqual(labels.status, 0, labels.standardError)
        let last = try XCTUnwrap(labels.standardOutput.split(separator: "\n").last).split(separator: "\t")
        XCTAssertEqual(last.count, 3)
        XCTAssertEqual(last[2], "highlight")
        XCTAssertEqual(Double(last[1])! - Double(last[0])!, 4, accuracy: 1e-6)

        // Without a length: 30 s, longer than this 29 s track, so the whole track and a note.
        let json = try CommandRunner.run("songatlas", ["segment", "SampleAudio/structured-abaca.flac", "--highlight"])
        XCTAssertEqual(json.status, 0, json.standardError)
        let document = try JSONDecoder().decode(SegmentationDocument.self, from: Data(json.standardOutput.utf8))
        let highlight = try XCTUnwrap(document.highlight)
        XCTAssertEqual(highlight.start, 0)
        XCTAssertEqual(highlight.end, document.durationSeconds, accuracy: 1e-9)
        XCTAssertTrue(json.standardError.contains("note: highlight:"), json.standardError)

        let bad = try CommandRunner.run("songatlas", ["segment", "SampleAudio/structured-abaca.flac", "--highlight", "0"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.standardError.contains("--highlight"), bad.standardError)
    }
}
