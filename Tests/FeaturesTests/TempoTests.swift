@testable import Features
import TestSupport
import XCTest

final class TempoTests: XCTestCase {
    /// Synthetic drum loops from 60 to 180 BPM: each estimate must be within 2 %
    /// of the true tempo. An exact factor-2 error is a miss and is reported by name.
    func testDrumLoopsFrom60To180BPM() {
        let extractor = FeatureExtractor()
        var misses: [String] = []
        for bpm in stride(from: 60.0, through: 180.0, by: 10.0) + [75, 128, 174] {
            let (_, tempo) = extractor.summarize(samples: Signals.drumLoop(bpm: bpm, seconds: 20))
            let error = abs(tempo.bpm - bpm) / bpm
            if error > 0.02 {
                let ratio = tempo.bpm / bpm
                let kind = abs(ratio - 2) < 0.04 ? "double" : abs(ratio - 0.5) < 0.01 ? "half" : "wrong"
                misses.append("\(bpm) BPM -> \(String(format: "%.2f", tempo.bpm)) (\(kind))")
            }
            XCTAssertGreaterThan(tempo.pulseClarity, 0.2, "\(bpm) BPM clarity")
        }
        XCTAssertEqual(misses, [], "tempo misses: \(misses.joined(separator: ", "))")
    }

    func testNoPulseGivesLowClarity() {
        let (_, tempo) = FeatureExtractor().summarize(samples: Signals.sine(frequency: 440, seconds: 10))
        XCTAssertLessThan(tempo.pulseClarity, 0.2)
    }

    func testShortEnvelopeGivesZero() {
        let estimate = TempoEstimator.estimate(onsetEnvelope: [Float](repeating: 1, count: 50), frameRate: 43.07)
        XCTAssertEqual(estimate, TempoEstimate(bpm: 0, pulseClarity: 0))
    }
}
