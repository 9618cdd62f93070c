@testable import Clustering
import DSP
import Foundation
import Synchronization
import XCTest

/// ``UnitIndexedNeighbours`` gives what a scan of every row gives, whatever the units.
final class UnitIndexedNeighboursTests: XCTestCase {
    /// Three blobs, exact copies (ties at distance 0) and points on a lattice (ties at equal distances).
    static func data() -> FeatureMatrix {
        var generator = SeededGenerator(seed: 11)
        var rows: [[Float]] = []
        for centre in [[0, 0, 0, 0, 0], [6, 1, 0, 2, 0], [0, 7, 3, 0, 1]] as [[Float]] {
            for _ in 0..<120 { rows.append(centre.map { $0 + Float(generator.nextUnit() * 2 - 1) }) }
        }
        for copy in 0..<20 { rows.append(rows[copy * 7]) }
        for x in 0..<5 { for y in 0..<5 { rows.append([Float(x), Float(y), 20, 20, 20]) } }
        return FeatureMatrix(rows: rows)
    }

    /// Every row's `count` nearest others by a scan, sorted by (squared distance, row).
    static func scan(_ data: FeatureMatrix, count: Int) -> [[UnitIndexedNeighbours.Neighbour]] {
        let d = data.columnCount
        return data.values.withUnsafeBufferPointer { x in
            (0..<data.rowCount).map { query in
                (0..<data.rowCount).filter { $0 != query }
                    .map { UnitIndexedNeighbours.Neighbour(
                        index: $0, squaredDistance: VectorKernels.squaredDistance(x.baseAddress! + $0 * d,
                                                                                 x.baseAddress! + query * d, count: d)) }
                    .sorted { ($0.squaredDistance, $0.index) < ($1.squaredDistance, $1.index) }
                    .prefix(count).map { $0 }
            }
        }
    }

    static func search(_ data: FeatureMatrix, units: [Int], codebook: FeatureMatrix, count: Int,
                       jobs: Int) throws -> [[UnitIndexedNeighbours.Neighbour]] {
        let found = Mutex([[UnitIndexedNeighbours.Neighbour]?](repeating: nil, count: data.rowCount))
        try UnitIndexedNeighbours.search(points: data, units: units, codebook: codebook, count: count, jobs: jobs) {
            item, neighbours in
            found.withLock {
                XCTAssertNil($0[item], "row \(item) reported twice")
                $0[item] = neighbours
            }
        }
        return found.withLock { $0 }.enumerated().map { row, list in
            XCTAssertNotNil(list, "row \(row) never reported")
            return list ?? []
        }
    }

    func testATrainedMapsUnitsGiveTheScansNeighbours() throws {
        let data = Self.data()
        let map = try SelfOrganizingMap(width: 6, height: 4).train(data, jobs: 2)
        for count in [1, 12, 72] {
            let expected = Self.scan(data, count: count)
            for jobs in [1, 3] {
                let found = try Self.search(data, units: map.bestUnits, codebook: map.codebook, count: count, jobs: jobs)
                XCTAssertEqual(found, expected, "count \(count), jobs \(jobs)")
            }
        }
    }

    /// Units that fit the data badly (rows dealt out in turn, pivots far away) only make the search slower.
    func testArbitraryUnitsStillGiveTheScansNeighbours() throws {
        let data = Self.data()
        let units = (0..<data.rowCount).map { $0 % 5 }
        let codebook = FeatureMatrix(rows: (0..<5).map { unit in (0..<5).map { Float(unit * 3 - $0) * 4 } })
        let found = try Self.search(data, units: units, codebook: codebook, count: 15, jobs: 2)
        XCTAssertEqual(found, Self.scan(data, count: 15))
    }

    func testMoreNeighboursThanRowsGivesEveryOtherRowAndZeroGivesNone() throws {
        let data = FeatureMatrix(rows: [[0, 0], [3, 4], [1, 0], [0, 1]])
        let codebook = FeatureMatrix(rows: [[0, 0], [3, 4]])
        let units = [0, 1, 0, 0]
        let all = try Self.search(data, units: units, codebook: codebook, count: 10, jobs: 1)
        XCTAssertEqual(all[0].map(\.index), [2, 3, 1])
        XCTAssertEqual(all[0].map(\.squaredDistance), [1, 1, 25])
        XCTAssertEqual(all[1].map(\.index), [3, 2, 0])
        let none = try Self.search(data, units: units, codebook: codebook, count: 0, jobs: 1)
        XCTAssertTrue(none.allSatisfy(\.isEmpty))
    }

    func testBadUnitsAndCancellationThrowInsteadOfTrapping() {
        let data = FeatureMatrix(rows: [[0, 0], [1, 1], [2, 2]])
        let codebook = FeatureMatrix(rows: [[0, 0]])
        XCTAssertThrowsError(try UnitIndexedNeighbours.search(points: data, units: [0, 0, 1], codebook: codebook, count: 1,
                                                              jobs: 1) { _, _ in }) { error in
            XCTAssertEqual("\(error)", "unit 1 is outside the 1 units")
        }
        XCTAssertThrowsError(try UnitIndexedNeighbours.search(points: data, units: [0, 0], codebook: codebook, count: 1,
                                                              jobs: 1) { _, _ in })
        XCTAssertThrowsError(try UnitIndexedNeighbours.search(points: data, units: [0, 0, 0], codebook: codebook, count: 1,
                                                              jobs: 1, shouldStop: { true }) { _, _ in }) { error in
            XCTAssertEqual(error as? ClusteringError, .cancelled)
        }
    }
}
