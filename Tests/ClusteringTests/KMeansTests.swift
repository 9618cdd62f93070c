@testable import Clustering
import TestSupport
import XCTest

final class KMeansTests: XCTestCase {
    /// `count` points around each of `centres`, with Gaussian-ish noise of `spread`.
    static func blobs(_ centres: [[Float]], count: Int, spread: Float, seed: UInt64 = 1) -> (FeatureMatrix, [Int]) {
        var generator = SeededGenerator(seed: seed)
        var rows: [[Float]] = []
        var labels: [Int] = []
        for (label, centre) in centres.enumerated() {
            for _ in 0..<count {
                rows.append(centre.map { value in
                    // Sum of uniforms: close enough to a Gaussian for a test.
                    let noise = (0..<4).reduce(Float(0)) { sum, _ in sum + Float(generator.nextUnit()) - 0.5 }
                    return value + noise * spread
                })
                labels.append(label)
            }
        }
        return (FeatureMatrix(rows: rows), labels)
    }

    func testWellSeparatedBlobsAreRecoveredExactly() throws {
        let (data, truth) = Self.blobs([[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10], [10, 10, 10]], count: 40, spread: 1)
        let result = try KMeans(clusterCount: 5, seed: 3).fit(data)
        XCTAssertEqual(PartitionAgreement(reference: truth, predicted: result.labels).adjustedRandIndex, 1)
        XCTAssertEqual(ClusterQuality(data: data, labels: result.labels).inertia, result.inertia, accuracy: 1e-6 * result.inertia)
    }

    func testSameSeedGivesSameResultWhateverTheThreadCount() throws {
        let (data, _) = Self.blobs([[0, 0], [3, 0], [0, 3], [3, 3]], count: 50, spread: 3)
        let one = try KMeans(clusterCount: 4, seed: 42).fit(data, jobs: 1)
        let two = try KMeans(clusterCount: 4, seed: 42).fit(data, jobs: 2)
        XCTAssertEqual(one, two)
        let other = try KMeans(clusterCount: 4, restarts: 1, seed: 43).fit(data)
        let again = try KMeans(clusterCount: 4, restarts: 1, seed: 43).fit(data)
        XCTAssertEqual(other, again)
    }

    func testHamerlyGivesTheSameAnswerAsPlainLloyd() throws {
        let (data, _) = Self.blobs([[0, 0, 0, 0], [2, 2, 0, 0], [0, 2, 2, 0]], count: 100, spread: 3, seed: 9)
        var generator = SeededGenerator(seed: 5)
        var run = HamerlyRun(data: data, clusterCount: 6)
        run.seedCentres(using: &generator)
        var lloyd = run
        _ = run.iterate(maximumIterations: 300, shiftThreshold: 0)
        // Plain Lloyd: assign everything exactly, recompute means, until nothing changes.
        for _ in 0..<300 {
            lloyd.assignAll()
            var sums = [Double](repeating: 0, count: 6 * 4)
            var counts = [Int](repeating: 0, count: 6)
            for row in 0..<data.rowCount {
                counts[lloyd.labels[row]] += 1
                for column in 0..<4 { sums[lloyd.labels[row] * 4 + column] += Double(data[row, column]) }
            }
            let before = lloyd.centres
            for centre in 0..<6 where counts[centre] > 0 {
                for column in 0..<4 { lloyd.centres[centre * 4 + column] = Float(sums[centre * 4 + column] / Double(counts[centre])) }
            }
            if before == lloyd.centres { break }
        }
        lloyd.assignAll()
        XCTAssertEqual(run.labels, lloyd.labels)
        XCTAssertEqual(run.exactInertia(), lloyd.exactInertia(), accuracy: 1e-6 * lloyd.exactInertia())
    }

    func testDuplicatePointsAndEmptyClustersDoNotBreakIt() throws {
        // Two distinct points, three clusters: one cluster must come out empty-handed and be re-seeded.
        let data = FeatureMatrix(rows: Array(repeating: [0, 0], count: 10) + Array(repeating: [5, 5], count: 10))
        let result = try KMeans(clusterCount: 3, seed: 1).fit(data)
        XCTAssertEqual(result.inertia, 0, accuracy: 1e-9)
        XCTAssertTrue(result.centroids.values.allSatisfy(\.isFinite))
        // All identical points.
        let same = try KMeans(clusterCount: 2, seed: 1).fit(FeatureMatrix(rows: Array(repeating: [1, 2, 3], count: 5)))
        XCTAssertEqual(same.inertia, 0)
    }

    func testBadParametersAreRejected() {
        let data = FeatureMatrix(rows: [[0], [1], [2]])
        XCTAssertThrowsError(try KMeans(clusterCount: 4).fit(data)) {
            XCTAssertEqual($0 as? ClusteringError, .tooFewItems(itemCount: 3, clusterCount: 4))
        }
        XCTAssertThrowsError(try KMeans(clusterCount: 0).fit(data))
        XCTAssertThrowsError(try KMeans(clusterCount: 2, restarts: 0).fit(data))
        XCTAssertThrowsError(try KMeans(clusterCount: 1).fit(FeatureMatrix(rows: [[0], [.nan]]))) {
            XCTAssertEqual($0 as? ClusteringError, .nonFiniteValue(row: 1, column: 0))
        }
    }

    func testSilhouetteWithOneOccupiedClusterIsZeroNotNaN() {
        // k-means can leave every item in one cluster (identical items); the
        // silhouette is then undefined, and 0 rather than NaN (a fuzzer finding).
        let (data, _) = Self.blobs([[0, 0], [5, 5]], count: 10, spread: 0.5)
        let scorer = SilhouetteScorer(data: data)
        XCTAssertEqual(scorer.score(labels: [Int](repeating: 1, count: 20), clusterCount: 3), 0)
        XCTAssertEqual(scorer.score(labels: Array(0..<20), clusterCount: 20), 0)
        XCTAssertGreaterThan(scorer.score(labels: (0..<20).map { $0 < 10 ? 0 : 1 }, clusterCount: 2), 0.8)
    }

    func testOneClusterIsTheMean() throws {
        let result = try KMeans(clusterCount: 1).fit(FeatureMatrix(rows: [[0, 0], [2, 0], [0, 2], [2, 2]]))
        XCTAssertEqual(Array(result.centroids.values), [1, 1])
        XCTAssertEqual(result.inertia, 8, accuracy: 1e-9)
    }
}
