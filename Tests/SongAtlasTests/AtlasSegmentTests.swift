import AudioDecoding
import Clustering
import Export
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `Atlas.segment` called directly on SampleAudio's structured clips and on generated audio.
final class AtlasSegmentTests: XCTestCase {
    /// How far (seconds) a found boundary may lie from an annotated one: the
    /// default segmenter found every cut of the structured clips within 0.05 s
    /// when this test was written; sections last at least 5.5 s.
    static let boundaryToleranceSeconds = 0.5

    /// The annotated interior boundaries that have a found boundary within the tolerance.
    static func hits(annotated: [Double], found: [Double]) -> Int {
        annotated.filter { boundary in found.contains { abs($0 - boundary) <= boundaryToleranceSeconds } }.count
    }

    /// The sections tile the track: they start at 0, end at its duration, and each starts where the last ended.
    func assertTiles(_ sections: [Section], durationSeconds: Double, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(sections.first?.start ?? -1, 0, accuracy: 1e-9, file: file, line: line)
        XCTAssertEqual(sections.last?.end ?? -1, durationSeconds, accuracy: 0.05, file: file, line: line)
        for (before, after) in zip(sections, sections.dropFirst()) {
            XCTAssertEqual(before.end, after.start, accuracy: 1e-9, file: file, line: line)
            XCTAssertLessThan(before.start, before.end, file: file, line: line)
        }
    }

    /// Each structured SampleAudio clip is cut at its annotated boundaries, within the tolerance.
    func testStructuredClipsAreCutAtTheirAnnotatedBoundaries() throws {
        for name in ["structured-abab", "structured-abca", "structured-abaca"] {
            let annotated = try AtlasSampleLibrary.sections(of: name)
            let path = AtlasSampleLibrary.folder.appendingPathComponent("\(name).flac").path
            let (document, plot) = try Atlas.segment(path: path, segmenter: TrackSegmenter())
            XCTAssertEqual(document.path, path)
            XCTAssertEqual(document.durationSeconds, annotated.last!.end, accuracy: 0.05, name)
            assertTiles(document.sections, durationSeconds: document.durationSeconds)
            XCTAssertEqual(plot.sections.count, document.sections.count)
            let truth = annotated.dropFirst().map(\.start)
            let found = document.sections.dropFirst().map(\.start)
            XCTAssertEqual(Self.hits(annotated: truth, found: found), truth.count, "\(name): found \(found), annotated \(truth)")
            XCTAssertLessThanOrEqual(found.count, truth.count + 2, "\(name): too many cuts \(found)")
        }
    }

    /// The repeated material of `structured-abab` gets one label: sections 1 and 3 alike, 2 and 4 alike, A unlike B.
    func testRepeatedSectionsShareALabel() throws {
        let path = AtlasSampleLibrary.folder.appendingPathComponent("structured-abab.flac").path
        let annotated = try AtlasSampleLibrary.sections(of: "structured-abab")
        let (document, _) = try Atlas.segment(path: path, segmenter: TrackSegmenter())
        // The label of the found section that covers the middle of each annotated one.
        let labels = try annotated.map { section in
            let middle = (section.start + section.end) / 2
            return try XCTUnwrap(document.sections.first { $0.start <= middle && middle < $0.end }?.label)
        }
        XCTAssertEqual(labels[0], labels[2], "\(labels)")
        XCTAssertEqual(labels[1], labels[3], "\(labels)")
        XCTAssertNotEqual(labels[0], labels[1], "\(labels)")
    }

    /// A generated collage (tone, drum loop, tone) is cut near its two joins.
    func testGeneratedCollageIsCutAtItsJoins() throws {
        let sampleRate = 22050
        let tone = Signals.sine(frequency: 330, seconds: 8, sampleRate: sampleRate)
        let drums = Signals.drumLoop(bpm: 120, seconds: 8, sampleRate: sampleRate)
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("collage.wav")
        try AudioFileWriter.write(tone + drums + tone, to: path, sampleRate: sampleRate, format: .wav16)
        let (document, _) = try Atlas.segment(path: path, segmenter: TrackSegmenter())
        assertTiles(document.sections, durationSeconds: 24)
        let found = document.sections.dropFirst().map(\.start)
        XCTAssertEqual(Self.hits(annotated: [8, 16], found: found), 2, "found \(found)")
    }

    /// A file that is not audio is refused with a decoding error.
    func testNotAudioIsRefused() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("notes.flac")
        try Data("not a flac file".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Atlas.segment(path: path, segmenter: TrackSegmenter())) {
            XCTAssertTrue($0 is DecodingError, "\($0)")
        }
    }
}
