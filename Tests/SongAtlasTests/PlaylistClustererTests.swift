import Clustering
import Export
import Features
import Foundation
import Library
@testable import SongAtlas
import TestSupport
import XCTest

/// `PlaylistBuilder` with the GMM, agglomerative and HDBSCAN clusterers:
/// soft memberships and bridges, the dendrogram, the `unsorted` playlist, degenerate libraries.
final class PlaylistClustererTests: XCTestCase {
    static func builder(_ algorithm: PlaylistAlgorithm, k: Int? = nil) -> PlaylistBuilder {
        var builder = PlaylistBuilder()
        switch algorithm {
        case .kmeans: builder.clustering = .kmeans(restarts: 2)
        case .gmm: builder.clustering = .gmm(restarts: 2)
        case .agglomerative, .hdbscan: builder.clustering = algorithm.defaultClustering
        }
        builder.clusterCount = k
        return builder
    }

    func testEveryAlgorithmRecoversSeparatedGroups() throws {
        let (tracks, truth) = PlaylistBuilderTests.library(groups: 4, size: 6)
        for algorithm in PlaylistAlgorithm.allCases {
            var builder = Self.builder(algorithm, k: algorithm == .hdbscan ? nil : 4)
            if algorithm == .hdbscan { builder.clustering = .hdbscan(minimumClusterSize: 3) }
            let set = try builder.build(tracks)
            XCTAssertEqual(set.playlists.count, 4, "\(algorithm)")
            XCTAssertEqual(PartitionAgreement(reference: truth, predicted: set.labels).adjustedRandIndex, 1, "\(algorithm)")
            XCTAssertEqual(set.clustering.algorithm, algorithm)
        }
    }

    func testAutomaticKByBICAndByTheLargestGap() throws {
        let (tracks, _) = PlaylistBuilderTests.library(groups: 3, size: 8)
        let gmm = try Self.builder(.gmm).build(tracks)
        XCTAssertEqual(gmm.playlists.count, 3)
        XCTAssertFalse(gmm.kScores.isEmpty)
        XCTAssertTrue(gmm.kScores.allSatisfy { $0.bic != nil })
        let tree = try Self.builder(.agglomerative).build(tracks)
        XCTAssertEqual(tree.playlists.count, 3)
        XCTAssertTrue(tree.notes.contains { $0.contains("largest gap") }, "\(tree.notes)")
    }

    func testMembershipsCoverEveryPlaylistAndBridgesAreMarked() throws {
        let (tracks, _) = PlaylistBuilderTests.library(groups: 3, size: 6)
        var builder = Self.builder(.gmm, k: 3)
        builder.clustering = .gmm(bridgeThreshold: 0.3, restarts: 2)
        let set = try builder.build(tracks)
        let memberships = try XCTUnwrap(set.memberships)
        XCTAssertEqual(memberships.count, tracks.count)
        for (song, shares) in memberships.enumerated() {
            XCTAssertEqual(shares.count, set.playlists.count)
            XCTAssertEqual(shares.reduce(0, +), 1, accuracy: 1e-9)
            XCTAssertEqual(shares.firstIndex(of: shares.max()!), set.playlistOfTrack[song], "own playlist = highest share")
        }
        // Far-apart groups: nobody is between two.
        XCTAssertFalse(set.playlists.contains { $0.tracks.contains(where: \.bridge) })
        let document = PlaylistDocument(set)
        XCTAssertEqual(document.algorithm, "gmm (diag, bridges at 0.3)")
        XCTAssertEqual(document.playlists[0].tracks[0].membership?.count, 3)
        XCTAssertEqual(document.playlists[0].tracks[0].bridge, false)
    }

    /// A track whose summary is exactly `values` (no noise), tempo and pulse clarity fixed.
    static func exactTrack(_ name: String, first: Float) -> TrackAnalysis {
        var track = PlaylistBuilderTests.track(name, base: [Float](repeating: 0, count: SongSummary.names.count), seed: 1)
        var values = track.summary.values
        for index in values.indices { values[index] = 1 }
        values[0] = first
        values[SummaryLayout.current.index(of: .tempoBPM)] = 120
        values[SummaryLayout.current.index(of: .pulseClarity)] = 0.6
        track.path = "/music/\(name).flac"
        track.summary = SongSummary(values: values)
        return track
    }

    func testASongBetweenTwoGroupsBecomesABridge() throws {
        // Two groups on the first dimension (the others equal for every song) and one song exactly halfway.
        var tracks: [TrackAnalysis] = []
        for (member, offset) in [-1.5, -0.9, -0.3, 0.3, 0.9, 1.5].enumerated() {
            tracks.append(Self.exactTrack("left-\(member)", first: Float(-2.5 + offset)))
            tracks.append(Self.exactTrack("right-\(member)", first: Float(2.5 + offset)))
        }
        tracks.append(Self.exactTrack("middle", first: 0))
        var builder = Self.builder(.gmm, k: 2)
        builder.clustering = .gmm(bridgeThreshold: 0.2, restarts: 2)
        let set = try builder.build(tracks)
        let bridges = set.playlists.flatMap { $0.tracks.filter(\.bridge) }
        let memberships = try XCTUnwrap(set.memberships)
        let middle = memberships[tracks.count - 1]
        XCTAssertGreaterThan(middle.min()!, 0.2, "\(middle)")
        XCTAssertEqual(bridges.map(\.track.title), ["middle"], "\(middle)")
        XCTAssertEqual(bridges.first?.membership, middle)
        XCTAssertEqual(set.playlists.map(\.tracks.count).reduce(0, +), tracks.count + 1, "the bridge appears twice")
        XCTAssertTrue(set.notes.contains { $0.contains("1 song with a second membership") }, "\(set.notes)")
        // Its own playlist is the one of higher membership; the other has it as a bridge.
        let own = try XCTUnwrap(set.playlistOfTrack.last!)
        XCTAssertTrue(set.playlists[own].tracks.contains { $0.track.title == "middle" && !$0.bridge })
    }

