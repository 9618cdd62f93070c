@testable import Clustering
import TestSupport
import XCTest

/// Analytic and degenerate cases of the Gaussian mixture, agglomerative
/// clustering, HDBSCAN and PCA (the scikit-learn comparisons are in
/// ``ClustererReferenceTests``).
final class ClustererTests: XCTestCase {
    static let fiveBlobs: [[Float]] = [[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10], [10, 10, 10]]

    // MARK: Gaussian mixture

    func testGaussianMixtureRecoversWellSeparatedBlobs() throws {
        let (data, truth) = KMeansTests.blobs(Self.fiveBlobs, count: 40, spread: 1)
        for kind in CovarianceKind.allCases {
            let result = try GaussianMixture(componentCount: 5, covariance: kind, restarts: 2, seed: 1).fit(data)
            XCTAssertEqual(PartitionAgreement(reference: truth, predicted: result.labels).adjustedRandIndex, 1, "\(kind)")
            XCTAssertEqual(result.weights.reduce(0, +), 1, accuracy: 1e-12)
            for item in 0..<data.rowCount {
                XCTAssertEqual(result.membership(of: item).reduce(0, +), 1, accuracy: 1e-9)
                XCTAssertGreaterThan(result.membership(of: item).max()!, 0.99, "well separated: a sure membership")
            }
        }
    }

    func testTwoOverlappingBlobsShareTheMidpointEqually() throws {
        // Symmetric about 0: points at ±1 ± 0.8 and the midpoint 0 itself.
        var rows: [[Float]] = []
        for offset: Float in stride(from: -0.8, through: 0.8, by: 0.1) {
            rows.append([-1 + offset])
            rows.append([1 + offset])
        }
        rows.append([0])
        // Run to convergence: the symmetric fixed point is where EM ends.
        let result = try GaussianMixture(componentCount: 2, restarts: 3, maximumIterations: 10_000, tolerance: 1e-12, seed: 2)
            .fit(FeatureMatrix(rows: rows))
        XCTAssertTrue(result.converged)
        let midpoint = result.membership(of: rows.count - 1)
        XCTAssertEqual(midpoint[midpoint.startIndex], 0.5, accuracy: 0.02)
        XCTAssertEqual(midpoint[midpoint.startIndex + 1], 0.5, accuracy: 0.02)
        // The outermost points belong clearly to one side.
        XCTAssertGreaterThan(result.membership(of: 0).max()!, 0.9)
    }

    func testGaussianMixtureIsDeterministicForASeedWhateverTheThreads() throws {
        let (data, _) = KMeansTests.blobs([[0, 0], [3, 0], [0, 3]], count: 60, spread: 3)
        let one = try GaussianMixture(componentCount: 3, restarts: 3, seed: 9).fit(data, jobs: 1)
        let two = try GaussianMixture(componentCount: 3, restarts: 3, seed: 9).fit(data, jobs: 2)
        XCTAssertEqual(one, two)
    }

    func testIdenticalItemsAndTooManyComponentsNeverGiveNaN() throws {
        let same = FeatureMatrix(rows: Array(repeating: [1, 2, 3], count: 6))
        for kind in CovarianceKind.allCases {
            let result = try GaussianMixture(componentCount: 3, covariance: kind).fit(same)
            XCTAssertTrue(result.memberships.allSatisfy(\.isFinite), "\(kind)")
            XCTAssertTrue(result.logLikelihood.isFinite)
            XCTAssertEqual(Set(result.labels).count, 1, "identical items share one component")
            XCTAssertTrue(result.notes.contains { $0.contains("stay empty") }, "\(result.notes)")
        }
        let few = FeatureMatrix(rows: [[0, 0], [1, 0], [5, 5]])
        let result = try GaussianMixture(componentCount: 5, covariance: .full).fit(few)
        XCTAssertTrue(result.memberships.allSatisfy(\.isFinite))
        XCTAssertTrue(result.bayesianInformationCriterion.isFinite)
        XCTAssertEqual(Set(result.labels).count, 3)
    }

