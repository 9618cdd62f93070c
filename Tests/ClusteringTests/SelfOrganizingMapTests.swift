@testable import Clustering
import Foundation
import TestSupport
import XCTest

final class SelfOrganizingMapTests: XCTestCase {
    struct Reference: Decodable {
        struct Provenance: Decodable { var tool: String; var version: String }
        struct Case: Decodable {
            var name: String
            var topology: String
            var rows: Int
            var columns: Int
            var data: [[Float]]
            var weights: [[Float]]
            var unitPositions: [[Double]]
            var quantizationError: Double
            var topographicError: Double
            var winners: [[Int]]
            var distanceMap: [Double]
        }
        var provenance: Provenance
        var cases: [Case]
    }

    static let reference: Reference = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/minisom-reference.json")
        return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }()

    /// Quality measures and U-matrix of given codebooks, against MiniSom 2.3.6.
    func testQualityAndUMatrixMatchMiniSom() {
        XCTAssertEqual(Self.reference.provenance.tool, "minisom")
        for item in Self.reference.cases {
            let topology = SOMTopology(rawValue: item.topology)!
            let result = SelfOrganizingMap.evaluate(
                FeatureMatrix(rows: item.data), codebook: FeatureMatrix(rows: item.weights),
                width: item.rows, height: item.columns, topology: topology)
            assertClose(result.quantizationError, item.quantizationError, tolerance: 1e-6, "\(item.name) QE")
            assertClose(result.topographicError, item.topographicError, tolerance: 1e-9, "\(item.name) TE")
            XCTAssertEqual(result.bestUnits, item.winners.map { $0[0] * item.columns + $0[1] }, "\(item.name) winners")
            for (ours, theirs) in zip(result.uMatrix, item.distanceMap) {
                assertClose(ours, theirs, tolerance: 1e-6, "\(item.name) U-matrix")
            }
            for unit in 0..<(item.rows * item.columns) {
                let position = result.position(ofUnit: unit)
                assertClose(position.x, item.unitPositions[unit][0], tolerance: 1e-9, "\(item.name) x of \(unit)")
                assertClose(position.y, item.unitPositions[unit][1], tolerance: 1e-9, "\(item.name) y of \(unit)")
            }
        }
    }

    func testSeparatedBlobsLandInSeparateRegionsWithLowErrors() throws {
        var generator = SeededGenerator(seed: 4)
        var rows: [[Float]] = []
        for centre in [[0, 0, 0], [8, 0, 0], [0, 8, 0]] as [[Float]] {
            for _ in 0..<40 { rows.append(centre.map { $0 + Float(generator.nextUnit() - 0.5) }) }
        }
        let data = FeatureMatrix(rows: rows)
        for training in SOMTraining.allCases {
            let result = try SelfOrganizingMap(width: 6, height: 5, training: training, seed: 1).train(data)
            let units = (0..<3).map { blob in Set(result.bestUnits[(blob * 40)..<((blob + 1) * 40)]) }
            XCTAssertTrue(units[0].isDisjoint(with: units[1]) && units[1].isDisjoint(with: units[2])
                          && units[0].isDisjoint(with: units[2]), "\(training): blobs share units")
            XCTAssertLessThan(result.quantizationError, 1.0, "\(training)")
            XCTAssertLessThanOrEqual(result.topographicError, 0.1, "\(training)")
            XCTAssertTrue(result.uMatrix.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        }
    }

    func testSameSeedSameMapAndDegenerateData() throws {
        let data = FeatureMatrix(rows: (0..<30).map { [Float($0 % 7), Float($0 % 3)] })
        var map = SelfOrganizingMap(width: 4, height: 3, training: .online, seed: 9)
        map.iterations = 500
        XCTAssertEqual(try map.train(data).codebook, try map.train(data).codebook)
        // One item, and identical items: still a valid map.
        let one = try SelfOrganizingMap(width: 2, height: 2).train(FeatureMatrix(rows: [[1, 2, 3]]))
        XCTAssertTrue(one.codebook.values.allSatisfy(\.isFinite))
        let same = try SelfOrganizingMap(width: 3, height: 3).train(FeatureMatrix(rows: Array(repeating: [1, 1], count: 5)))
        XCTAssertEqual(same.quantizationError, 0, accuracy: 1e-6)
        XCTAssertTrue(same.uMatrix.allSatisfy(\.isFinite))
    }

    func testAutomaticGridHasAboutFiveRootNUnits() {
        var generator = SeededGenerator(seed: 2)
        let data = FeatureMatrix(rows: (0..<400).map { _ in
            [Float(generator.nextUnit() * 10), Float(generator.nextUnit() * 2), Float(generator.nextUnit())]
        })
        let (width, height) = SelfOrganizingMap.automaticGrid(for: data)
        XCTAssertEqual(Double(width * height), 100, accuracy: 20)
        XCTAssertGreaterThan(width, height)       // the long side follows the first component
    }
}
