@testable import Clustering
import TestSupport
import XCTest

final class PathOrderingTests: XCTestCase {
    static func randomPoints(_ count: Int, dimension: Int, seed: UInt64) -> FeatureMatrix {
        var generator = SeededGenerator(seed: seed)
        return FeatureMatrix(rows: (0..<count).map { _ in (0..<dimension).map { _ in Float(generator.nextUnit()) } })
    }

    func testPointsOnALineComeOutInLineOrder() {
        // Positions 0...199 along a diagonal, stored shuffled.
        var generator = SeededGenerator(seed: 3)
        let positions = Array(0..<200).shuffled(using: &generator)
        let data = FeatureMatrix(rows: positions.map { [Float($0), 2 * Float($0), -Float($0)] })
        let start = positions.firstIndex(of: 0)!
        let order = PathOrdering.order(Array(0..<200), in: data, startingAt: start)
        XCTAssertEqual(order.map { positions[$0] }, Array(0..<200))
    }

    func testPointsOnACircleAreWalkedAroundIt() {
        // 300 points evenly on a circle: the shortest open path from any point
        // walks around it, 299 chords long.
        let count = 300
        var generator = SeededGenerator(seed: 5)
        let angles = (0..<count).map { 2 * Double.pi * Double($0) / Double(count) }.shuffled(using: &generator)
        let data = FeatureMatrix(rows: angles.map { [Float(cos($0)), Float(sin($0))] })
        let order = PathOrdering.order(Array(0..<count), in: data, startingAt: 17)
        XCTAssertEqual(order.first, 17)
        let chord = 2 * sin(Double.pi / Double(count))
        XCTAssertEqual(PathOrdering.length(order, in: data), Double(count - 1) * chord, accuracy: 1e-3)
    }

    func testGreedyStepIsExactNearestNeighbour() {
        // The neighbour lists only speed the greedy step up: it must equal the
        // plain O(n²) nearest-neighbour walk, ties to the lower index.
        let data = Self.randomPoints(400, dimension: 5, seed: 9)
        let items = Array(0..<400)
        let lists = NeighbourLists(items: items, data: data, count: 4)
        var expected = [0]
        var remaining = Set(1..<400)
        while let next = remaining.min(by: { (lists.distance(expected.last!, $0), $0) < (lists.distance(expected.last!, $1), $1) }) {
            remaining.remove(next)
            expected.append(next)
        }
        XCTAssertEqual(PathOrdering.greedyPath(lists), expected)
    }

    func testTwoOptShortensTheGreedyPathAndKeepsEveryItemOnce() {
        let data = Self.randomPoints(2000, dimension: 2, seed: 12)
        let rows = Array(stride(from: 0, to: 2000, by: 1))
        let lists = NeighbourLists(items: rows, data: data, count: 16)
        let greedy = PathOrdering.greedyPath(lists)
        let order = PathOrdering.order(rows, in: data, startingAt: 0)
        XCTAssertEqual(order.first, 0)
        XCTAssertEqual(order.sorted(), rows)
        // Nearest-neighbour paths are typically 15–25 % above optimal in the
        // plane; 2-opt recovers most of that.
        XCTAssertLessThan(PathOrdering.length(order, in: data), 0.93 * PathOrdering.length(greedy, in: data))
    }

    func testTinyInputs() {
        let data = Self.randomPoints(3, dimension: 2, seed: 1)
        XCTAssertEqual(PathOrdering.order([2], in: data, startingAt: 2), [2])
        XCTAssertEqual(PathOrdering.order([0, 2], in: data, startingAt: 2), [2, 0])
        XCTAssertEqual(Set(PathOrdering.order([0, 1, 2], in: data, startingAt: 1)), [0, 1, 2])
    }

    func testPastTheExactLimitTheOrderIsChunkedAndStaysShort() {
        // 1,200 points in the plane ordered with an exact limit of 150: chunks of about 75.
        let data = Self.randomPoints(1200, dimension: 2, seed: 21)
        let rows = Array(0..<1200)
        let chunked = PathOrdering.order(rows, in: data, startingAt: 7, exactLimit: 150)
        let exact = PathOrdering.order(rows, in: data, startingAt: 7)
        XCTAssertEqual(chunked.first, 7)
        XCTAssertEqual(chunked.sorted(), rows)
        XCTAssertNotEqual(chunked, exact)
        XCTAssertEqual(PathOrdering.order(rows, in: data, startingAt: 7, exactLimit: 150), chunked, "deterministic")
        // Within 25 % of the one-path order, and far shorter than the rows in their stored order.
        let chunkedLength = PathOrdering.length(chunked, in: data)
        XCTAssertLessThan(chunkedLength, 1.25 * PathOrdering.length(exact, in: data))
        XCTAssertLessThan(chunkedLength, 0.1 * PathOrdering.length(rows, in: data))
        // At or under the limit nothing changes.
        XCTAssertEqual(PathOrdering.order(Array(0..<300), in: data, startingAt: 3, exactLimit: 300),
                       PathOrdering.order(Array(0..<300), in: data, startingAt: 3))
    }

    func testEqualRowsPastTheExactLimitAreStillOrdered() {
        // Rows k-means cannot split: consecutive pieces, every item once, the start first.
        let data = FeatureMatrix(rows: Array(repeating: [1, 1], count: 40) + Array(repeating: [5, 5], count: 3))
        let order = PathOrdering.order(Array(0..<43), in: data, startingAt: 41, exactLimit: 8)
        XCTAssertEqual(order.first, 41)
        XCTAssertEqual(order.sorted(), Array(0..<43))
    }
}
