@testable import Clustering
import Foundation
import TestSupport
import XCTest

/// Batch training on a seeded sample (``SelfOrganizingMap/trainingSampleSize``) and the threaded update and evaluation.
final class BigMapSampledTrainingTests: XCTestCase {
    static func blobs(rows perBlob: Int, seed: UInt64) -> FeatureMatrix {
        var generator = SeededGenerator(seed: seed)
        var rows: [[Float]] = []
        for centre in [[0, 0, 0, 0], [8, 0, 1, 0], [0, 8, 0, 2], [5, 5, 5, 5]] as [[Float]] {
            for _ in 0..<perBlob { rows.append(centre.map { $0 + Float(generator.nextUnit() * 2 - 1) }) }
        }
        return FeatureMatrix(rows: rows)
    }

    /// The same seed gives the same map, and every row, sampled or not, sits on its nearest unit by a scan.
    func testSampledTrainingIsSeededAndPlacesEveryRowOnItsBestUnit() throws {
        let data = Self.blobs(rows: 400, seed: 3)
        var map = SelfOrganizingMap(width: 8, height: 5, seed: 7)
        map.trainingSampleSize = 300
        let first = try map.train(data, jobs: 2)
        let again = try map.train(data, jobs: 1)
        XCTAssertEqual(first.codebook, again.codebook)
        XCTAssertEqual(first.bestUnits, again.bestUnits)
        map.seed = 8
        XCTAssertNotEqual(try map.train(data, jobs: 2).codebook, first.codebook, "another seed draws another sample")

        XCTAssertEqual(first.bestUnits.count, data.rowCount)
        var total = 0.0
        for row in 0..<data.rowCount {
            let distances = (0..<first.codebook.rowCount).map { unit in
                zip(data.row(row), first.codebook.row(unit)).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
            }
            let nearest = distances.min()!
            XCTAssertEqual(distances[first.bestUnits[row]], nearest, accuracy: 1e-4 * max(1, nearest), "row \(row)")
            total += distances[first.bestUnits[row]].squareRoot()
        }
        assertClose(first.quantizationError, total / Double(data.rowCount), tolerance: 1e-6, "QE over all rows")
        // Trained on a quarter of the rows, the map fits all of them about as well as one trained on all.
        let full = try SelfOrganizingMap(width: 8, height: 5, seed: 7).train(data, jobs: 2)
        XCTAssertLessThan(first.quantizationError, full.quantizationError * 1.1)
        XCTAssertLessThanOrEqual(first.topographicError, full.topographicError + 0.05)
    }

    /// A sample no smaller than the data is the data: the map is the one trained without a sample.
    func testASampleAsLargeAsTheDataChangesNothing() throws {
        let data = Self.blobs(rows: 50, seed: 5)
        let plain = try SelfOrganizingMap(width: 5, height: 4).train(data)
        for size in [200, 201, 10_000] {
            var map = SelfOrganizingMap(width: 5, height: 4)
            map.trainingSampleSize = size
            let sampled = try map.train(data)
            XCTAssertEqual(sampled.codebook, plain.codebook, "sample of \(size)")
            XCTAssertEqual(sampled.quantizationError, plain.quantizationError)
        }
        var bad = SelfOrganizingMap(width: 5, height: 4)
        bad.trainingSampleSize = 0
        XCTAssertThrowsError(try bad.train(data)) { error in
            XCTAssertEqual("\(error)", "training sample of 0 rows must have at least 1")
        }
    }

    /// The unit updates and the evaluation run on several threads; the map does not depend on how many.
    func testThreadsDoNotChangeTheMap() throws {
        let data = Self.blobs(rows: 300, seed: 9)
        for topology in SOMTopology.allCases {
            let map = SelfOrganizingMap(width: 12, height: 9, topology: topology)
            let one = try map.train(data, jobs: 1)
            let three = try map.train(data, jobs: 3)
            XCTAssertEqual(one.codebook, three.codebook, "\(topology)")
            XCTAssertEqual(one.bestUnits, three.bestUnits, "\(topology)")
            XCTAssertEqual(one.quantizationError, three.quantizationError, "\(topology)")
            XCTAssertEqual(one.topographicError, three.topographicError, "\(topology)")
        }
    }

