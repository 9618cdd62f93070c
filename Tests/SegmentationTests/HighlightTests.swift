import Clustering
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// The highlight: the most repeated section, loudest among its repeats.
final class HighlightTests: XCTestCase {
    static func sections(_ labels: String, seconds: Double) -> [Section] {
        labels.enumerated().map { index, label in
            Section(start: Double(index) * seconds, end: Double(index + 1) * seconds, label: String(label), confidence: 1)
        }
    }

    /// Levels at 10 frames a second: `level(section index)` for every frame of that section.
    static func levels(count: Int, seconds: Double, _ level: (Int) -> Float) -> [Float] {
        (0..<(count * Int(seconds * 10))).map { level($0 / Int(seconds * 10)) }
    }

    func testTheMostRepeatedLabelWinsAndItsLoudestOccurrence() {
        // A B C B D B A: B occurs three times; its second occurrence (index 3) is loudest.
        let sections = Self.sections("ABCBDBA", seconds: 20)
        let levels = Self.levels(count: 7, seconds: 20) { [0.9, 0.2, 0.95, 0.5, 0.9, 0.3, 0.9][$0] }
        let highlight = Highlight.choose(sections: sections, levels: levels, frameRate: 10, durationSeconds: 140, seconds: 15)
        XCTAssertEqual(highlight, Highlight(start: 60, end: 75, label: "B", occurrences: 3))
    }

    func testATieGoesToTheLouderLabel() {
        // A B A B: both twice; B is louder.
        let sections = Self.sections("ABAB", seconds: 30)
        let levels = Self.levels(count: 4, seconds: 30) { [0.1, 0.4, 0.1, 0.6][$0] }
        let highlight = Highlight.choose(sections: sections, levels: levels, frameRate: 10, durationSeconds: 120, seconds: 20)
        XCTAssertEqual(highlight.label, "B")
        XCTAssertEqual(highlight.start, 90)
        XCTAssertEqual(highlight.end, 110)
    }

    func testNearTheEndTheExcerptMovesBackToFit() {
        let sections = Self.sections("ABA", seconds: 10)
        let levels = Self.levels(count: 3, seconds: 10) { [0.1, 0.5, 0.9][$0] }
        let highlight = Highlight.choose(sections: sections, levels: levels, frameRate: 10, durationSeconds: 30, seconds: 15)
        XCTAssertEqual(highlight.start, 15)
        XCTAssertEqual(highlight.end, 30)
        XCTAssertEqual(highlight.label, "A")
    }

    func testAHighlightLongerThanTheTrackIsTheWholeTrackWithANote() {
        let sections = Self.sections("AB", seconds: 10)
        let highlight = Highlight.choose(sections: sections, levels: [Float](repeating: 0.5, count: 200), frameRate: 10,
                                         durationSeconds: 20, seconds: 30)
        XCTAssertEqual(highlight.start, 0)
        XCTAssertEqual(highlight.end, 20)
        XCTAssertNotNil(highlight.note)
    }

    func testWithoutRepeatsTheLoudestSectionIsTakenWithANote() {
        let sections = Self.sections("ABC", seconds: 20)
        let levels = Self.levels(count: 3, seconds: 20) { [0.2, 0.8, 0.4][$0] }
        let highlight = Highlight.choose(sections: sections, levels: levels, frameRate: 10, durationSeconds: 60, seconds: 10)
        XCTAssertEqual(highlight.start, 20)
        XCTAssertEqual(highlight.label, "B")
        XCTAssertNotNil(highlight.note)
    }

    /// On the structured SampleAudio tracks the highlight lies inside a section
    /// whose true label repeats most (scripts/make-sample-audio wrote the labels).
    func testOnStructuredSampleAudioTheHighlightLiesInTheMostRepeatedSection() throws {
        for name in ["structured-abab", "structured-abca", "structured-abaca"] {
            let truth = try SegmenterTests.readSections(
                repositoryRoot.appendingPathComponent("SampleAudio/\(name).sections.tsv").path)
            var counts: [String: Int] = [:]
            for section in truth { counts[section.2, default: 0] += 1 }
            let most = counts.values.max()!
            var segmenter = TrackSegmenter()
            segmenter.highlightSeconds = 4
            let result = try segmenter.segment(path: repositoryRoot.appendingPathComponent("SampleAudio/\(name).flac").path)
            let highlight = try XCTUnwrap(result.highlight)
            XCTAssertEqual(highlight.end - highlight.start, 4, accuracy: 1e-9)
            let container = truth.first { $0.0 - 0.3 <= highlight.start && highlight.end <= $0.1 + 0.3 }
            XCTAssertNotNil(container, "\(name): highlight \(highlight.start)–\(highlight.end) crosses a true cut")
            if let container { XCTAssertEqual(counts[container.2], most, "\(name): highlight in \(container.2)") }
        }
    }
}
