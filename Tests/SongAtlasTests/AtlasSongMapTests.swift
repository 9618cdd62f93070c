import Clustering
import Export
import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// `Atlas.songMap` called directly on SampleAudio.
final class AtlasSongMapTests: XCTestCase {
    /// Every song is placed once, on a unit inside the grid, coloured by its playlist.
    func testEverySongSitsOnAUnitInsideTheGrid() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        let map = try Atlas.songMap(tracks, builder: SongMapBuilder(), playlists: PlaylistBuilder())
        XCTAssertEqual(map.songs.map(\.path).sorted(), tracks.map(\.path).sorted())
        XCTAssertGreaterThan(map.width * map.height, 1)
        for song in map.songs {
            XCTAssertTrue((0..<map.width).contains(song.gridX), "\(song.path) at x \(song.gridX) of \(map.width)")
            XCTAssertTrue((0..<map.height).contains(song.gridY), "\(song.path) at y \(song.gridY) of \(map.height)")
            XCTAssertTrue((0..<map.width * map.height).contains(song.unit), "\(song.path) on unit \(song.unit)")
            XCTAssertTrue(map.clusters.indices.contains(song.cluster), "\(song.path) in cluster \(song.cluster)")
        }
        // The colours are the playlists `playlists` makes with the same builder.
        let set = try Atlas.playlists(tracks, builder: PlaylistBuilder()).set
        XCTAssertEqual(map.clusters.count, set.playlists.count)
        XCTAssertEqual(map.codebook.count, map.width * map.height)
        XCTAssertEqual(map.uMatrix.count, map.width * map.height)
    }

    /// No songs is an error that names the problem, not a trap.
    func testNoSongsIsAnErrorNotATrap() {
        XCTAssertThrowsError(try Atlas.songMap([], builder: SongMapBuilder(), playlists: PlaylistBuilder())) { error in
            XCTAssertEqual("\(error)", "no tracks to make playlists from")
        }
    }

    /// Songs of one style sit closer together on the map than songs of different styles, on average.
    func testSameStyleSongsSitCloserThanOthers() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        let labels = try AtlasSampleLibrary.labels()
        let map = try Atlas.songMap(tracks, builder: SongMapBuilder(), playlists: PlaylistBuilder())
        var same: [Double] = [], different: [Double] = []
        for (index, a) in map.songs.enumerated() {
            for b in map.songs[(index + 1)...] {
                let distance = ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
                let styleA = try XCTUnwrap(AtlasSampleLibrary.label(of: a.path, in: labels))
                let styleB = try XCTUnwrap(AtlasSampleLibrary.label(of: b.path, in: labels))
                guard styleA != "structured" && styleB != "structured" else { continue }
                if styleA == styleB { same.append(distance) } else { different.append(distance) }
            }
        }
        let meanSame = same.reduce(0, +) / Double(same.count)
        let meanDifferent = different.reduce(0, +) / Double(different.count)
        XCTAssertEqual(same.count, 15)
        XCTAssertLessThan(meanSame * AtlasSongMapTests.minimumSeparation, meanDifferent)
    }

    /// How many times farther apart different styles sit than one style, at least: with the default
    /// builders the means were 3.54 and 0.67 grid units (5.3 times) on a 5×4 grid when this test was written.
    static let minimumSeparation = 2.5

    /// A grid given is the grid used, and one seed gives one map.
    func testGivenGridAndSeedAreHonoured() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        var builder = SongMapBuilder()
        builder.grid = (width: 5, height: 3)
        builder.seed = 3
        let first = try Atlas.songMap(tracks, builder: builder, playlists: PlaylistBuilder())
        XCTAssertEqual(first.width, 5)
        XCTAssertEqual(first.height, 3)
        let second = try Atlas.songMap(tracks, builder: builder, playlists: PlaylistBuilder())
        XCTAssertEqual(first.songs, second.songs)
    }
}