    /// The automatic grid's size follows all the items when its shape comes from a sample.
    func testAutomaticGridSizeFollowsTheItemCount() {
        let sample = Self.blobs(rows: 100, seed: 1)
        let (width, height) = SelfOrganizingMap.automaticGrid(for: sample, itemCount: 40_000)
        XCTAssertEqual(Double(width * height), 5 * 200, accuracy: 60)
        XCTAssertTrue(SelfOrganizingMap.automaticGrid(for: sample) == SelfOrganizingMap.automaticGrid(for: sample, itemCount: 400))
    }

    /// The search guided by last epoch's units finds what the full scan finds, ties (equal units) included,
    /// whatever the guesses.
    func testGuidedBestUnitSearchEqualsTheScan() throws {
        let data = Self.blobs(rows: 200, seed: 13)
        let map = try SelfOrganizingMap(width: 10, height: 8).train(data, jobs: 2)
        var codebook = map.codebook
        let units = codebook.rowCount
        // The lowest unit that holds rows, and a copy of it as the last unit: the two tie.
        let tied = map.bestUnits.min()!
        for column in 0..<codebook.columnCount { codebook[units - 1, column] = codebook[tied, column] }
        let scan = SelfOrganizingMap.bestUnits(data, codebook: codebook, units: units, jobs: 1)
        XCTAssertTrue(scan.contains(tied), "some rows land on the tied unit")
        XCTAssertFalse(scan.contains(units - 1), "ties go to the lower index")
        var generator = SeededGenerator(seed: 2)
        let guesses: [[Int]] = [map.bestUnits, (0..<data.rowCount).map { _ in Int(generator.nextUnit() * Double(units)) },
                                Array(repeating: units - 1, count: data.rowCount)]
        for (index, guess) in guesses.enumerated() {
            XCTAssertEqual(SelfOrganizingMap.bestUnits(data, codebook: codebook, units: units, jobs: 3, guesses: guess), scan,
                           "guesses \(index)")
        }
    }

    /// The pruned search for the best and second-best units gives the scan's pairs, ties included,
    /// on both topologies; the quality measures that use it are unchanged.
    func testPrunedBestAndSecondUnitsEqualTheScan() throws {
        let data = Self.blobs(rows: 150, seed: 17)
        for topology in SOMTopology.allCases {
            let (width, height) = (11, 7)
            let map = try SelfOrganizingMap(width: width, height: height, topology: topology).train(data, jobs: 2)
            var codebook = map.codebook
            let units = width * height
            let tied = map.bestUnits.min()!
            for column in 0..<codebook.columnCount {
                codebook[units - 1, column] = codebook[tied, column]        // a best unit and its exact copy
                codebook[units - 2, column] = codebook[tied, column]
            }
            let pairs = SelfOrganizingMap.nearestUnitPairs(data, codebook: codebook, width: width, height: height, jobs: 3)
            var tiedRows = 0
            data.values.withUnsafeBufferPointer { x in
                codebook.values.withUnsafeBufferPointer { w in
                    for row in 0..<data.rowCount {
                        let scan = SelfOrganizingMap.nearestUnits(to: x.baseAddress! + row * data.columnCount,
                                                                  codebook: w.baseAddress!, unitCount: units,
                                                                  dimension: data.columnCount)
                        XCTAssertEqual(pairs.best[row], scan.best, "\(topology) row \(row)")
                        XCTAssertEqual(pairs.second[row], scan.second, "\(topology) row \(row)")
                        if scan.best == tied { tiedRows += 1 }
                    }
                }
            }
            XCTAssertGreaterThan(tiedRows, 0)
            let evaluated = SelfOrganizingMap.evaluate(data, codebook: codebook, width: width, height: height,
                                                       topology: topology, jobs: 2)
            XCTAssertEqual(evaluated.bestUnits, pairs.best)
        }
    }
}