    func testGaussianMixtureRejectsBadParametersAndStopsOnRequest() {
        let data = FeatureMatrix(rows: [[0], [1], [2]])
        XCTAssertThrowsError(try GaussianMixture(componentCount: 0).fit(data)) {
            XCTAssertEqual("\($0)", "k=0 must be at least 1")
        }
        XCTAssertThrowsError(try GaussianMixture(componentCount: 2, regularization: -1).fit(data))
        XCTAssertThrowsError(try GaussianMixture(componentCount: 1).fit(FeatureMatrix(rows: [[Float.nan]])))
        var stopped = GaussianMixture(componentCount: 2)
        stopped.shouldStop = { true }
        XCTAssertThrowsError(try stopped.fit(data)) { XCTAssertEqual($0 as? ClusteringError, .cancelled) }
    }

    func testBICPrefersTheTrueNumberOfBlobs() throws {
        let (data, _) = KMeansTests.blobs([[0, 0], [8, 0], [0, 8]], count: 50, spread: 1.5)
        let scores = try (1...6).map { k in
            try GaussianMixture(componentCount: k, restarts: 2, seed: 4).fit(data).bayesianInformationCriterion
        }
        XCTAssertEqual(scores.firstIndex(of: scores.min()!)! + 1, 3, "\(scores)")
    }

    // MARK: PCA

    func testPrincipalComponentsFindTheLongAxis() {
        var generator = SeededGenerator(seed: 5)
        let rows: [[Float]] = (0..<400).map { _ in
            let long = Float(generator.nextUnit() - 0.5) * 20
            let short = Float(generator.nextUnit() - 0.5) * 2
            // The long axis is the diagonal (1, 1)/√2.
            return [long * 0.7071068 - short * 0.7071068 + 3, long * 0.7071068 + short * 0.7071068 - 1, 0]
        }
        let pca = PrincipalComponents(fitting: FeatureMatrix(rows: rows), dimension: 2)
        XCTAssertEqual(pca.dimension, 2)
        XCTAssertEqual(abs(pca.components[0]), 0.7071068, accuracy: 1e-3)
        XCTAssertEqual(abs(pca.components[1]), 0.7071068, accuracy: 1e-3)
        XCTAssertEqual(pca.components[2], 0, accuracy: 1e-9)
        // Uniform widths 20 and 2: variances in the ratio 100 : 1.
        XCTAssertEqual(pca.explainedVariance[0] / pca.explainedVariance[1], 100, accuracy: 15)
        XCTAssertEqual(pca.explainedVarianceRatio.reduce(0, +), 1, accuracy: 1e-9)
        let projected = pca.transform(FeatureMatrix(rows: rows))
        XCTAssertEqual(projected.columnCount, 2)
        let meanFirst = (0..<projected.rowCount).reduce(0.0) { $0 + Double(projected[$1, 0]) } / Double(projected.rowCount)
        XCTAssertEqual(meanFirst, 0, accuracy: 1e-4, "projections are centred")
    }

    // MARK: Agglomerative

    func testEveryLinkageRecoversWellSeparatedBlobs() throws {
        let (data, truth) = KMeansTests.blobs(Self.fiveBlobs, count: 30, spread: 1)
        for linkage in Linkage.allCases {
            let tree = try AgglomerativeClustering(linkage: linkage).fit(data)
            XCTAssertEqual(tree.merges.count, data.rowCount - 1)
            XCTAssertEqual(tree.merges.last?.size, data.rowCount)
            XCTAssertEqual(tree.merges.map(\.height), tree.merges.map(\.height).sorted(), "heights increase")
            let labels = tree.labels(clusterCount: 5)
            XCTAssertEqual(PartitionAgreement(reference: truth, predicted: labels).adjustedRandIndex, 1, "\(linkage)")
            XCTAssertEqual(tree.clusterCountAtLargestGap(in: 2...12), 5, "\(linkage): the gap sits above the blobs")
            XCTAssertEqual(tree.leafOrder().sorted(), Array(0..<data.rowCount))
        }
    }

