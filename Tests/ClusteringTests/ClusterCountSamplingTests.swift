@testable import Clustering
import Synchronization
import XCTest

/// ``ClusterCountStrategy`` on a large data set: candidates fitted on a seeded sample, the chosen
/// number fitted once on all rows; below the sample size, the same choice as without sampling.
final class ClusterCountSamplingTests: XCTestCase {
    static let centres: [[Float]] = [[0, 0], [20, 0], [0, 20], [20, 20]]

    /// Records, for each data set it is prepared on, its row count and how many fits it served.
    final class Recorder: Sendable {
        let fits = Mutex<[(rows: Int, count: Int)]>([])
        func prepared(rows: Int) -> Int {
            fits.withLock { $0.append((rows, 0)); return $0.count - 1 }
        }
        func fitted(_ index: Int) { fits.withLock { $0[index].count += 1 } }
    }

    /// A clusterer that fits as `inner` does and tells `recorder` what it fitted.
    struct Recording: Clusterer {
        var inner: any Clusterer
        let recorder: Recorder
        var name: String { inner.name }
        var countStrategy: ClusterCountStrategy? { inner.countStrategy }
        var allowsEmptyClusters: Bool { inner.allowsEmptyClusters }
        func prepare(_ data: FeatureMatrix, jobs: Int) throws(ClusteringError) -> PreparedClustering {
            let prepared = try inner.prepare(data, jobs: jobs)
            let index = recorder.prepared(rows: data.rowCount)
            let recorder = self.recorder
            return PreparedClustering(notes: prepared.notes, mergeTree: prepared.mergeTree) { k throws(ClusteringError) in
                recorder.fitted(index)
                return try prepared.fit(k)
            }
        }
    }

    func choose(_ strategy: ClusterCountStrategy, _ clusterer: some Clusterer, data: FeatureMatrix,
                sampleRows: Int, refit: Bool = true) throws -> ClusterCountStrategy.Choice {
        try strategy.choose(clusterer.prepare(data, jobs: 2), data: data, range: 2...6, distinctItems: data.rowCount,
                            seed: 5, jobs: 2, refitting: refit ? clusterer : nil, sampleRows: sampleRows)
    }

    func testAboveTheSampleSizeCandidatesAreFittedOnTheSampleAndTheChoiceOnAllRows() throws {
        let (data, truth) = KMeansTests.blobs(Self.centres, count: 150, spread: 1.5)
        let cases: [(ClusterCountStrategy, any Clusterer)] = [
            (.silhouette, KMeans(clusterCount: 1, restarts: 3, seed: 2)),
            (.bayesianInformationCriterion, GaussianMixture(componentCount: 1, seed: 1)),
        ]
        for (strategy, inner) in cases {
            let recorder = Recorder()
            let choice = try choose(strategy, Recording(inner: inner, recorder: recorder), data: data, sampleRows: 120)
            XCTAssertEqual(choice.partition.clusterCount, 4, "\(strategy)")
            XCTAssertEqual(choice.partition.labels.count, 600)
            XCTAssertEqual(PartitionAgreement(reference: truth, predicted: choice.partition.labels).adjustedRandIndex, 1,
                           "\(strategy)")
            XCTAssertEqual(choice.scores.map(\.k), Array(2...6))
            XCTAssertTrue(choice.notes.first?.hasPrefix("k=4 chosen on a seeded sample of 120 of the 600 songs") == true,
                          "\(choice.notes)")
            // All rows prepared once and fitted once; the sample prepared once and fitted for each candidate.
            let fits = recorder.fits.withLock { $0 }
            XCTAssertEqual(fits.map(\.rows), [600, 120], "\(strategy)")
            XCTAssertEqual(fits.map(\.count), [1, 5], "\(strategy)")
            // The silhouette scorer given back scores labels of all rows.
            if strategy == .silhouette {
                let scorer = try XCTUnwrap(choice.silhouetteScorer)
                XCTAssertTrue(scorer.rows.allSatisfy { $0 < 600 })
                XCTAssertGreaterThan(scorer.score(labels: choice.partition.labels, clusterCount: 4), 0.7)
            } else {
                XCTAssertNil(choice.silhouetteScorer)
            }
        }
    }

    func testTheSampledChoiceIsDeterministic() throws {
        let (data, _) = KMeansTests.blobs(Self.centres, count: 150, spread: 6)
        let kMeans = KMeans(clusterCount: 1, restarts: 2, seed: 3)
        let first = try choose(.silhouette, kMeans, data: data, sampleRows: 100)
        let second = try choose(.silhouette, kMeans, data: data, sampleRows: 100)
        XCTAssertEqual(first.partition.labels, second.partition.labels)
        XCTAssertEqual(first.scores, second.scores)
        // Another sample (a smaller one) scores other rows.
        let other = try choose(.silhouette, kMeans, data: data, sampleRows: 90)
        XCTAssertNotEqual(other.scores, first.scores)
    }

    func testAtOrBelowTheSampleSizeTheChoiceIsTheOneWithoutSampling() throws {
        let (data, _) = KMeansTests.blobs(Self.centres, count: 40, spread: 4)
        let kMeans = KMeans(clusterCount: 1, restarts: 2, seed: 3)
        let sampled = try choose(.silhouette, kMeans, data: data, sampleRows: 160)
        let plain = try choose(.silhouette, kMeans, data: data, sampleRows: 160, refit: false)
        XCTAssertEqual(sampled.partition.labels, plain.partition.labels)
        XCTAssertEqual(sampled.scores, plain.scores)
        XCTAssertEqual(sampled.notes, plain.notes)
        // The merge-gap rule reads a merge tree of all rows: never sampled.
        let recorder = Recorder()
        let gap = try choose(.largestMergeGap, Recording(inner: AgglomerativeClustering(), recorder: recorder),
                             data: data, sampleRows: 50)
        XCTAssertEqual(gap.partition.clusterCount, 4)
        XCTAssertEqual(recorder.fits.withLock { $0.map(\.rows) }, [160])
    }
}
