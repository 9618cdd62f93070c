import AudioDecoding
import Clustering
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// Segmentation with known answers: the structured SampleAudio tracks (cuts at
/// known times, repeats sharing labels) and collages made here.
final class SegmenterTests: XCTestCase {
    /// Reads `start<TAB>end<TAB>label` lines.
    static func readSections(_ path: String) throws -> [(Double, Double, String)] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: "\t")
            return (Double(fields[0])!, Double(fields[1])!, String(fields[2]))
        }
    }

    func testStructuredSampleAudioIsCutWithinAQuarterSecondAndLabelledRight() throws {
        for name in ["structured-abab", "structured-abca", "structured-abaca"] {
            let audio = repositoryRoot.appendingPathComponent("SampleAudio/\(name).flac").path
            let truth = try Self.readSections(repositoryRoot.appendingPathComponent("SampleAudio/\(name).sections.tsv").path)
            let result = try TrackSegmenter().segment(path: audio)
            let sections = result.segmentation.sections
            XCTAssertEqual(sections.count, truth.count, "\(name): \(sections.map(\.label))")
            guard sections.count == truth.count else { continue }
            for (found, expected) in zip(sections, truth) {
                XCTAssertEqual(found.start, expected.0, accuracy: 0.25, "\(name) cut")
                XCTAssertEqual(found.label, expected.2, "\(name) label at \(expected.0) s")
            }
            XCTAssertEqual(sections.last!.end, truth.last!.1, accuracy: 0.05)
        }
    }

    func testGivenSectionCountIsHonoured() throws {
        var segmenter = TrackSegmenter()
        segmenter.sectionCount = 2
        let result = try segmenter.segment(path: repositoryRoot.appendingPathComponent("SampleAudio/structured-abca.flac").path)
        XCTAssertEqual(result.segmentation.sections.count, 2)
    }

    func testKMeansMethodFindsTheRepeats() throws {
        var segmenter = TrackSegmenter()
        segmenter.method = .kmeans
        let result = try segmenter.segment(path: repositoryRoot.appendingPathComponent("SampleAudio/structured-abab.flac").path)
        let labels = result.segmentation.sections.map(\.label)
        XCTAssertGreaterThanOrEqual(labels.count, 2)
        XCTAssertEqual(labels.first, "A")
    }

    func testShortSilentAndSteadyInputsGiveOneSectionAndANote() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cases: [(String, [Float])] = [
            ("short.wav", Signals.sine(frequency: 440, seconds: 5)),
            ("silence.wav", Signals.silence(seconds: 30)),
            ("tone.wav", Signals.sine(frequency: 440, seconds: 30)),
        ]
        for (name, samples) in cases {
            try AudioFileWriter.write(samples, to: directory.file(name), sampleRate: 22050)
            let result = try TrackSegmenter().segment(path: directory.file(name))
            XCTAssertEqual(result.segmentation.sections.count, 1, name)
            XCTAssertEqual(result.segmentation.sections.first?.label, "A")
            XCTAssertFalse(result.segmentation.notes.isEmpty, "\(name) has no note")
            XCTAssertTrue(result.segmentation.novelty.allSatisfy(\.isFinite))
        }
    }

    func testACollageOfToneAndNoiseIsCutAtTheJoins() throws {
        // 10 s tone, 10 s noise, 10 s tone, 10 s chord: cuts at 10, 20, 30 s; labels A B A C.
        let chord = zip(Signals.sine(frequency: 261.6, seconds: 10), Signals.sine(frequency: 329.6, seconds: 10)).map { $0 + $1 }
        let samples = Signals.sine(frequency: 440, seconds: 10) + Signals.noise(seconds: 10) + Signals.sine(frequency: 440, seconds: 10)
            + chord
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try AudioFileWriter.write(samples, to: directory.file("collage.wav"), sampleRate: 22050)
        let sections = try TrackSegmenter().segment(path: directory.file("collage.wav")).segmentation.sections
        XCTAssertEqual(sections.map(\.label), ["A", "B", "A", "C"])
        for (section, cut) in zip(sections.dropFirst(), [10.0, 20, 30]) {
            XCTAssertEqual(section.start, cut, accuracy: 0.1)
        }
    }
}
