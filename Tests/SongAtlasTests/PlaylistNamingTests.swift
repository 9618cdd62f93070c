@testable import SongAtlas
import XCTest

/// ``PlaylistNaming``: names no two playlists share, down to the first word; `mixed` when the evidence is weak.
final class PlaylistNamingTests: XCTestCase {
    func testASharedFirstWordGivesWayToTheWordThatSeparates() {
        let names = PlaylistNaming.names([
            .init(words: ["techno", "electronic", "beat"]),
            .init(words: ["techno", "fast", "electronic"]),
            .init(words: ["guitar", "piano", "slow"]),
            .init(words: ["guitar", "classical"]),
        ])
        XCTAssertEqual(names, ["techno, electronic, beat", "fast, techno, electronic", "guitar, piano, slow",
                               "classical, guitar"])
        let firstWords = names.map { $0.split(separator: ",")[0] }
        XCTAssertEqual(Set(firstWords).count, names.count)
    }

    func testNoEvidenceIsSaidPlainlyAndStillDistinct() {
        let names = PlaylistNaming.names([.init(words: []), .init(words: ["piano"]), .init(words: []),
                                          .init(words: ["piano"])])
        XCTAssertEqual(names, ["mixed", "piano", "mixed 2", "mixed 3"])
        XCTAssertEqual(Set(names).count, names.count)
    }

    func testAnArtistOrAlbumThatHoldsMostOfAPlaylistNamesIt() {
        XCTAssertEqual(PlaylistNaming.mostly(artists: ["El Senator", "El Senator", "Other"], albums: [nil, nil, nil]),
                       "El Senator")
        XCTAssertEqual(PlaylistNaming.mostly(artists: ["A", "B", "C"], albums: ["Live", "Live", nil]), "Live")
        XCTAssertNil(PlaylistNaming.mostly(artists: ["A", "A"], albums: [nil, nil]), "two songs are too few")
        XCTAssertNil(PlaylistNaming.mostly(artists: ["A", "B", "C", "D"], albums: [nil, nil, nil, nil]))
        XCTAssertNil(PlaylistNaming.mostly(artists: ["Synth", "Synth", "Synth"], albums: [nil, nil, nil],
                                           library: ["Synth"]), "the whole library's artist sets nothing apart")
        let names = PlaylistNaming.names([.init(words: ["rock", "metal"], mostly: "El Senator"),
                                          .init(words: ["rock", "pop"])])
        XCTAssertEqual(names, ["Mostly El Senator: rock, metal", "pop, rock"])
    }

    func testEveryPlaylistOfABuiltSetHasItsOwnFirstWord() throws {
        let (tracks, _) = PlaylistBuilderTests.library(groups: 6, size: 4)
        var builder = PlaylistBuilder()
        builder.clusterCount = 6
        let set = try builder.build(tracks)
        let firstWords = set.playlists.map { $0.name.dropFirst(5).split(separator: ",")[0] }
        XCTAssertEqual(Set(firstWords).count, set.playlists.count, "\(set.playlists.map(\.name))")
    }
}
