@testable import Clustering
import XCTest

/// The ``Clusterer`` contract: one ``Partition`` from every algorithm, one encoding of noise,
/// each algorithm's own rule for placing new rows, and ``ClusterCountStrategy`` across algorithms.
final class ClustererContractTests: XCTestCase {
    static let centres: [[Float]] = [[0, 0], [20, 0], [0, 20]]

    /// Three well-separated blobs of 30 and, for each blob, a new row near its centre.
    static func data() -> (FeatureMatrix, truth: [Int], newRows: FeatureMatrix) {
        let (data, truth) = KMeansTests.blobs(centres, count: 30, spread: 1)
        return (data, truth, FeatureMatrix(rows: centres.map { [$0[0] + 0.3, $0[1] - 0.2] }))
    }

    /// The label the partition gave blob `blob`'s members (the same for all of them when the fit is right).
    static func label(ofBlob blob: Int, truth: [Int], partition: Partition) -> Int {
        partition.labels[truth.firstIndex(of: blob)!]
    }

    func assertPlacesNewRowsInTheirBlobs(_ clusterer: some Clusterer, clusterCount: Int = 3,
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        let (data, truth, newRows) = Self.data()
        let partition = try clusterer.fit(data, clusterCount: clusterCount, jobs: 2)
        XCTAssertEqual(PartitionAgreement(reference: truth, predicted: partition.labels).adjustedRandIndex, 1,
                       clusterer.name, file: file, line: line)
        let expected = (0..<3).map { Self.label(ofBlob: $0, truth: truth, partition: partition) }
        XCTAssertEqual(try partition.place(newRows), expected, clusterer.name, file: file, line: line)
        // The fitted rows placed again keep their labels.
        XCTAssertEqual(try partition.place(data), partition.labels, clusterer.name, file: file, line: line)
    }

    func testKMeansPlacesAtTheNearestCentre() throws {
        let (data, _, _) = Self.data()
        let partition = try KMeans(clusterCount: 1, restarts: 3, seed: 4).fit(data, clusterCount: 3, jobs: 2)
        guard case let .nearestCentre(centres) = partition.placement else { return XCTFail("\(partition.placement)") }
        XCTAssertEqual(partition.centres, centres)
        XCTAssertNil(partition.memberships)
        XCTAssertNil(partition.mergeTree)
        // A row halfway between two centres but nearer one goes to that one.
        let nearFirst = FeatureMatrix(rows: [[0.4 * centres[0, 0] + 0.6 * centres[1, 0], 0.4 * centres[0, 1] + 0.6 * centres[1, 1]]])
        XCTAssertEqual(try partition.place(nearFirst), [1])
        try assertPlacesNewRowsInTheirBlobs(KMeans(clusterCount: 1, restarts: 3, seed: 4))
    }

    func testGaussianMixturePlacesByHighestResponsibility() throws {
        let (data, _, _) = Self.data()
        let mixture = GaussianMixture(componentCount: 1, restarts: 2, seed: 1)
        let partition = try mixture.fit(data, clusterCount: 3, jobs: 2)
        guard case let .highestResponsibility(result) = partition.placement else { return XCTFail() }
        XCTAssertEqual(result.predict(data), result.labels, "predict on the fitted rows gives the fit's labels")
        let responsibilities = result.responsibilities(data)
        for (got, want) in zip(responsibilities, result.memberships) { XCTAssertEqual(got, want, accuracy: 1e-9) }
        XCTAssertEqual(partition.memberships?.count, data.rowCount * 3)
        XCTAssertNotNil(partition.bayesianInformationCriterion)
        try assertPlacesNewRowsInTheirBlobs(mixture)
        // Full covariances on principal components: new rows are projected the same way first.
        let projected = ProjectedClusterer(GaussianMixture(componentCount: 1, covariance: .full, restarts: 2, seed: 1),
                                           dimension: 1, subject: "full covariances")
        let onLine = try projected.fit(data, clusterCount: 3, jobs: 2)
        guard case .projected(_, .highestResponsibility) = onLine.placement else { return XCTFail("\(onLine.placement)") }
        XCTAssertEqual(try onLine.place(data), onLine.labels)
        XCTAssertEqual(try projected.prepare(data, jobs: 1).notes.first?.hasPrefix("full covariances fitted on the first 1"),
                       true)
    }

