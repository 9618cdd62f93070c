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

    /// Names players misread as plain paths go as percent-encoded file:// URIs; the rest stay plain.
    func testNamesPlayersMisreadBecomeFileURIs() {
        let names = ["#hash.wav", " leading space.wav", "trailing space.wav ", "what?.wav", "100%20.wav", "a:b.wav",
                     "percent%.wav", "tab\there.wav", "émoji 🎵.wav", "plain.wav", "it's & co.wav",
                     "Album/ inner space.wav", "Album/#inner.wav", "line\u{2028}separator.wav"]
        let playlist = M3U8Playlist(entries: names.map { .init(path: "/music/" + $0, durationSeconds: 1, displayTitle: "t") })
        let expected = [
            "file:///music/%23hash.wav",
            "file:///music/%20leading%20space.wav",
            "file:///music/trailing%20space.wav%20",
            "file:///music/what%3F.wav",
            "file:///music/100%2520.wav",
            "file:///music/a%3Ab.wav",
            "file:///music/percent%25.wav",
            "file:///music/tab%09here.wav",
            "émoji 🎵.wav",
            "plain.wav",
            "it's & co.wav",
            "Album/ inner space.wav",
            "file:///music/Album/%23inner.wav",
            "file:///music/line%E2%80%A8separator.wav",
        ]
        let inside = playlist.rendered(playlistFolder: "/music", relativeRoot: "/music")
        XCTAssertEqual(m3u8Locations(in: inside), expected)
        // Outside the music folder the plain entries are absolute, and a leading space is no
        // longer at the start of the line; the other URIs are the same.
        let outside = playlist.rendered(playlistFolder: "/lists", relativeRoot: "/music")
        var expectedOutside = expected.map { $0.hasPrefix("file://") ? $0 : "/music/" + $0 }
        expectedOutside[1] = "/music/ leading space.wav"
        XCTAssertEqual(m3u8Locations(in: outside), expectedOutside)
        // A leading space or # after a ../ is not at the start of the line: plain.
        let below = playlist.rendered(playlistFolder: "/music/Playlists", relativeRoot: "/music")
        XCTAssertEqual(m3u8Locations(in: below)[11], "../Album/ inner space.wav")
        XCTAssertEqual(m3u8Locations(in: below)[0], "file:///music/%23hash.wav")
    }

    /// Every URI decodes back to the exact path, whatever the bytes.
    func testFileURIsDecodeToTheExactPath() {
        let paths = ["/m/#hash.wav", "/m/ a?b%c:d.wav", "/m/émoji 🎵.wav", "/m/it's & (co) [1] +=,;!$@*.wav",
                     "/m/A-Z_a.z~0-9.wav", "/m/\u{7F}\u{1}.wav"]
        for path in paths {
            let uri = M3U8Playlist.fileURI(absolutePath: path)
            XCTAssertTrue(uri.hasPrefix("file:///"), uri)
            XCTAssertTrue(uri.dropFirst(7).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~/%".contains($0)) },
                          uri)
            XCTAssertEqual(URL(string: uri)?.path, path, uri)
            XCTAssertEqual(String(uri.dropFirst(7)).removingPercentEncoding, path, uri)
        }
        XCTAssertEqual(M3U8Playlist.fileURI(absolutePath: "/m/A-Z_a.z~0-9.wav"), "file:///m/A-Z_a.z~0-9.wav")
        XCTAssertEqual(M3U8Playlist.fileURI(absolutePath: "/m/it's & co.wav"), "file:///m/it%27s%20%26%20co.wav")
    }

    /// Titles keep to their line whatever they contain.
    func testTitlesStayOnTheirLine() {
        let titles = ["a\r\nb", "tab\tx", "nel\u{85}x", "ls\u{2028}x", "ps\u{2029}x", "#not a comment", "a,b"]
        let playlist = M3U8Playlist(entries: titles.map { .init(path: "/m/x.wav", durationSeconds: 2, displayTitle: $0) })
        let lines = playlist.rendered(playlistFolder: "/m", relativeRoot: "/m").split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, ["#EXTM3U"] + ["a  b", "tab x", "nel x", "ls x", "ps x", "#not a comment", "a,b"]
            .flatMap { ["#EXTINF:2,\($0)", "x.wav"] })
    }
}