    func testAgglomerativeRefusesHugeInputNamingTheAlternatives() {
        let data = FeatureMatrix(rowCount: AgglomerativeClustering.maximumItemCount + 1, columnCount: 1,
                                 values: [Float](repeating: 0, count: AgglomerativeClustering.maximumItemCount + 1))
        XCTAssertThrowsError(try AgglomerativeClustering().fit(data)) { error in
            XCTAssertTrue("\(error)".contains("use kmeans, gmm or hdbscan"), "\(error)")
        }
    }

    func testAgglomerativeOfOneOrIdenticalItems() throws {
        let one = try AgglomerativeClustering().fit(FeatureMatrix(rows: [[1, 2]]))
        XCTAssertEqual(one.merges.count, 0)
        XCTAssertEqual(one.labels(clusterCount: 3), [0])
        let same = try AgglomerativeClustering(linkage: .average).fit(FeatureMatrix(rows: Array(repeating: [1, 2], count: 4)))
        XCTAssertEqual(same.merges.map(\.height), [0, 0, 0])
    }

    func testWardHeightIsTheIncreaseInSumOfSquares() throws {
        // Two points at distance 2: Ward height = the distance, 2. Joining a third point
        // at distance 3 from their mean: √(2·n₁n₂/(n₁+n₂)) × 3 = √(4/3) × 3.
        let tree = try AgglomerativeClustering(linkage: .ward).fit(FeatureMatrix(rows: [[0, 0], [2, 0], [1, 3]]))
        XCTAssertEqual(tree.merges[0].height, 2, accuracy: 1e-6)
        XCTAssertEqual(tree.merges[1].height, (4.0 / 3).squareRoot() * 3, accuracy: 1e-5)
        XCTAssertEqual(tree.merges[1], Dendrogram.Merge(left: 2, right: 3, height: tree.merges[1].height, size: 3))
    }

    // MARK: HDBSCAN

    func testHDBSCANFindsBlobsAndLeavesOutlyingNoise() throws {
        var (data, truth) = KMeansTests.blobs([[0, 0], [20, 0], [0, 20]], count: 40, spread: 1)
        data = FeatureMatrix(rows: (0..<data.rowCount).map { Array(data.row($0)) } + [[60, 60], [-50, 40]])
        truth += [-1, -1]
        let result = try HDBSCAN(minimumClusterSize: 10).fit(data)
        XCTAssertEqual(result.clusterCount, 3)
        XCTAssertEqual(result.labels[120], Partition.noise)
        XCTAssertEqual(result.labels[121], Partition.noise)
        let clustered = result.labels.indices.filter { result.labels[$0] != Partition.noise }
        XCTAssertEqual(PartitionAgreement(reference: clustered.map { truth[$0] },
                                          predicted: clustered.map { result.labels[$0] }).adjustedRandIndex, 1)
        XCTAssertEqual(try HDBSCAN(minimumClusterSize: 10).fit(data, jobs: 1), result)
    }

    func testHDBSCANOfTooFewItemsIsAllNoise() throws {
        let result = try HDBSCAN(minimumClusterSize: 5).fit(FeatureMatrix(rows: [[0], [1], [2]]))
        XCTAssertEqual(result.clusterCount, 0)
        XCTAssertEqual(result.noiseCount, 3)
        XCTAssertEqual(result.minimumSamples, 3, "clamped to the items")
        XCTAssertEqual(try HDBSCAN().fit(FeatureMatrix(rows: [[4, 4]])).labels, [Partition.noise])
        XCTAssertThrowsError(try HDBSCAN(minimumClusterSize: 1).fit(FeatureMatrix(rows: [[0]]))) {
            XCTAssertEqual("\($0)", "minClusterSize=1 must be at least 2")
        }
    }
}