    func testAgglomerativePlacesWithTheNearestMember() throws {
        let partition = try AgglomerativeClustering(linkage: .average).fit(Self.data().0, clusterCount: 3, jobs: 2)
        XCTAssertNotNil(partition.mergeTree)
        XCTAssertEqual(partition.exemplars?.count, 3)
        for (cluster, exemplar) in (partition.exemplars ?? []).enumerated() { XCTAssertEqual(partition.labels[exemplar], cluster) }
        try assertPlacesNewRowsInTheirBlobs(AgglomerativeClustering(linkage: .ward))
        // A row nearer one member of a cluster than any member of another joins that member's cluster,
        // even when it is nearer the other cluster's mean.
        let chain = FeatureMatrix(rows: (0...10).map { [Float($0)] } + [[20], [21]])
        let tree = try AgglomerativeClustering(linkage: .average).fit(chain, clusterCount: 2, jobs: 1)
        XCTAssertNotEqual(tree.labels[10], tree.labels[11])
        // 14.5 is 4.5 from the member 10 but 9.5 from its cluster's mean 5 (6 from the other's, 20.5).
        XCTAssertEqual(try tree.place(FeatureMatrix(rows: [[14.5]])), [tree.labels[10]])
    }

    func testHDBSCANNoiseIsMinusOneAndNewRowsJoinTheNearestCluster() throws {
        var (data, truth, newRows) = Self.data()
        data = FeatureMatrix(rows: (0..<data.rowCount).map { Array(data.row($0)) } + [[80, 80]])
        truth.append(-1)
        let partition = try HDBSCAN(minimumClusterSize: 10).fit(data, clusterCount: 0, jobs: 2)
        XCTAssertEqual(partition.clusterCount, 3)
        XCTAssertEqual(partition.labels.last, Partition.noise)
        XCTAssertEqual(partition.noiseCount, 1)
        let expected = (0..<3).map { Self.label(ofBlob: $0, truth: truth, partition: partition) }
        XCTAssertEqual(try partition.place(newRows), expected)
        // A new row by the noise item is still placed in a cluster (the nearest clustered item's).
        XCTAssertNotEqual(try partition.place(FeatureMatrix(rows: [[79, 79]])), [Partition.noise])
        XCTAssertFalse(HDBSCAN().takesClusterCount)
        // Everything noise: new rows are noise too.
        let none = try HDBSCAN(minimumClusterSize: 5).fit(FeatureMatrix(rows: [[0], [1], [2]]), clusterCount: 0)
        XCTAssertEqual(try none.place(FeatureMatrix(rows: [[1]])), [Partition.noise])
    }

    func testPlacingRowsOfAnotherWidthIsRefused() throws {
        let partition = try KMeans(clusterCount: 1).fit(Self.data().0, clusterCount: 3, jobs: 1)
        XCTAssertThrowsError(try partition.place(FeatureMatrix(rows: [[1, 2, 3]]))) {
            XCTAssertEqual("\($0)", "rows have 3 columns; the partition was fitted on 2")
        }
    }

    func testEveryCountStrategyWorksWithTheClusterersItSuits() throws {
        let (data, truth, _) = Self.data()
        let distinct = data.rowCount
        func choose(_ strategy: ClusterCountStrategy, _ clusterer: some Clusterer) throws -> ClusterCountStrategy.Choice {
            try strategy.choose(clusterer.prepare(data, jobs: 2), data: data, range: 2...6, distinctItems: distinct,
                                seed: 0, jobs: 2)
        }
        let cases: [(ClusterCountStrategy, any Clusterer)] = [
            (.silhouette, KMeans(clusterCount: 1, restarts: 2)), (.silhouette, GaussianMixture(componentCount: 1, seed: 1)),
            (.silhouette, AgglomerativeClustering()), (.bayesianInformationCriterion, GaussianMixture(componentCount: 1, seed: 1)),
            (.largestMergeGap, AgglomerativeClustering()),
        ]
        for (strategy, clusterer) in cases {
            let choice = try choose(strategy, clusterer)
            XCTAssertEqual(choice.partition.clusterCount, 3, "\(strategy) \(clusterer.name)")
            XCTAssertEqual(PartitionAgreement(reference: truth, predicted: choice.partition.labels).adjustedRandIndex, 1)
            XCTAssertEqual(choice.scores.map(\.k), strategy == .largestMergeGap ? [] : Array(2...6))
        }
        XCTAssertThrowsError(try choose(.bayesianInformationCriterion, KMeans(clusterCount: 1))) {
            XCTAssertEqual("\($0)", "choosing k by BIC needs a clusterer with a likelihood, such as gmm")
        }
        XCTAssertThrowsError(try choose(.largestMergeGap, KMeans(clusterCount: 1))) {
            XCTAssertEqual("\($0)", "choosing k at the largest merge gap needs a merge tree, as agglomerative builds")
        }
    }

    func testSilhouetteStrategyMatchesTheKMeansSelection() throws {
        let (data, _, _) = Self.data()
        let template = KMeans(clusterCount: 1, restarts: 3, seed: 9)
        let selection = try ClusterCountSelection.select(data: data, range: 2...5, kMeans: template, jobs: 2)
        let choice = try ClusterCountStrategy.silhouette.choose(template.prepare(data, jobs: 2), data: data, range: 2...5,
                                                                distinctItems: data.rowCount, seed: 9, jobs: 2)
        XCTAssertEqual(choice.scores, selection.scores)
        XCTAssertEqual(choice.partition.labels, selection.best.labels)
    }
}
