import Clustering
import Foundation
import XCTest

/// The cut-selection rules with analytic answers: the kernel cost against its
/// definition, the dynamic programme against every subset, and the failure
/// of one global threshold that the penalised cost fixes.
final class CutSelectionTests: XCTestCase {
    /// Rows drawn around one direction per section (seeded), `rows` per section.
    static func sections(_ means: [[Float]], rows: Int, spread: Float, seed: UInt64) -> FeatureMatrix {
        var generator = SeededGenerator(seed: seed)
        var values: [Float] = []
        for mean in means {
            for _ in 0..<rows {
                for value in mean { values.append(value + spread * Float.random(in: -1...1, using: &generator)) }
            }
        }
        return FeatureMatrix(rowCount: means.count * rows, columnCount: means[0].count, values: values)
    }

    func testKernelCostIsTheScatterOfUnitVectorsAroundTheirMean() {
        let data = Self.sections([[1, 0, 0, 2], [0, 1, 3, 0]], rows: 7, spread: 0.5, seed: 3)
        let cost = KernelSegmentCost(data)
        for (first, last) in [(0, 14), (2, 9), (5, 6), (7, 14)] {
            // Definition: Σ‖uᵢ − ū‖² over unit vectors uᵢ.
            let units = (first..<last).map { row -> [Double] in
                let vector = data.row(row).map(Double.init)
                let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return vector.map { $0 / norm }
            }
            let mean = (0..<data.columnCount).map { column in units.reduce(0) { $0 + $1[column] } / Double(units.count) }
            let expected = units.reduce(0) { total, unit in
                total + zip(unit, mean).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            }
            XCTAssertEqual(cost.cost(first, last), expected, accuracy: 1e-9, "\(first)..<\(last)")
        }
        XCTAssertEqual(cost.scatterPerBlock, cost.cost(0, 14) / 14, accuracy: 1e-12)
    }

    func testDynamicProgrammeFindsTheBestSubsetOfCandidates() {
        let data = Self.sections([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]], rows: 10, spread: 0.6, seed: 9)
        let cost = KernelSegmentCost(data)
        let candidates = [5, 10, 15, 20, 25, 30, 35]
        for penalty in [0.0, 0.5, 2.0, 8.0, 1000.0] {
            let found = StructureSegmenter.optimalCuts(candidates: candidates, blockCount: 40, minimumBlocks: 5,
                                                       penaltyPerCut: penalty, cost: cost.cost)
            // Brute force over every subset (all candidates are 5 apart, so every subset is allowed).
            var best = (total: Double.infinity, cuts: [Int]())
            for mask in 0..<(1 << candidates.count) {
                let cuts = candidates.indices.filter { mask & (1 << $0) != 0 }.map { candidates[$0] }
                let edges = [0] + cuts + [40]
                let total = zip(edges, edges.dropFirst()).reduce(0.0) { $0 + cost.cost($1.0, $1.1) }
                    + penalty * Double(cuts.count)
                if total < best.total - 1e-12 { best = (total, cuts) }
            }
            XCTAssertEqual(found, best.cuts, "penalty \(penalty)")
        }
        // A moderate penalty finds exactly the three true changes.
        XCTAssertEqual(StructureSegmenter.optimalCuts(candidates: candidates, blockCount: 40, minimumBlocks: 5,
                                                      penaltyPerCut: 1.0, cost: cost.cost), [10, 20, 30])
    }

    /// One very strong change and two mild ones: a threshold at a fraction of
    /// the highest novelty peak keeps only the strong one; the penalised cost
    /// keeps all three, because each mild change still explains its sections.
    func testPenalisedCostKeepsMildChangesThatAFractionOfTheHighestPeakLoses() {
        // 4 sections of 40 s, 10 frames a second: A, then A' (mild), then B (strong), then B' (mild).
        var a = [Float](repeating: 0, count: 12)
        a[0] = 1
        a[1] = 1
        var aPrime = a
        aPrime[2] = 0.9
        var b = [Float](repeating: 0, count: 12)
        b[6] = 1
        b[7] = 1
        var bPrime = b
        bPrime[8] = 0.9
        let frames = Self.sections([a, aPrime, b, bPrime], rows: 400, spread: 0.3, seed: 21)
        var segmenter = StructureSegmenter(sectionCount: nil, minimumSectionSeconds: 6)
        segmenter.cutSelection = .fractionOfHighestPeak(0.45)
        let old = segmenter.segment(frames: frames, frameRate: 10, durationSeconds: 160).sections
        segmenter.cutSelection = .default
        let new = segmenter.segment(frames: frames, frameRate: 10, durationSeconds: 160).sections
        XCTAssertLessThan(old.count, 4, "the single threshold was expected to lose a mild change: \(old.map(\.start))")
        XCTAssertEqual(new.count, 4, "\(new.map(\.start))")
        for (section, cut) in zip(new.dropFirst(), [40.0, 80, 120]) {
            XCTAssertEqual(section.start, cut, accuracy: 1)
        }
    }

    func testNoisyButUnchangingMusicIsNotCut() {
        let frames = Self.sections([[1, 0.5, 0.2, 0, 0.3, 0.1]], rows: 1800, spread: 0.4, seed: 5)
        let sections = StructureSegmenter(sectionCount: nil, minimumSectionSeconds: 6)
            .segment(frames: frames, frameRate: 10, durationSeconds: 180).sections
        XCTAssertEqual(sections.count, 1, "\(sections.map(\.start))")
    }
}
