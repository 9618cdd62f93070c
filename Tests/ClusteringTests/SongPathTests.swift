@testable import Clustering
import Foundation
import TestSupport
import XCTest

/// ``SongPath``: analytic cases where the best path is known.
final class SongPathTests: XCTestCase {
    /// Songs at x = 0, 1, …, count − 1 on a line, in shuffled row order; returns the points and the row of each x.
    static func shuffledLine(_ count: Int, seed: UInt64 = 1) -> (points: FeatureMatrix, rowOfX: [Int]) {
        var generator = SeededGenerator(seed: seed)
        let order = Array(0..<count).shuffled(using: &generator)  // row r holds x = order[r]
        var rowOfX = [Int](repeating: 0, count: count)
        for (row, x) in order.enumerated() { rowOfX[x] = row }
        return (FeatureMatrix(rows: order.map { [Float($0), 0, 0] }), rowOfX)
    }

    func testAPathAlongALineVisitsEverySongInOrderInEqualSteps() throws {
        let (points, rowOfX) = Self.shuffledLine(21)
        let path = try SongPath.find(points: points, anchors: [rowOfX[0], rowOfX[20]], length: 21)
        XCTAssertEqual(path.rows, rowOfX)
        XCTAssertLessThanOrEqual(maximumDifference(path.steps, [Float](repeating: 1, count: 20)).value, 1e-6)
        XCTAssertEqual(path.evenStep, 1, accuracy: 1e-6)
        XCTAssertEqual(path.largestStep, 1, accuracy: 1e-6)
        XCTAssertEqual(path.meanStep, 1, accuracy: 1e-6)
        XCTAssertEqual(path.gaps, [])
        XCTAssertEqual(path.anchorPositions, [0, 20])
        // A shorter path takes every other song: still even steps.
        let short = try SongPath.find(points: points, anchors: [rowOfX[0], rowOfX[20]], length: 11)
        XCTAssertEqual(short.rows, stride(from: 0, through: 20, by: 2).map { rowOfX[$0] })
        XCTAssertLessThanOrEqual(maximumDifference(short.steps, [Float](repeating: 2, count: 10)).value, 1e-6)
    }

    func testWaypointsSitWhereTheyBelong() throws {
        let (points, rowOfX) = Self.shuffledLine(41)
        // 0 → 30 → 10: the polyline is 30 + 20 = 50 long; 11 songs step 5 apart, 30 at slot 6.
        let path = try SongPath.find(points: points, anchors: [rowOfX[0], rowOfX[30], rowOfX[10]], length: 11)
        let xOfRow = Dictionary(uniqueKeysWithValues: rowOfX.enumerated().map { ($1, $0) })
        let xs = path.rows.map { xOfRow[$0]! }
        // 10 is TO, so slot 2 takes a neighbour of it.
        XCTAssertEqual(xs[0...1] + xs[3...6], [0, 5, 15, 20, 25, 30])
        XCTAssertTrue([9, 11].contains(xs[2]), "\(xs)")
        // On the way back 25, 20 and 15 are taken: the nearest unused songs, one away, are used instead.
        XCTAssertTrue([24, 26].contains(xs[7]) && [19, 21].contains(xs[8]) && [14, 16].contains(xs[9]), "\(xs)")
        XCTAssertEqual(xs[10], 10)
        XCTAssertEqual(path.anchorPositions, [0, 6, 10])
        XCTAssertEqual(Set(path.rows).count, path.rows.count, "no song twice")
        // A waypoint close to FROM comes early, not in the middle.
        let early = try SongPath.find(points: points, anchors: [rowOfX[0], rowOfX[4], rowOfX[40]], length: 11)
        XCTAssertEqual(early.anchorPositions, [0, 1, 10])
    }

    func testAGapWithNothingInBetweenIsReported() throws {
        // Two styles: x in 0…9 and x in 100…109, nothing between.
        let rows: [[Float]] = (0..<10).map { [Float($0)] } + (0..<10).map { [Float(100 + $0)] }
        let path = try SongPath.find(points: FeatureMatrix(rows: rows), anchors: [0, 19], length: 12)
        XCTAssertEqual(Set(path.rows).count, 12)
        XCTAssertEqual(path.gaps.count, 1)
        let gap = path.gaps[0]
        XCTAssertGreaterThan(path.steps[gap], 80)
        XCTAssertEqual(path.largestStep, path.steps[gap])
        // An even library has none.
        let (points, rowOfX) = Self.shuffledLine(30)
        XCTAssertEqual(try SongPath.find(points: points, anchors: [rowOfX[0], rowOfX[29]], length: 12).gaps, [])
    }

    func testEdgeCases() throws {
        let (points, rowOfX) = Self.shuffledLine(5)
        // FROM equal to TO: one song.
        let single = try SongPath.find(points: points, anchors: [rowOfX[2], rowOfX[2]], length: 20)
        XCTAssertEqual(single.rows, [rowOfX[2]])
        XCTAssertEqual(single.steps, [])
        // Longer than the library: every song once.
        let whole = try SongPath.find(points: points, anchors: [rowOfX[0], rowOfX[4]], length: 100)
        XCTAssertEqual(whole.rows, rowOfX)
        // Exactly the anchors: the anchors only.
        let anchorsOnly = try SongPath.find(points: points, anchors: [rowOfX[0], rowOfX[2], rowOfX[4]], length: 3)
        XCTAssertEqual(anchorsOnly.rows, [rowOfX[0], rowOfX[2], rowOfX[4]])
        // Shorter than the anchors: refused, not silently raised (`path -n 1` once returned 2 songs).
        XCTAssertThrowsError(try SongPath.find(points: points, anchors: [rowOfX[0], rowOfX[4]], length: 1)) {
            XCTAssertEqual("\($0)", "length=1 is fewer than the 2 songs the path's ends and waypoints already make")
        }
        XCTAssertEqual(try SongPath.find(points: points, anchors: [rowOfX[3], rowOfX[3]], length: 1).rows, [rowOfX[3]])
        XCTAssertThrowsError(try SongPath.find(points: points, anchors: [0, 1, 0], length: 5))
        XCTAssertThrowsError(try SongPath.find(points: points, anchors: [0, 1], length: 0))
        XCTAssertThrowsError(try SongPath.find(points: points, anchors: [0, 9], length: 3))
    }

    func testThePathBeatsARandomOrderOnRandomData() throws {
        var generator = SeededGenerator(seed: 9)
        let rows = (0..<400).map { _ in (0..<8).map { _ in Float.random(in: -1...1, using: &generator) } }
        let points = FeatureMatrix(rows: rows)
        let path = try SongPath.find(points: points, anchors: [0, 1], length: 20)
        func distance(_ a: Int, _ b: Int) -> Float {
            zip(points.row(a), points.row(b)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        }
        let random = [0] + Array(2..<400).shuffled(using: &generator).prefix(18) + [1]
        let randomSteps = (0..<19).map { distance(random[$0], random[$0 + 1]) }
        XCTAssertLessThan(path.meanStep, randomSteps.reduce(0, +) / 19 * 0.85)
        XCTAssertLessThan(path.largestStep, randomSteps.max()!)
    }
}
