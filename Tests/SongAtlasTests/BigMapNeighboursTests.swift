import Clustering
import Export
import Features
import Foundation
import Library
@testable import SongAtlas
import XCTest

/// The map's neighbour lists, found through the map's units, are the lists `similar`'s ranking gives.
final class BigMapNeighboursTests: XCTestCase {
    /// Songs in four styles, some tagged as the same work, some placed almost on top of another (copies
    /// by distance), one style so tight that a song's first candidates are mostly copies.
    static func library() -> (tracks: [TrackAnalysis], points: FeatureMatrix) {
        var generator = SeededGenerator(seed: 21)
        var rows: [[Float]] = []
        var tracks: [TrackAnalysis] = []
        let centres: [[Float]] = [[0, 0, 0, 0, 0, 0], [5, 0, 2, 0, 0, 1], [0, 6, 0, 1, 3, 0], [9, 9, 9, 9, 9, 9]]
        for index in 0..<420 {
            let style = index % 4
            let spread: Float = style == 3 ? 0.001 : 1
            var row = centres[style].map { $0 + spread * Float(generator.nextUnit() * 2 - 1) }
            if index % 37 == 5 { row = rows[index - 5].map { $0 + 1e-4 } }     // a near copy of an earlier song
            rows.append(row)
            // Every 11th song shares artist and title with the song before it: one work.
            let title = index % 11 == 1 ? "Song \(index - 1)" : "Song \(index)"
            tracks.append(TrackAnalysis(path: "/music/\(index).flac", title: title, artist: "Artist \(index % 13 == 1 ? index - 1 : index)",
                                        format: "FLAC", durationSeconds: 60, sampleRate: 44100, channelCount: 2,
                                        analyzedSeconds: 60, summary: SongSummary(values: [])))
        }
        return (tracks, FeatureMatrix(rows: rows))
    }

    func testEverySongsNeighboursAreTheRankingsWithTheSongAsSeed() throws {
        let (tracks, points) = Self.library()
        let map = try SelfOrganizingMap(width: 7, height: 5).train(points, jobs: 2)
        let scale = Atlas.typicalDistance(points)
        let limits = SimilarityRanking.Limits(maximumPerArtist: 0, maximumPerAlbum: 0,
                                              duplicateDistance: Float(SimilarOptions.defaultDuplicateFraction * scale))
        let groups = SongIdentity.groups(tracks)
        XCTAssertTrue(groups.work.enumerated().contains { $0.offset > 0 && $0.element == groups.work[$0.offset - 1] },
                      "the library has songs of one work")
        for count in [3, 10] {
            let lists = try MapNeighbours.nearest(tracks, points: points, units: map.bestUnits, codebook: map.codebook,
                                                  count: count, jobs: 2, cancellation: .never)
            var skippedSome = false
            for song in 0..<tracks.count {
                let ranked = try SimilarityRanking.nearest(points: points, seeds: [song], count: count, groups: groups,
                                                           limits: limits)
                skippedSome = skippedSome || ranked.skipped.duplicates > 0
                XCTAssertEqual(lists[song].map(\.song), ranked.matches.map(\.index), "song \(song), count \(count)")
                XCTAssertEqual(lists[song].map(\.distance), ranked.matches.map { Double($0.distance) }, "song \(song)")
                for neighbour in lists[song] {
                    XCTAssertEqual(neighbour.similarity, Atlas.similarity(neighbour.distance, scale: scale), accuracy: 1e-12)
                }
            }
            XCTAssertTrue(skippedSome, "some candidates were copies")
        }
    }

    /// Where the 4·count + 32 candidates are all copies, the list still comes out whole (the full ranking).
    func testASongWhoseCandidatesAreAllCopiesStillGetsItsNeighbours() throws {
        var rows: [[Float]] = Array(repeating: [0, 0], count: 60)          // 60 copies of one song
        rows += (1...5).map { [Float($0) * 10, 0] }
        let points = FeatureMatrix(rows: rows)
        let tracks = rows.indices.map {
            TrackAnalysis(path: "/music/\($0).flac", format: "FLAC", durationSeconds: 60, sampleRate: 44100, channelCount: 2,
                          analyzedSeconds: 60, summary: SongSummary(values: []))
        }
        let map = try SelfOrganizingMap(width: 3, height: 2).train(points, jobs: 1)
        let lists = try MapNeighbours.nearest(tracks, points: points, units: map.bestUnits, codebook: map.codebook,
                                              count: 3, jobs: 2, cancellation: .never)
        XCTAssertEqual(lists[0].map(\.song), [60, 61, 62])
        XCTAssertEqual(lists[60].map(\.song), [0, 61, 62])
    }
}
