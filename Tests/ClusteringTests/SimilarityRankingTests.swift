@testable import Clustering
import Foundation
import TestSupport
import XCTest

/// ``SimilarityRanking``: plain nearest neighbours against scikit-learn
/// (`Fixtures/sklearn-neighbours.json`, made by `scripts/py make_similarity_fixtures`),
/// and analytic cases for round robin, caps and near-duplicates.
final class SimilarityRankingTests: XCTestCase {
    struct Reference: Decodable {
        struct Provenance: Decodable { var tool: String; var version: String }
        struct Neighbours: Decodable { var seed: Int; var indices: [Int]; var distances: [Float] }
        struct Case: Decodable { var name: String; var k: Int; var data: [[Float]]; var neighbours: [Neighbours] }
        var provenance: Provenance
        var cases: [Case]
    }

    static let reference: Reference = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/sklearn-neighbours.json")
        return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }()

    func testPlainRankingMatchesScikitLearnBruteForce() throws {
        XCTAssertEqual(Self.reference.provenance.tool, "scikit-learn")
        XCTAssertEqual(Self.reference.cases.count, 2)
        for reference in Self.reference.cases {
            let points = FeatureMatrix(rows: reference.data)
            for expected in reference.neighbours {
                let (matches, skipped) = try SimilarityRanking.nearest(
                    points: points, seeds: [expected.seed], count: reference.k,
                    groups: SongGroups(untagged: points.rowCount), limits: .none)
                XCTAssertEqual(matches.map(\.index), expected.indices, "\(reference.name) seed \(expected.seed)")
                XCTAssertLessThanOrEqual(maximumDifference(matches.map(\.distance), expected.distances).value, 1e-4)
                XCTAssertEqual(matches.map(\.seed), [Int](repeating: 0, count: reference.k))
                XCTAssertEqual(skipped, SimilarityRanking.Skipped())
            }
        }
    }

    /// Points on a line at 0, 1, 2, …: the nearest to 0 are 1, 2, 3 in order.
    static func line(_ count: Int, offset: Float = 0) -> [[Float]] { (0..<count).map { [Float($0) + offset, 0] } }

    func testSeveralSeedsTakeTurnsInsteadOfMeetingAtTheCentroid() throws {
        // Two styles far apart (x near 0 and x near 100) and one song half-way, at the centroid.
        let points = FeatureMatrix(rows: Self.line(5) + Self.line(5, offset: 100) + [[50, 0]])
        let (matches, _) = try SimilarityRanking.nearest(
            points: points, seeds: [0, 5], count: 6, groups: SongGroups(untagged: 11), limits: .none)
        XCTAssertEqual(matches.map(\.index), [1, 6, 2, 7, 3, 8])
        XCTAssertEqual(matches.map(\.seed), [0, 1, 0, 1, 0, 1])
        XCTAssertFalse(matches.contains { $0.index == 10 }, "the centroid song is farthest from both seeds")
        // A seed given twice counts once; positions refer to the seeds as given.
        let twice = try SimilarityRanking.nearest(
            points: points, seeds: [0, 0, 5], count: 4, groups: SongGroups(untagged: 11), limits: .none).matches
        XCTAssertEqual(twice.map(\.index), [1, 6, 2, 7])
        XCTAssertEqual(twice.map(\.seed), [0, 2, 0, 2])
    }

    func testASeedWhoseListRunsOutIsSkipped() throws {
        // Seed 0 owns 1…8; seed 9 (far away) owns only song 10.
        let points = FeatureMatrix(rows: Self.line(9) + [[1000, 0], [1001, 0]])
        let matches = try SimilarityRanking.nearest(
            points: points, seeds: [0, 9], count: 5, groups: SongGroups(untagged: 11), limits: .none).matches
        XCTAssertEqual(matches.map(\.index), [1, 10, 2, 3, 4])
    }

    func testCapsPerArtistAndAlbum() throws {
        let points = FeatureMatrix(rows: Self.line(10))
        // Songs 1…6 by artist 0 (1–4 on album 0), the rest by artist 1 on album 1.
        let artist = [9, 0, 0, 0, 0, 0, 0, 1, 1, 1]
        let album = [9, 0, 0, 0, 0, 2, 3, 1, 1, 1]
        let groups = SongGroups(artist: artist, album: album, work: [Int](repeating: SongGroups.unknown, count: 10))
        let capped = try SimilarityRanking.nearest(
            points: points, seeds: [0], count: 5, groups: groups,
            limits: SimilarityRanking.Limits(maximumPerArtist: 3, maximumPerAlbum: 2))
        // 1, 2 (album 0 full), 5 (artist 0 full), then artist 1: 7, 8 (album 1 full).
        XCTAssertEqual(capped.matches.map(\.index), [1, 2, 5, 7, 8])
        XCTAssertEqual(capped.skipped.capped, 3)    // 3, 4 (album), 6 (artist)
        let uncapped = try SimilarityRanking.nearest(
            points: points, seeds: [0], count: 5, groups: groups,
            limits: SimilarityRanking.Limits(maximumPerArtist: 0, maximumPerAlbum: 0))
        XCTAssertEqual(uncapped.matches.map(\.index), [1, 2, 3, 4, 5])
        // Unknown tags are never capped.
        let untagged = try SimilarityRanking.nearest(
            points: points, seeds: [0], count: 5, groups: SongGroups(untagged: 10),
            limits: SimilarityRanking.Limits(maximumPerArtist: 1, maximumPerAlbum: 1))
        XCTAssertEqual(untagged.matches.map(\.index), [1, 2, 3, 4, 5])
    }

    func testNearDuplicatesOfSeedsAndOfEachOtherAreLeftOut() throws {
        // 1 is a copy of the seed (distance 0.01); 3 is a copy of 2; 5 has the seed's work id.
        let points = FeatureMatrix(rows: [[0, 0], [0.01, 0], [1, 0], [1.005, 0], [2, 0], [3, 0], [4, 0]])
        var work = [Int](repeating: SongGroups.unknown, count: 7)
        work[0] = 7
        work[5] = 7
        let groups = SongGroups(artist: [Int](repeating: SongGroups.unknown, count: 7),
                                album: [Int](repeating: SongGroups.unknown, count: 7), work: work)
        let result = try SimilarityRanking.nearest(
            points: points, seeds: [0], count: 4, groups: groups,
            limits: SimilarityRanking.Limits(maximumPerArtist: 0, maximumPerAlbum: 0, duplicateDistance: 0.05))
        XCTAssertEqual(result.matches.map(\.index), [2, 4, 6])
        XCTAssertEqual(result.skipped.duplicates, 3)
        // With the check off only the work id removes a song.
        let off = try SimilarityRanking.nearest(
            points: points, seeds: [0], count: 4, groups: groups,
            limits: SimilarityRanking.Limits(maximumPerArtist: 0, maximumPerAlbum: 0, duplicateDistance: 0))
        XCTAssertEqual(off.matches.map(\.index), [1, 2, 3, 4])
    }

    func testCapsReachBeyondTheFirstSelection() throws {
        // 200 songs by one artist nearest the seed, then 5 by others: the first k = 4·2 + 32 are all capped.
        let points = FeatureMatrix(rows: Self.line(206))
        let artist = [5] + [Int](repeating: 0, count: 200) + [1, 2, 3, 4, 6]
        let groups = SongGroups(artist: artist, album: [Int](repeating: SongGroups.unknown, count: 206),
                                work: [Int](repeating: SongGroups.unknown, count: 206))
        let result = try SimilarityRanking.nearest(
            points: points, seeds: [0], count: 4, groups: groups,
            limits: SimilarityRanking.Limits(maximumPerArtist: 1, maximumPerAlbum: 0))
        XCTAssertEqual(result.matches.map(\.index), [1, 201, 202, 203])
    }

    func testMoreThanTheLibraryReturnsEverySongOnce() throws {
        let points = FeatureMatrix(rows: Self.line(6))
        let result = try SimilarityRanking.nearest(
            points: points, seeds: [2], count: 100, groups: SongGroups(untagged: 6), limits: .none)
        XCTAssertEqual(Set(result.matches.map(\.index)), [0, 1, 3, 4, 5])
        XCTAssertEqual(result.matches.count, 5)
        // Candidates restrict the results.
        let restricted = try SimilarityRanking.nearest(
            points: points, seeds: [2], count: 100, groups: SongGroups(untagged: 6), limits: .none, candidates: [0, 5])
        XCTAssertEqual(restricted.matches.map(\.index), [0, 5])
    }

    func testBadParametersAreRefused() {
        let points = FeatureMatrix(rows: Self.line(4))
        let groups = SongGroups(untagged: 4)
        XCTAssertThrowsError(try SimilarityRanking.nearest(points: points, seeds: [], count: 1, groups: groups))
        XCTAssertThrowsError(try SimilarityRanking.nearest(points: points, seeds: [4], count: 1, groups: groups))
        XCTAssertThrowsError(try SimilarityRanking.nearest(points: points, seeds: [0], count: 0, groups: groups)) {
            XCTAssertEqual("\($0)", "count=0 must be at least 1")
        }
        XCTAssertThrowsError(try SimilarityRanking.nearest(points: points, seeds: [0], count: 1, groups: SongGroups(untagged: 3)))
    }

    func testSmallestSelectsLikeASort() {
        var generator = SeededGenerator(seed: 3)
        let keys = (0..<500).map { _ in Float(Int.random(in: 0..<50, using: &generator)) }
        let rows = Array(0..<500)
        for k in [0, 1, 7, 100, 499, 500, 600] {
            let expected = Array(rows.sorted { (keys[$0], $0) < (keys[$1], $1) }.prefix(k))
            XCTAssertEqual(SimilarityRanking.smallest(k, of: rows, by: keys), expected, "k=\(k)")
        }
    }
}
