@testable import Clustering
import Foundation
import TestSupport
import XCTest

/// Compares the Gaussian mixture, agglomerative clustering and HDBSCAN with
/// scikit-learn 1.9.1 on committed reference values
/// (`Fixtures/sklearn-clusterers.json`, made by `scripts/make-clusterer-fixtures`).
final class ClustererReferenceTests: XCTestCase {
    struct Reference: Decodable {
        struct Provenance: Decodable { var tool: String; var version: String }
        struct GMMCase: Decodable {
            var name: String
            var covariance: String
            var k: Int
            var data: [[Float]]
            var initialMeans: [[Float]]
            var logLikelihood: Double
            var bic: Double
            var iterations: Int
            var labels: [Int]
            var memberships: [[Double]]
        }
        struct AgglomerativeCase: Decodable {
            var name: String
            var linkage: String
            var k: Int
            var data: [[Float]]
            var labels: [Int]
            var children: [[Int]]
            var heights: [Double]
        }
        struct HDBSCANCase: Decodable {
            var name: String
            var minClusterSize: Int
            var minSamples: Int?
            var data: [[Float]]
            var labels: [Int]
        }
        var provenance: Provenance
        var gmmCases: [GMMCase]
        var agglomerativeCases: [AgglomerativeCase]
        var hdbscanCases: [HDBSCANCase]
    }

    static let reference: Reference = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/sklearn-clusterers.json")
        return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }()

    func testFixturesComeFromPinnedScikitLearn() {
        XCTAssertEqual(Self.reference.provenance.tool, "scikit-learn")
        XCTAssertEqual(Self.reference.provenance.version, "1.9.1")
        XCTAssertEqual(Self.reference.gmmCases.count, 4)
        XCTAssertEqual(Self.reference.agglomerativeCases.count, 6)
        XCTAssertEqual(Self.reference.hdbscanCases.count, 4)
    }

    func testGaussianMixtureMatchesScikitLearnFromTheSameInitialMeans() throws {
        for item in Self.reference.gmmCases {
            let kind = try XCTUnwrap(CovarianceKind(rawValue: item.covariance))
            for jobs in [1, 2] {
                let result = try GaussianMixture(componentCount: item.k, covariance: kind)
                    .fit(FeatureMatrix(rows: item.data), initialMeans: FeatureMatrix(rows: item.initialMeans), jobs: jobs)
                assertClose(result.logLikelihood, item.logLikelihood, tolerance: 1e-4 * abs(item.logLikelihood),
                            "\(item.name) log-likelihood")
                assertClose(result.bayesianInformationCriterion, item.bic, tolerance: 1e-4 * abs(item.bic),
                            "\(item.name) BIC")
                XCTAssertEqual(result.labels, item.labels, "\(item.name) labels")
                XCTAssertEqual(result.iterations, item.iterations, "\(item.name) iterations")
                for (row, expected) in item.memberships.enumerated() {
                    for (component, value) in expected.enumerated() {
                        assertClose(result.membership(of: row)[row * item.k + component], value, tolerance: 1e-4,
                                    "\(item.name) membership \(row),\(component)")
                    }
                }
            }
        }
    }

    func testAgglomerativeMatchesScikitLearnForEachLinkage() throws {
        for item in Self.reference.agglomerativeCases {
            let linkage = try XCTUnwrap(Linkage(rawValue: item.linkage))
            let tree = try AgglomerativeClustering(linkage: linkage).fit(FeatureMatrix(rows: item.data), jobs: 2)
            XCTAssertEqual(tree.merges.count, item.heights.count, item.name)
            for (merge, expected) in zip(tree.merges, item.heights) {
                assertClose(merge.height, expected, tolerance: 1e-5 * max(expected, 1e-3), "\(item.name) height")
            }
            XCTAssertEqual(tree.merges.map { [$0.left, $0.right] }, item.children, "\(item.name) children")
            XCTAssertEqual(Self.canonical(tree.labels(clusterCount: item.k)), Self.canonical(item.labels),
                           "\(item.name) labels")
        }
    }

    func testHDBSCANMatchesScikitLearnLabels() throws {
        for item in Self.reference.hdbscanCases {
            var hdbscan = HDBSCAN(minimumClusterSize: item.minClusterSize, minimumSamples: item.minSamples)
            hdbscan.shouldStop = { false }
            for jobs in [1, 2] {
                let result = try hdbscan.fit(FeatureMatrix(rows: item.data), jobs: jobs)
                XCTAssertEqual(Self.canonical(result.labels.map { $0 ?? -1 }), Self.canonical(item.labels),
                               "\(item.name) labels")
                XCTAssertEqual(result.clusterCount, Set(item.labels.filter { $0 >= 0 }).count, item.name)
                XCTAssertEqual(result.noiseCount, item.labels.count { $0 < 0 }, "\(item.name) noise")
            }
        }
    }

    /// Labels renumbered by first appearance (noise stays −1), so two labelings of the same partition compare equal.
    static func canonical(_ labels: [Int]) -> [Int] {
        var names: [Int: Int] = [:]
        return labels.map { label in
            guard label >= 0 else { return -1 }
            if let known = names[label] { return known }
            names[label] = names.count
            return names[label]!
        }
    }
}