    func testHDBSCANNoiseGoesToAnUnsortedPlaylistListedLast() throws {
        var (tracks, _) = PlaylistBuilderTests.library(groups: 2, size: 8)
        let dimensions = SongSummary.names.count
        tracks.append(PlaylistBuilderTests.track("stray", base: [Float](repeating: 40, count: dimensions), seed: 7))
        var builder = Self.builder(.hdbscan)
        builder.clustering = .hdbscan(minimumClusterSize: 4)
        let set = try builder.build(tracks)
        XCTAssertEqual(set.playlists.last?.name, PlaylistBuilder.unsortedName)
        XCTAssertEqual(set.playlists.last?.tracks.map(\.track.title), ["stray"])
        XCTAssertEqual(set.playlists.count, 3)
        XCTAssertEqual(set.labels.last, -1)
        XCTAssertEqual(set.playlistOfTrack.last, 2)
        XCTAssertTrue(set.notes.contains { $0.contains("fit no cluster") }, "\(set.notes)")
    }

    func testHDBSCANWithEverySongNoiseGivesOneUnsortedPlaylist() throws {
        let (tracks, _) = PlaylistBuilderTests.library(groups: 3, size: 2)
        var builder = Self.builder(.hdbscan)
        builder.clustering = .hdbscan(minimumClusterSize: 5)
        let set = try builder.build(tracks)
        XCTAssertEqual(set.playlists.map(\.name), [PlaylistBuilder.unsortedName])
        XCTAssertEqual(set.playlists[0].tracks.count, 6)
        XCTAssertNil(set.quality)
        XCTAssertTrue(set.notes.contains { $0.contains("no cluster of at least 5") }, "\(set.notes)")
    }

    func testOneSongOrIdenticalSongsGiveOnePlaylistForEveryAlgorithm() throws {
        let one = [PlaylistBuilderTests.track("only", base: [Float](repeating: 1, count: SongSummary.names.count), seed: 1)]
        let same = (0..<4).map { index in
            var track = one[0]
            track.path = "/music/same-\(index).flac"
            return track
        }
        for algorithm in PlaylistAlgorithm.allCases {
            for library in [one, same] {
                let set = try Self.builder(algorithm).build(library)
                XCTAssertEqual(set.playlists.count, 1, "\(algorithm), \(library.count) songs")
                XCTAssertEqual(set.playlists[0].tracks.count, library.count)
            }
        }
    }

    func testGMMWithMoreComponentsThanSongsIsRegularisedWithANote() throws {
        let (tracks, _) = PlaylistBuilderTests.library(groups: 2, size: 2)
        let set = try Self.builder(.gmm, k: 6).build(tracks)
        XCTAssertTrue(set.notes.contains { $0.contains("more than the 4 songs") }, "\(set.notes)")
        XCTAssertTrue(set.memberships!.allSatisfy { $0.allSatisfy(\.isFinite) })
        XCTAssertThrowsError(try Self.builder(.kmeans, k: 6).build(tracks))
    }

    func testDendrogramDocumentNamesEveryLeafAndDrawsIt() throws {
        let (tracks, _) = PlaylistBuilderTests.library(groups: 3, size: 4)
        var builder = Self.builder(.agglomerative, k: 3)
        builder.clustering = .agglomerative(linkage: .average)
        let set = try builder.build(tracks)
        let document = try XCTUnwrap(DendrogramDocument(set, tracks: tracks))
        XCTAssertEqual(document.linkage, "average")
        XCTAssertEqual(document.leaves.count, 12)
        XCTAssertEqual(document.merges.count, 11)
        XCTAssertEqual(document.leaves[0].title, "Tester - g0-0")
        XCTAssertEqual(Set(document.leaves.compactMap(\.playlist)), [0, 1, 2])
        let cut = try XCTUnwrap(document.cutHeight)
        XCTAssertGreaterThan(cut, document.merges[8].height)
        XCTAssertLessThan(cut, document.merges[9].height)
        let svg = document.svg()
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertEqual(svg.components(separatedBy: "<path ").count - 1, 11, "one elbow per merge")
        XCTAssertTrue(svg.contains(">Tester - g2-3</text>"))
        XCTAssertNil(DendrogramDocument(try Self.builder(.kmeans, k: 3).build(tracks), tracks: tracks))
    }

    func testCompareRunsEveryClusterer() throws {
        let (tracks, truth) = PlaylistBuilderTests.library(groups: 3, size: 6)
        let labels = Dictionary(uniqueKeysWithValues: zip(tracks.map(\.path), truth.map { "style\($0)" }))
        var builder = PlaylistBuilder()
        builder.clusterCount = 3
        let rows = try Atlas.compareClusterers(tracks, builder: builder, labels: labels)
        XCTAssertEqual(rows.map(\.algorithm), Atlas.comparedClusterings.map(\.summary))
        XCTAssertEqual(rows.count, 7)
        for row in rows where !row.algorithm.hasPrefix("hdbscan") {
            XCTAssertNil(row.failure)
            XCTAssertEqual(row.agreement?.adjustedRandIndex, 1, row.algorithm)
            XCTAssertEqual(row.playlistCount, 3)
        }
    }
}
