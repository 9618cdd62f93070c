import Clustering
import SongAtlas
import XCTest

/// ``SongIdentity``: which tags name one work, one artist, one album.
final class SongIdentityTests: XCTestCase {
    func work(_ artist: String?, _ title: String?) -> String? {
        SongIdentity(artist: artist, album: nil, title: title, path: "/m/a.flac").work
    }

    func testVersionsOfOneSongAreOneWork() {
        let original = work("The Beatles", "Let It Be")
        XCTAssertNotNil(original)
        for (artist, title) in [("Beatles", "Let It Be (Remastered 2009)"), ("the beatles", "Let It Be - Live"),
                                ("The Beatles feat. Billy Preston", "Let It Be [2011 Mix]"),
                                ("THE BEATLES", "let it be (2021)"), ("The Beatles", "Let It Be – Single Version"),
                                ("The Béatles", "Let  It Be!")] {
            XCTAssertEqual(work(artist, title), original, "\(artist) / \(title)")
        }
    }

    func testDifferentPiecesStayApart() {
        XCTAssertNotEqual(work("Chopin", "Étude Op. 10 No. 3"), work("Chopin", "Étude Op. 10 No. 12"))
        XCTAssertNotEqual(work("Chopin", "Étude (Op. 10 No. 3)"), work("Chopin", "Étude (Op. 10 No. 12)"))
        XCTAssertNotEqual(work("Bach", "Prelude No. 1 - BWV 846"), work("Bach", "Prelude No. 2 - BWV 847"))
        XCTAssertNotEqual(work("Satie", "Gymnopédie No. 1"), work("Satie", "Gymnopédie No. 2"))
        XCTAssertNotEqual(work("A", "Song"), work("B", "Song"))
        // Without an artist or a title there is no work: never merged on tags.
        XCTAssertNil(work(nil, "Intro"))
        XCTAssertNil(work("A", nil))
        XCTAssertNil(work("A", "(Live)"))
    }

    func testAlbumsAreKeyedByFolderToo() {
        let hits1 = SongIdentity(artist: "A", album: "Greatest Hits", title: "x", path: "/m/A/Greatest Hits/1.flac")
        let hits2 = SongIdentity(artist: "B", album: "Greatest Hits", title: "y", path: "/m/B/Greatest Hits/1.flac")
        let same = SongIdentity(artist: "C", album: "greatest hits", title: "z", path: "/m/A/Greatest Hits/2.flac")
        XCTAssertNotEqual(hits1.album, hits2.album)
        XCTAssertEqual(hits1.album, same.album)
        let groups = SongIdentity.groups([hits1, hits2, same])
        XCTAssertEqual(groups.album, [0, 1, 0])
        XCTAssertEqual(groups.artist, [0, 1, 2])
    }
}
