import Clustering
import Export
import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// `Atlas.similar` called directly on SampleAudio.
final class AtlasSimilarTests: XCTestCase {
    /// Every SampleAudio clip carries the same artist and album, so the caps are lifted here.
    static let uncapped = SimilarOptions(count: 5, maximumPerArtist: 0, maximumPerAlbum: 0)

    /// The nearest song to a clip of a plain style is another clip of that style.
    func testNearestSongIsOfTheSeedsStyle() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        let labels = try AtlasSampleLibrary.labels()
        var options = Self.uncapped
        options.count = 1
        var misses: [String] = []
        var checked = 0
        for seed in tracks {
            let style = try XCTUnwrap(AtlasSampleLibrary.label(of: seed.path, in: labels))
            guard style != "structured" else { continue }
            let document = try Atlas.similar(tracks, seeds: [seed], options: options)
            let found = document.songs.filter { $0.role == .similar }
            XCTAssertEqual(found.count, 1, seed.path)
            guard let nearest = found.first else { continue }
            checked += 1
            if AtlasSampleLibrary.label(of: nearest.path, in: labels) != style {
                misses.append("\(seed.path) -> \(nearest.path)")
            }
        }
        XCTAssertEqual(checked, 15)
        XCTAssertEqual(misses, [], "nearest songs of another style")
    }

    /// The document lists the seed first, then `count` other songs, nearest first, each with its similarity.
    func testSongsComeNearestFirstWithoutTheSeed() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        let seed = try XCTUnwrap(tracks.first { $0.path.hasSuffix("/dnb-02.flac") })
        let document = try Atlas.similar(tracks, seeds: [seed], options: Self.uncapped)
        XCTAssertEqual(document.kind, .similar)
        XCTAssertEqual(document.songs.first?.path, seed.path)
        XCTAssertEqual(document.songs.first?.role, .seed)
        let found = Array(document.songs.dropFirst())
        XCTAssertEqual(found.count, 5)
        XCTAssertFalse(found.contains { $0.path == seed.path })
        XCTAssertEqual(Set(found.map(\.path)).count, found.count, "a song listed twice")
        let distances = found.compactMap(\.distance)
        XCTAssertEqual(distances.count, found.count)
        XCTAssertEqual(distances, distances.sorted(), "not nearest first")
        for song in found {
            XCTAssertEqual(song.role, .similar)
            XCTAssertEqual(song.seed, seed.path)
            let similarity = try XCTUnwrap(song.similarity)
            XCTAssertTrue((0...1).contains(similarity), "\(similarity)")
        }
        let similarities = found.compactMap(\.similarity)
        XCTAssertEqual(similarities, similarities.sorted(by: >), "similarity must fall as distance grows")
    }

    /// The artist cap holds: SampleAudio has one artist, so a cap of 2 gives at most 2 songs, with a note.
    func testArtistCapLimitsTheSongsAndSaysSo() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        let seed = try XCTUnwrap(tracks.first { $0.path.hasSuffix("/piano-01.flac") })
        var options = Self.uncapped
        options.maximumPerArtist = 2
        let document = try Atlas.similar(tracks, seeds: [seed], options: options)
        XCTAssertEqual(document.songs.filter { $0.role == .similar }.count, 2)
        XCTAssertTrue(document.notes.contains { $0.contains("over the artist or album caps") }, "\(document.notes)")
    }

    /// Two seeds take turns: each gets its nearest song, of its own style, and neither seed is returned.
    func testTwoSeedsEachGetTheirOwnStyle() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        let labels = try AtlasSampleLibrary.labels()
        let seeds = try ["/ambient-01.flac", "/chiptune-01.flac"].map { suffix in
            try XCTUnwrap(tracks.first { $0.path.hasSuffix(suffix) })
        }
        var options = Self.uncapped
        options.count = 2
        let document = try Atlas.similar(tracks, seeds: seeds, options: options)
        XCTAssertEqual(document.songs.prefix(2).map(\.path), seeds.map(\.path))
        let found = document.songs.filter { $0.role == .similar }
        XCTAssertEqual(found.count, 2)
        XCTAssertEqual(Set(found.compactMap(\.seed)), Set(seeds.map(\.path)), "one song per seed")
        for song in found {
            let seed = try XCTUnwrap(song.seed)
            XCTAssertTrue(seeds.map(\.path).contains(seed), seed)
            XCTAssertEqual(AtlasSampleLibrary.label(of: song.path, in: labels),
                           AtlasSampleLibrary.label(of: seed, in: labels), "\(song.path) listed under \(seed)")
        }
    }

    /// No seed, or a count below 1, is refused.
    func testInvalidRequestsAreRefused() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        XCTAssertThrowsError(try Atlas.similar(tracks, seeds: [], options: Self.uncapped))
        var options = Self.uncapped
        options.count = 0
        XCTAssertThrowsError(try Atlas.similar(tracks, seeds: [tracks[0]], options: options))
    }
}
