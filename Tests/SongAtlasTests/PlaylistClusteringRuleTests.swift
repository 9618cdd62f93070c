import Clustering
import Foundation
import Library
@testable import SongAtlas
import TestSupport
import XCTest

/// The registration of the clusterers (``PlaylistClustering``): which parameter each algorithm
/// uses (the rule the CLI applies to its flags), the builder's refusals, and ``ClusterCountStrategy``
/// across algorithms.
final class PlaylistClusteringRuleTests: XCTestCase {
    func testEachParameterIsUsedByExactlyTheAlgorithmsInTheTable() {
        // One row per parameter: the algorithms that use it, in order kmeans, gmm, agglomerative, hdbscan.
        let table: [(ClusteringParameter, [Bool])] = [
            (.clusterCount, [true, true, true, false]),
            (.countStrategy, [true, true, true, false]),
            (.restarts, [true, true, false, false]),
            (.maximumIterations, [true, true, false, false]),
            (.tolerance, [true, true, false, false]),
            (.covariance, [false, true, false, false]),
            (.principalComponents, [false, true, false, false]),
            (.bridgeThreshold, [false, true, false, false]),
            (.linkage, [false, false, true, false]),
            (.minimumClusterSize, [false, false, false, true]),
            (.minimumSamples, [false, false, false, true]),
        ]
        XCTAssertEqual(table.map(\.0), ClusteringParameter.allCases)
        let algorithms: [PlaylistAlgorithm] = [.kmeans, .gmm, .agglomerative, .hdbscan]
        XCTAssertEqual(algorithms, PlaylistAlgorithm.allCases)
        for (parameter, uses) in table {
            for (algorithm, used) in zip(algorithms, uses) {
                XCTAssertEqual(algorithm.parameters.contains(parameter), used, "\(parameter) for \(algorithm)")
            }
            XCTAssertEqual(parameter.algorithms, zip(algorithms, uses).filter(\.1).map(\.0))
        }
        // The count parameters follow the clusterer itself: only those that take a number use them.
        for algorithm in algorithms {
            let clusterer = algorithm.defaultClustering.clusterer(seed: 0) { false }
            XCTAssertEqual(algorithm.parameters.contains(.clusterCount), clusterer.takesClusterCount, "\(algorithm)")
            XCTAssertEqual(algorithm.countStrategies.first, clusterer.countStrategy, "\(algorithm)")
            XCTAssertEqual(algorithm.defaultClustering.algorithm, algorithm)
        }
    }

    func testTheBuilderRefusesWhatHDBSCANDoesNotUse() throws {
        let (tracks, _) = PlaylistBuilderTests.library(groups: 3, size: 6)
        var builder = PlaylistBuilder()
        builder.clustering = .hdbscan(minimumClusterSize: 3)
        builder.clusterCount = 3
        XCTAssertThrowsError(try builder.build(tracks)) {
            XCTAssertEqual("\($0)", "clusterCount=3 does not apply to hdbscan, which finds the number of playlists itself")
        }
        builder.clusterCount = nil
        builder.countStrategy = .silhouette
        XCTAssertThrowsError(try builder.build(tracks)) {
            XCTAssertEqual("\($0)", "countStrategy=silhouette does not apply to hdbscan, which finds the number of playlists itself")
        }
        builder.countStrategy = nil
        XCTAssertEqual(try builder.build(tracks).playlists.count, 3)
    }

    func testGMMUsesItsIterationsAndTolerance() throws {
        let (tracks, _) = PlaylistBuilderTests.library(groups: 3, size: 6)
        var builder = PlaylistBuilder()
        builder.clusterCount = 3
        builder.clustering = .gmm(restarts: 1, maximumIterations: 1, tolerance: 0)
        let set = try builder.build(tracks)
        XCTAssertTrue(set.notes.contains("EM did not converge in 1 iterations (last change above 0.0)"), "\(set.notes)")
        builder.clustering = .gmm(restarts: 1)
        XCTAssertFalse(try builder.build(tracks).notes.contains { $0.hasPrefix("EM did not converge") })
    }

