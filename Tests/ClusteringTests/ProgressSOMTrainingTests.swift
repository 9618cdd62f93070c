@testable import Clustering
import Foundation
import TestSupport
import XCTest

/// SOM training reports its progress (for `map`'s live line) without changing its result.
final class ProgressSOMTrainingTests: XCTestCase {
    static let data: FeatureMatrix = {
        var rows: [[Float]] = []
        for row in 0..<60 {
            let x = Float(row % 6)
            let y = Float(row / 6)
            let z = Float((row * 7) % 11)
            rows.append([x, y, z])
        }
        return FeatureMatrix(rows: rows)
    }()

    func testBatchTrainingReportsEveryEpochInOrderAndTheSameMap() throws {
        let map = SelfOrganizingMap(width: 4, height: 3, training: .batch, seed: 2)
        var reports: [(Int, Int)] = []
        let reported = try map.train(Self.data, jobs: 1) { reports.append(($0, $1)) }
        let silent = try map.train(Self.data, jobs: 1)
        XCTAssertEqual(reports.map(\.0), Array(1...max(1, map.epochs)))
        XCTAssertTrue(reports.allSatisfy { $0.1 == max(1, map.epochs) })
        XCTAssertEqual(reported.codebook.values, silent.codebook.values, "progress does not change the map")
    }

    func testOnlineTrainingReportsRisingCountsEndingAtTheTotal() throws {
        var map = SelfOrganizingMap(width: 4, height: 3, training: .online, seed: 9)
        map.iterations = 1000
        var reports: [(Int, Int)] = []
        let reported = try map.train(Self.data, jobs: 1) { reports.append(($0, $1)) }
        let silent = try map.train(Self.data, jobs: 1)
        XCTAssertEqual(reports.map(\.0), [256, 512, 768, 1000])
        XCTAssertTrue(reports.allSatisfy { $0.1 == 1000 })
        XCTAssertEqual(reported.codebook.values, silent.codebook.values)
    }
}
