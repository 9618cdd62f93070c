@testable import Clustering
import Foundation
import XCTest

/// `evaluate segments` counts frames from interval overlaps (``SegmentAgreement/frameRuns(_:frameCount:)``):
/// the counts must equal mir_eval's frame sampling, and the work must not grow with the time span.
final class SegmentAgreementRunTests: XCTestCase {
    /// mir_eval `intervals_to_samples` as it was computed before: one label per 0.1 s frame.
    private func sampledLabels(_ intervals: [Section], end: Double) -> [Int] {
        let count = Int((end / SegmentAgreement.frameSeconds).rounded(.down))
        var names: [String: Int] = ["none": 0]
        var labels = [Int](repeating: 0, count: max(count, 0))
        for interval in intervals {
            let key = interval.label.lowercased()
            let code = names[key] ?? names.count
            names[key] = code
            for index in 0..<labels.count {
                let time = Double(Float(index) * Float(SegmentAgreement.frameSeconds))
                if interval.start <= time && time <= interval.end { labels[index] = code }
            }
        }
        return labels
    }

    /// The frame labels the runs describe.
    private func expanded(_ runs: SegmentAgreement.FrameRuns) -> [Int] {
        var labels: [Int] = []
        for index in runs.starts.indices {
            labels += [Int](repeating: runs.codes[index], count: runs.end(of: index) - runs.starts[index])
        }
        return labels
    }

    /// Random intervals: sorted tilings, gaps, boundaries exactly on frame times, and overlapping
    /// intervals in arbitrary order (where the later one wins), with labels that repeat in any case.
    private func randomIntervals(_ generator: inout SeededGenerator, end: Double) -> [Section] {
        let labels = ["A", "b", "B", "none", "C"]
        var result: [Section] = []
        switch generator.next() % 3 {
        case 0:   // a tiling with cuts on the frame grid (as mir_eval's float32 times round them)
            var time = 0.0
            while time < end {
                let next = min(end, time + Double(Float(Int(generator.next() % 80) + 1) * Float(0.1)))
                result.append(Section(start: time, end: next, label: labels.randomElement(using: &generator)!, confidence: 1))
                time = next
            }
        case 1:   // sorted with gaps, arbitrary times
            var time = Double(generator.next() % 1000) / 997
            while time < end {
                let next = min(end, time + Double(generator.next() % 5000) / 997 + 0.001)
                result.append(Section(start: time, end: next, label: labels.randomElement(using: &generator)!, confidence: 1))
                time = next + Double(generator.next() % 3000) / 997
            }
        default:  // overlapping, in any order
            for _ in 0..<(Int(generator.next() % 12) + 1) {
                let start = Double(generator.next() % max(1, UInt64(end * 1000))) / 1000
                let length = Double(generator.next() % 8000) / 1000
                result.append(Section(start: start, end: start + length, label: labels.randomElement(using: &generator)!,
                                      confidence: 1))
            }
        }
        return result
    }

    func testRunsGiveTheSampledFrameLabels() {
        var generator = SeededGenerator(seed: 23)
        for trial in 0..<300 {
            let end = Double(generator.next() % 600) / 10 + Double(generator.next() % 100) / 997
            let intervals = randomIntervals(&generator, end: end)
            let count = SegmentAgreement.frameCount(end: end)
            let runs = SegmentAgreement.frameRuns(intervals, frameCount: count)
            XCTAssertEqual(expanded(runs), sampledLabels(intervals, end: end), "trial \(trial): \(intervals)")
        }
    }

    func testScoresEqualFrameSampledScores() {
        var generator = SeededGenerator(seed: 20)
        for trial in 0..<200 {
            let end = Double(generator.next() % 900) / 10 + 1
            let reference = SegmentAgreement.adjust(randomIntervals(&generator, end: end), minimum: 0, maximum: nil)
            let referenceEnd = reference.map(\.end).max() ?? 0
            let estimate = SegmentAgreement.adjust(randomIntervals(&generator, end: end), minimum: 0, maximum: referenceEnd)
            let count = SegmentAgreement.frameCount(end: referenceEnd)
            let fromRuns = Contingency(pairCounts: SegmentAgreement.overlaps(
                SegmentAgreement.frameRuns(reference, frameCount: count), SegmentAgreement.frameRuns(estimate, frameCount: count)))
            let sampled = Contingency(sampledLabels(reference, end: referenceEnd), sampledLabels(estimate, end: referenceEnd))
            XCTAssertEqual(fromRuns.total, sampled.total, "trial \(trial)")
            XCTAssertEqual(fromRuns.rowSums, sampled.rowSums, "trial \(trial)")
            XCTAssertEqual(fromRuns.columnSums, sampled.columnSums, "trial \(trial)")
            XCTAssertEqual(fromRuns.cells.map { [$0.row, $0.column, $0.count] }, sampled.cells.map { [$0.row, $0.column, $0.count] },
                           "trial \(trial)")
        }
    }

    /// A reference that ends at 900 000 s is 9 million frames: scored from three runs, not from arrays of frames.
    func testLongSpanIsScoredFromItsSections() {
        let reference = [Section(start: 0, end: 300_000, label: "A", confidence: 1),
                         Section(start: 300_000, end: 900_000, label: "B", confidence: 1)]
        let estimate = [Section(start: 0, end: 450_000, label: "x", confidence: 1),
                        Section(start: 450_000, end: 900_000, label: "y", confidence: 1)]
        let runs = SegmentAgreement.frameRuns(reference, frameCount: SegmentAgreement.frameCount(end: 900_000))
        XCTAssertEqual(runs.starts.count, 2)
        let scores = SegmentAgreement(reference: reference, estimate: estimate)
        // Pairs within the estimate's halves: 2·C(4.5M, 2); shared with the reference: C(3M, 2) + C(1.5M, 2) + C(4.5M, 2).
        func pairs(_ n: Double) -> Double { n * (n - 1) / 2 }
        let frames = 9_000_000.0
        let both = pairs(frames / 3) + pairs(frames / 6) + pairs(frames / 2)
        XCTAssertEqual(scores.pairwise.precision, both / (2 * pairs(frames / 2)), accuracy: 1e-4)
        XCTAssertEqual(scores.pairwise.recall, both / (pairs(frames / 3) + pairs(2 * frames / 3)), accuracy: 1e-4)
        XCTAssertEqual(scores.hitRate3.recall, 2.0 / 3.0, accuracy: 1e-12)
    }

    /// Times no reader lets through still cannot trap the library: non-finite intervals are left out,
    /// and an end of 1e308 is capped in the frame count.
    func testExtremeTimesDoNotTrap() {
        let reference = [Section(start: 0, end: 10, label: "A", confidence: 1),
                         Section(start: 10, end: .nan, label: "B", confidence: 1),
                         Section(start: 10, end: .infinity, label: "C", confidence: 1)]
        let scores = SegmentAgreement(reference: reference, estimate: reference)
        XCTAssertEqual(scores.pairwise.fMeasure, 1, accuracy: 1e-12)
        XCTAssertEqual(SegmentAgreement.frameCount(end: 1e308), 9_007_199_254_740_992)
        XCTAssertEqual(SegmentAgreement.frameCount(end: -5), 0)
        XCTAssertEqual(SegmentAgreement.frameCount(end: .nan), 0)
        let huge = [Section(start: 0, end: 1e308, label: "A", confidence: 1)]
        let runs = SegmentAgreement.frameRuns(huge, frameCount: SegmentAgreement.frameCount(end: 1e308))
        XCTAssertEqual(runs.starts, [0])
    }
}
