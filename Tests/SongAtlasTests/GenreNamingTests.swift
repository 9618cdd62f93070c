import Features
import Library
@testable import SongAtlas
import XCTest

/// The files' own genre tags in playlist names: a genre most of a playlist carries is its first word, ahead of
/// the models' words; a minority genre is not used; first words stay unshared.
final class GenreNamingTests: XCTestCase {
    func testAGenreNamesAPlaylistOnlyWhereItHoldsTheShare() {
        XCTAssertEqual(PlaylistNaming.majorityGenre(["Jazz", "jazz ", "JAZZ", nil, "Rock"]), "jazz")
        // Spellings of one genre count together; the name uses the spelling most songs have.
        XCTAssertEqual(PlaylistNaming.majorityGenre(["Hip Hop", "Hip-Hop", "hip  hop", nil, "Rock"]), "hip hop")
        XCTAssertEqual(PlaylistNaming.majorityGenre(["Rock; Pop", "Rock", "rock"]), "rock", "a tag's first value")
        XCTAssertNil(PlaylistNaming.majorityGenre(["Jazz", "Jazz", "Rock", "Rock", nil]), "40 % is a minority")
        XCTAssertNil(PlaylistNaming.majorityGenre(["Jazz", nil, nil]))
        XCTAssertNil(PlaylistNaming.majorityGenre(["Jazz"]), "one song is too few")
        XCTAssertNil(PlaylistNaming.majorityGenre(["Unknown", "unknown", "Other"]), "placeholders say nothing")
        XCTAssertNil(PlaylistNaming.majorityGenre(["17", "17", "17"]), "a bare ID3v1 number is no word")
        XCTAssertEqual(PlaylistNaming.majorityGenre(["Jazz", "Jazz", "Jazz", nil, nil]), "jazz", "60 % is enough")
    }

    func testTheGenreComesFirstAndTwoPlaylistsOfOneGenreAreToldApart() {
        let names = PlaylistNaming.names([
            .init(words: ["piano", "slow"], mostly: nil, genre: "jazz"),
            .init(words: ["saxophone", "jazz", "live"], mostly: nil, genre: "jazz"),
            .init(words: ["hip-hop", "beat", "vocal"], mostly: "MC Test", genre: "hip hop"),
            .init(words: ["techno", "fast"]),
        ])
        XCTAssertEqual(names, ["jazz, piano, slow", "saxophone, jazz, live", "Mostly MC Test: hip hop, beat, vocal",
                               "techno, fast"])
        let firstWords = names.map { $0.split(separator: ":").last!.split(separator: ",")[0].trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(Set(firstWords).count, names.count, "\(names)")
    }

    func testAGenreAndTheModelsSpellingOfItAreOneFirstWord() {
        let names = PlaylistNaming.names([.init(words: ["piano"], mostly: nil, genre: "hip hop"),
                                          .init(words: ["hip-hop", "beat"])])
        XCTAssertEqual(names, ["hip hop, piano", "beat, hip-hop"])
    }

    func testABuiltSetIsNamedByItsMajorityGenres() throws {
        var (tracks, truth) = PlaylistBuilderTests.library(groups: 3, size: 5)
        // Group 0 all "Jazz", group 1 four of five "jazz" (one "Rock"), group 2 two of five "Polka".
        for index in tracks.indices {
            let member = index % 5
            switch truth[index] {
            case 0: tracks[index].genre = "Jazz"
            case 1: tracks[index].genre = member == 0 ? "Rock" : "jazz"
            default: tracks[index].genre = member < 2 ? "Polka" : nil
            }
        }
        var builder = PlaylistBuilder()
        builder.clusterCount = 3
        let set = try builder.build(tracks)
        XCTAssertEqual(set.playlists.count, 3)
        func words(ofGroup group: Int) throws -> [String] {
            let playlist = try XCTUnwrap(set.playlists.first { $0.tracks.allSatisfy { $0.track.title?.hasPrefix("g\(group)-") == true } },
                                         "group \(group) is one playlist: \(set.playlists.map(\.name))")
            return playlist.name.dropFirst(5).components(separatedBy: ", ")
        }
        let jazz = [try words(ofGroup: 0), try words(ofGroup: 1)]
        XCTAssertEqual(jazz.filter { $0.first == "jazz" }.count, 1, "\(jazz)")
        XCTAssertTrue(jazz.allSatisfy { $0.contains("jazz") }, "both carry the genre: \(jazz)")
        XCTAssertNotEqual(jazz[0].first, jazz[1].first)
        XCTAssertFalse(try words(ofGroup: 2).contains("polka"), "a minority genre does not name a playlist")
    }
}
