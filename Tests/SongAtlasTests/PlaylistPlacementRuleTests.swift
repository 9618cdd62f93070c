import Clustering
import Export
import Foundation
@testable import SongAtlas
import XCTest

/// How an update places a new song (each algorithm's own rule) and how a recluster lists what it changed.
final class PlaylistPlacementRuleTests: XCTestCase {
    /// A tight playlist about (0, 0) and a wide one about (10, 10), each a cross of 5 songs.
    func twoPlaylists() -> (labels: [Int], rows: FeatureMatrix) {
        let cross: [[Float]] = [[-1, 0], [1, 0], [0, -1], [0, 1], [0, 0]]
        let rows = cross.map { [0.1 * $0[0], 0.1 * $0[1]] } + cross.map { [10 + 6 * $0[0], 10 + 6 * $0[1]] }
        let labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
        return (labels, FeatureMatrix(rows: rows))
    }

    func testAMixtureUpdatePlacesBySongsPosteriorNotTheNearestMean() throws {
        let (labels, rows) = twoPlaylists()
        // Nearer the tight playlist's mean (3.5 against 10.6), but far outside its spread.
        let song = FeatureMatrix(rows: [[2.5, 2.5]])
        let nearest = PlaylistClustering.kmeans().placement(of: labels, clusterCount: 2, in: rows)
        XCTAssertEqual(try nearest.place(song), [0])
        for covariance in [CovarianceKind.diagonal, .full] {
            let mixture = PlaylistClustering.gmm(covariance: covariance, principalComponents: 16)
                .placement(of: labels, clusterCount: 2, in: rows)
            XCTAssertEqual(try mixture.place(song), [1], "\(covariance)")
            // A song inside the tight playlist stays with it.
            XCTAssertEqual(try mixture.place(FeatureMatrix(rows: [[0.02, 0.01]])), [0], "\(covariance)")
        }
    }

    func testTheMixtureOfAHardPartitionIsItsPlaylistsSharesMeansAndSpreads() {
        let (labels, rows) = twoPlaylists()
        let mixture = GaussianMixtureResult(hardLabels: labels, in: rows, covariance: .diagonal, componentCount: 3,
                                            regularization: 1e-6)
        XCTAssertEqual(mixture.weights[0], 0.5, accuracy: 1e-9)
        XCTAssertEqual(mixture.weights[1], 0.5, accuracy: 1e-9)
        XCTAssertEqual(mixture.weights[2], 0, accuracy: 1e-9, "a playlist without songs weighs nothing")
        XCTAssertEqual(mixture.means[2], 10, accuracy: 1e-6)
        XCTAssertEqual(mixture.means[3], 10, accuracy: 1e-6)
        XCTAssertEqual(mixture.covariances[2], 14.4 + 1e-6, accuracy: 1e-5, "the variance of -6, 6, 0, 0, 0")
        XCTAssertEqual(mixture.predict(rows), labels)
    }

    func testARecluster_sFatesAreListedInTheOrderOfTheEarlierFiles() {
        let changes = PlaylistDocument.Changes(
            mode: .recluster, keptPlaylists: 2,
            split: [.init(id: 3, name: "03 - piano", into: ["03 - piano", "07 - keys"])],
            merged: [.init(id: 5, name: "05 - rock", into: ["02 - metal"]), .init(id: 9, name: "mixed", into: ["02 - metal"])],
            renamed: [.init(id: 1, name: "01 - ambient", into: ["01 - drone"])])
        let ordered = PlaylistUpdate.fatesInFileOrder(changes)
        XCTAssertEqual(ordered.map(\.fate.name), ["01 - ambient", "03 - piano", "05 - rock", "mixed"])
        XCTAssertEqual(ordered.map(\.kind), [.renamed, .split, .merged, .merged])
    }
}
