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
        XCTAssertTrue(last[2].hasPrefix("highlight: "), "\(last)")
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

    /// The highlight and its one-line reason in every format (issue 24 item 3); the CSV reads back as sections.
    func testHighlightReasonInCSVAndJSON() throws {
        let csv = try CommandRunner.run("songatlas", ["segment", "SampleAudio/structured-abab.flac", "--format", "csv",
                                                      "--highlight", "5"])
        XCTAssertEqual(csv.status, 0, csv.standardError)
        let rows = CSVTable.parse(csv.standardOutput)
        XCTAssertEqual(rows.first, ["start", "end", "label", "confidence", "reason"])
        let last = try XCTUnwrap(rows.last)
        XCTAssertEqual(last[2], "highlight")
        XCTAssertTrue(last[4].hasPrefix("most repeated section ("), "\(last)")
        let file = directory.file("abab.csv")
        try csv.standardOutput.write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try SegmentFile.read(file).map(\.label), ["A", "B", "A", "B"])

        let json = try CommandRunner.run("songatlas", ["segment", "SampleAudio/structured-abab.flac", "--highlight", "5"])
        let document = try JSONDecoder().decode(SegmentationDocument.self, from: Data(json.standardOutput.utf8))
        XCTAssertEqual(document.highlight?.reason, last[4])
    }

    /// `segment PATH... --out DIR` (issue 24 item 4): label files named after the tracks, plots, sections.json,
    /// one bad file reported while the rest go on, and the folder's foreign files refused.
    func testManyFilesToAFolder() throws {
        let out = directory.file("labels")
        let broken = directory.file("broken.flac")
        try Data("not audio".utf8).write(to: URL(fileURLWithPath: broken))
        let result = try CommandRunner.run("songatlas", [
            "segment", "SampleAudio/structured-abab.flac", "SampleAudio/structured-abca.flac", broken,
            "--out", out, "--plot", "svg", "--no-cache", "--jobs", "2"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("skipped \(broken)"), result.standardError)
        let names = try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertEqual(names, ["sections.json", "structured-abab.svg", "structured-abab.txt", "structured-abca.svg",
                               "structured-abca.txt"])
        // Each label file is what `segment FILE --format audacity` prints.
        let single = try CommandRunner.run("songatlas", ["segment", "SampleAudio/structured-abab.flac", "--format", "audacity"])
        XCTAssertEqual(try String(contentsOfFile: out + "/structured-abab.txt", encoding: .utf8), single.standardOutput)
        let run = try JSONOutput.decoder().decode(SegmentRunDocument.self,
                                                  from: Data(contentsOf: URL(fileURLWithPath: out + "/sections.json")))
        XCTAssertEqual(run.tracks.count, 2)
        XCTAssertEqual(run.errors.map(\.path), [broken])

        // Several paths need --out; -o is for one file.
        let refused = try CommandRunner.run("songatlas", ["segment", "SampleAudio/structured-abab.flac",
                                                          "SampleAudio/structured-abca.flac"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.standardError.contains("--out"), refused.standardError)
        // So does one folder, and the message says so rather than "not an audio file".
        let folder = try CommandRunner.run("songatlas", ["segment", "SampleAudio"])
        XCTAssertNotEqual(folder.status, 0)
        XCTAssertTrue(folder.standardError.contains("SampleAudio is a folder: segment a folder with --out DIR"),
                      folder.standardError)

        // A file SongAtlas did not write stops the run before anything changes.
        let other = directory.file("other")
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: other + "/structured-abab.txt"))
        let foreign = try CommandRunner.run("songatlas", ["segment", "SampleAudio/structured-abab.flac", "--out", other,
                                                          "--no-cache"])
        XCTAssertNotEqual(foreign.status, 0)
        XCTAssertTrue(foreign.standardError.contains("--replace-foreign"), foreign.standardError)
        XCTAssertEqual(try String(contentsOfFile: other + "/structured-abab.txt", encoding: .utf8), "mine")
    }
}
