import Features
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

/// ``TagNamer`` over both musicnn vocabularies: MSD's genres join MTT's instruments and moods, and a word both can
/// say names a playlist only when both say it.
final class NamingVocabulariesTests: XCTestCase {
    /// A song whose tags are `values` (all others 0.01) under `model`.
    func embedding(_ model: MusicnnModel, _ values: [String: Float]) -> SongEmbedding {
        SongEmbedding(model: model, values: [Float](repeating: 0, count: model.dimension),
                      tagProbabilities: model.tags.map { values[$0] ?? 0.01 }, patchCount: 3)
    }

    /// Three solo piano songs (MTT hears a guitar, MSD does not) and three techno songs.
    func library() -> (mtt: [SongEmbedding], msd: [SongEmbedding]) {
        let piano = embedding(.mtt, ["guitar": 0.42, "piano": 0.34, "slow": 0.40])
        let techno = embedding(.mtt, ["techno": 0.7, "electronic": 0.5, "guitar": 0.05])
        let pianoGenres = embedding(.msd, ["jazz": 0.2, "instrumental": 0.22, "guitar": 0.02])
        let technoGenres = embedding(.msd, ["electronic": 0.5, "party": 0.3, "dance": 0.3])
        return ([piano, piano, piano, techno, techno, techno],
                [pianoGenres, pianoGenres, pianoGenres, technoGenres, technoGenres, technoGenres])
    }

    func testMSDGenresJoinAndAnInstrumentOnlyOneVocabularyHearsIsNotClaimed() {
        let (mtt, msd) = library()
        let alone = TagNamer(mtt).rankedTags(members: [0, 1, 2])
        XCTAssertTrue(alone.contains("guitar"), "MTT alone claims the guitar: \(alone)")
        let both = TagNamer(vocabularies: [mtt, msd])
        let piano = both.rankedTags(members: [0, 1, 2])
        XCTAssertFalse(piano.contains("guitar"), "\(piano)")
        XCTAssertTrue(piano.contains("piano"), "\(piano)")
        XCTAssertTrue(piano.contains("jazz"), "\(piano)")
        // A word both vocabularies say names the playlist once.
        let techno = both.rankedTags(members: [3, 4, 5])
        XCTAssertEqual(techno.filter { $0 == "electronic" }.count, 1, "\(techno)")
        XCTAssertTrue(techno.contains("party"), "\(techno)")
        XCTAssertFalse(techno.contains("dance"), "MSD hears dance, MTT does not: \(techno)")
    }
}
