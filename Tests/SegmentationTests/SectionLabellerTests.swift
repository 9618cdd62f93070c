import Clustering
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// The label stage: repeats share a letter, unlike sections do not, on real
/// tracks with known sections and on small made-up block matrices.
final class SectionLabellerTests: XCTestCase {
    /// Whether two label lists group the positions alike (same letter exactly where the other has the same letter).
    static func sameGrouping(_ found: [String], _ truth: [String]) -> Bool {
        guard found.count == truth.count else { return false }
        for i in found.indices {
            for j in found.indices where (found[i] == found[j]) != (truth[i] == truth[j]) { return false }
        }
        return true
    }

    func testRepeatsOfAStructuredSampleAudioTrackGetOneLetter() throws {
        for name in ["structured-abab", "structured-abaca"] {
            let truth = try SegmenterTests.readSections(
                repositoryRoot.appendingPathComponent("SampleAudio/\(name).sections.tsv").path).map(\.2)
            let result = try TrackSegmenter().segment(path: repositoryRoot.appendingPathComponent("SampleAudio/\(name).flac").path)
            let labels = result.segmentation.sections.map(\.label)
            XCTAssertTrue(Self.sameGrouping(labels, truth), "\(name): found \(labels), true \(truth)")
            XCTAssertLessThan(Set(labels).count, labels.count, "\(name) has a repeated letter")
        }
    }

    func testAThroughComposedTrackKeepsADifferentLetterForEverySection() throws {
        let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
        let truth = try SegmenterTests.readSections(fixtures.appendingPathComponent("track-through-abcd.sections.tsv").path)
        XCTAssertEqual(Set(truth.map(\.2)).count, truth.count, "the reference repeats nothing")
        let result = try TrackSegmenter().segment(path: fixtures.appendingPathComponent("track-through-abcd.flac").path)
        let sections = result.segmentation.sections
        XCTAssertEqual(sections.count, truth.count, "\(sections.map(\.label))")
        XCTAssertEqual(Set(sections.map(\.label)).count, sections.count, "no letter repeats: \(sections.map(\.label))")
        XCTAssertEqual(sections.map(\.label), StructureSegmenter.namesByFirstAppearance(Array(sections.indices)))
    }

    /// Blocks of a made-up piece: each section is its letter's pattern vector plus seeded noise.
    static func blocks(pattern: String, blocksPerSection: Int, dimension: Int, noise: Float) -> (FeatureMatrix, [Range<Int>]) {
        var generator = SeededGenerator(seed: 7)
        var centres: [Character: [Float]] = [:]
        var values: [Float] = []
        var ranges: [Range<Int>] = []
        for letter in pattern {
            if centres[letter] == nil {
                centres[letter] = (0..<dimension).map { _ in Float.random(in: -1...1, using: &generator) }
            }
            ranges.append((ranges.last?.upperBound ?? 0)..<((ranges.last?.upperBound ?? 0) + blocksPerSection))
            for _ in 0..<blocksPerSection {
                values += centres[letter]!.map { $0 + Float.random(in: -noise...noise, using: &generator) }
            }
        }
        return (FeatureMatrix(rowCount: values.count / dimension, columnCount: dimension, values: values), ranges)
    }

    func testEveryComparisonGroupsNoisyRepeatsAndKeepsUnlikeSectionsApart() {
        let (data, ranges) = Self.blocks(pattern: "ABCABDA", blocksPerSection: 40, dimension: 24, noise: 0.3)
        for comparison in [SectionComparison.meanVector, .meanAndSpread, .bestMatch(windowBlocks: 4)] {
            let labels = SectionLabeller(comparison: comparison, threshold: 0.5).labels(blocks: data, ranges: ranges)
            XCTAssertEqual(labels.joined(), "ABCABDA", "\(comparison)")
        }
    }

    func testNoThresholdReachedLeavesEverySectionItsOwnLetter() {
        let (data, ranges) = Self.blocks(pattern: "ABAB", blocksPerSection: 20, dimension: 12, noise: 0.2)
        let labels = SectionLabeller(comparison: .bestMatch(windowBlocks: 4), threshold: 1.01).labels(blocks: data, ranges: ranges)
        XCTAssertEqual(labels, ["A", "B", "C", "D"])
    }

    func testSimilaritiesAreSymmetricWithOnesOnTheDiagonalAndRepeatsAboveOthers() {
        let (data, ranges) = Self.blocks(pattern: "ABA", blocksPerSection: 30, dimension: 16, noise: 0.3)
        let similarity = SectionLabeller.default.similarities(blocks: data, ranges: ranges)
        XCTAssertEqual(similarity.count, 9)
        for i in 0..<3 {
            XCTAssertEqual(similarity[i * 3 + i], 1, accuracy: 1e-12)
            for j in 0..<3 { XCTAssertEqual(similarity[i * 3 + j], similarity[j * 3 + i], accuracy: 1e-12) }
        }
        XCTAssertGreaterThan(similarity[0 * 3 + 2], similarity[0 * 3 + 1] + 0.2, "A with A above A with B")
    }

    func testOneSectionAndEmptyInputsNeedNoComparison() {
        let (data, ranges) = Self.blocks(pattern: "A", blocksPerSection: 5, dimension: 4, noise: 0.1)
        XCTAssertEqual(SectionLabeller.default.labels(blocks: data, ranges: ranges), ["A"])
        XCTAssertEqual(SectionLabeller.default.labels(blocks: data, ranges: []), [])
    }
}