    func testEveryStrategyThatSuitsAnAlgorithmFindsTheGroups() throws {
        let (tracks, truth) = PlaylistBuilderTests.library(groups: 3, size: 6)
        for algorithm in PlaylistAlgorithm.allCases {
            for strategy in algorithm.countStrategies {
                var builder = PlaylistBuilder()
                builder.clustering = algorithm.defaultClustering
                builder.countStrategy = strategy
                let set = try builder.build(tracks)
                XCTAssertEqual(set.playlists.count, 3, "\(algorithm) \(strategy)")
                XCTAssertEqual(PartitionAgreement(reference: truth, predicted: set.labels).adjustedRandIndex, 1)
                XCTAssertEqual(set.kScores.isEmpty, strategy == .largestMergeGap, "\(algorithm) \(strategy)")
            }
        }
        var unsuited = PlaylistBuilder()
        unsuited.countStrategy = .bayesianInformationCriterion
        XCTAssertThrowsError(try unsuited.build(tracks)) { XCTAssertTrue($0 is ClusteringError, "\($0)") }
    }

    func testCancellingOneJobLeavesAnotherRunning() throws {
        let (tracks, _) = PlaylistBuilderTests.library(groups: 6, size: 40)
        var builder = PlaylistBuilder()
        builder.clustering = .kmeans(restarts: 20)
        builder.jobs = 1
        let reference = try Atlas.playlists(tracks, builder: builder).set
        let shared = builder
        let cancelled = Cancellation()
        let kept = Cancellation()
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 2) { job in
            if job == 0 { cancelled.cancel() }
            do {
                let set = try Atlas.playlists(tracks, builder: shared, cancellation: job == 0 ? cancelled : kept).set
                outcomes.set(job, .success(set.labels))
            } catch {
                outcomes.set(job, .failure(error))
            }
        }
        XCTAssertThrowsError(try outcomes.get(0).get()) { XCTAssertEqual($0 as? ClusteringError, .cancelled) }
        XCTAssertEqual(try outcomes.get(1).get(), reference.labels, "the other job finished as if alone")
        XCTAssertTrue(cancelled.isCancelled)
        XCTAssertFalse(kept.isCancelled)
        Cancellation.never.cancel()
        XCTAssertFalse(Cancellation.never.isCancelled, "never cannot be cancelled")
    }

    func testACancelledAnalysisReachesNoFileAndSaysSo() throws {
        let cancellation = Cancellation()
        cancellation.cancel()
        let library = Atlas.analyzeLibrary(paths: ["SampleAudio"], cache: nil, jobs: 2, cancellation: cancellation)
        XCTAssertTrue(library.interrupted)
        XCTAssertEqual(library.tracks.count, 0)
        let report = Atlas.analyze(paths: ["SampleAudio/piano-01.flac"], cancellation: cancellation)
        XCTAssertEqual(report.tracks.count, 0)
    }

    func testTheGridIsLimitedByTheNumberOfSongs() throws {
        XCTAssertEqual(SongMapBuilder.maximumUnitCount(songCount: 6), 600)
        XCTAssertEqual(SongMapBuilder.maximumUnitCount(songCount: 1), 400)
        XCTAssertEqual(SongMapBuilder.maximumUnitCount(songCount: 10_000), SelfOrganizingMap.maximumUnitCount)
        var builder = SongMapBuilder()
        builder.grid = (500, 500)
        XCTAssertThrowsError(try builder.checkGrid(songCount: 6)) {
            XCTAssertEqual("\($0)", "grid=500x500 has 250000 units; a map of 6 songs may have at most 600 (100 per song, "
                + "at least 400): training time and memory grow with the units, and most would stay empty")
        }
        builder.grid = (30, 20)
        XCTAssertNoThrow(try builder.checkGrid(songCount: 6))
        let (tracks, _) = PlaylistBuilderTests.library(groups: 2, size: 3)
        builder.grid = (25, 25)
        XCTAssertThrowsError(try Atlas.songMap(tracks, builder: builder, playlists: PlaylistBuilder()))
    }
}

/// Each concurrent job's result, by job.
private final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Result<[Int], Error>] = [:]
    func set(_ job: Int, _ result: Result<[Int], Error>) {
        lock.lock()
        results[job] = result
        lock.unlock()
    }
    func get(_ job: Int) -> Result<[Int], Error> {
        lock.lock()
        defer { lock.unlock() }
        return results[job]!
    }
}
