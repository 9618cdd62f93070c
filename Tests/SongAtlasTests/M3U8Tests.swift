@testable import Export
import TestSupport
import XCTest

final class M3U8Tests: XCTestCase {
    let playlist = M3U8Playlist(entries: [
        .init(path: "/music/Artist/Album/01 Intro.flac", durationSeconds: 61.6, displayTitle: "Artist - Intro"),
        .init(path: "/elsewhere/other.mp3", durationSeconds: 200, displayTitle: "other"),
        .init(path: "/music/odd\nname.flac", durationSeconds: 3, displayTitle: "two\nlines"),
    ])

    func testInsideTheMusicFolderPathsAreRelative() {
        XCTAssertEqual(playlist.rendered(playlistFolder: "/music/Playlists", relativeRoot: "/music"), """
            #EXTM3U
            #EXTINF:62,Artist - Intro
            ../Artist/Album/01 Intro.flac
            #EXTINF:200,other
            /elsewhere/other.mp3
            #EXTINF:3,two lines
            file:///music/odd%0Aname.flac

            """)
    }

    func testOutsideTheMusicFolderPathsAreAbsolute() {
        let text = playlist.rendered(playlistFolder: "/home/me/playlists", relativeRoot: "/music")
        XCTAssertTrue(text.contains("\n/music/Artist/Album/01 Intro.flac\n"))
        XCTAssertEqual(M3U8Playlist.relativePath(from: "/a/b", to: "/a/c/d.flac"), "../c/d.flac")
        XCTAssertEqual(M3U8Playlist.relativePath(from: "/a", to: "/a/d.flac"), "d.flac")
    }
}
