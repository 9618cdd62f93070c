@testable import Clustering
import Foundation
import TestSupport
import XCTest

/// Compares every segmentation score with mir_eval 0.8.2 on committed
/// reference values (`Fixtures/mir_eval-reference.json`, made by
/// `scripts/make-segment-fixtures`; provenance inside the file).
final class MirEvalReferenceTests: XCTestCase {
    struct Reference: Decodable {
        struct Provenance: Decodable { var tool: String; var version: String }
        struct Window: Decodable { var untrimmed: [Double]; var trimmed: [Double] }
        struct Case: Decodable {
            var name: String
            var reference: [[Entry]]
            var estimate: [[Entry]]
            var detection: [String: Window]
            var pairwise: [Double]
            var nce: [Double]
        }
        enum Entry: Decodable {
            case number(Double)
            case text(String)
            init(from decoder: Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Double.self) { self = .number(number) } else {
                    self = .text(try container.decode(String.self))
                }
            }
        }
        var provenance: Provenance
        var cases: [Case]
    }

    static let reference: Reference = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/mir_eval-reference.json")
        return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }()

    static func intervals(_ rows: [[Reference.Entry]]) -> [Section] {
        rows.map { row in
            guard case let .number(start) = row[0], case let .number(end) = row[1], case let .text(label) = row[2] else {
                fatalError("bad fixture row")
            }
            return Section(start: start, end: end, label: label, confidence: 1)
        }
    }

    func testFixturesComeFromPinnedMirEval() {
        XCTAssertEqual(Self.reference.provenance.tool, "mir_eval")
        XCTAssertEqual(Self.reference.provenance.version, "0.8.2")
        XCTAssertGreaterThanOrEqual(Self.reference.cases.count, 12)
    }

    func testEveryScoreMatchesToOneMillionth() {
        for item in Self.reference.cases {
            let scores = SegmentAgreement(reference: Self.intervals(item.reference), estimate: Self.intervals(item.estimate))
            func check(_ ours: PrecisionRecall, _ theirs: [Double], _ what: String) {
                assertClose(ours.precision, theirs[0], tolerance: 1e-6, "\(item.name) \(what) precision")
                assertClose(ours.recall, theirs[1], tolerance: 1e-6, "\(item.name) \(what) recall")
                assertClose(ours.fMeasure, theirs[2], tolerance: 1e-6, "\(item.name) \(what) F")
            }
            check(scores.hitRate05, item.detection["window0.5"]!.untrimmed, "hit rate 0.5 s")
            check(scores.hitRate05Trimmed, item.detection["window0.5"]!.trimmed, "hit rate 0.5 s trimmed")
            check(scores.hitRate3, item.detection["window3"]!.untrimmed, "hit rate 3 s")
            check(scores.hitRate3Trimmed, item.detection["window3"]!.trimmed, "hit rate 3 s trimmed")
            check(scores.pairwise, item.pairwise, "pairwise")
            assertClose(scores.overSegmentation, item.nce[0], tolerance: 1e-6, "\(item.name) over-segmentation")
            assertClose(scores.underSegmentation, item.nce[1], tolerance: 1e-6, "\(item.name) under-segmentation")
            assertClose(scores.entropyF, item.nce[2], tolerance: 1e-6, "\(item.name) NCE F")
        }
    }
}
