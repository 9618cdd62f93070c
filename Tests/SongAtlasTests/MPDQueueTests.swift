import Export
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MusicPlayerDaemon
import TestSupport
import XCTest

/// `--mpd` and `--mpd-playlists` against a real `mpd` (installed by
/// `scripts/setup`; skipped when missing), read back through libmpdclient;
/// and the address and music-directory rules without a daemon.
final class MPDQueueTests: XCTestCase {
    var directory: TemporaryDirectory!
    var daemon: Process?

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "songatlas-mpd") }

    override func tearDown() {
        if let daemon { PlayerCompatibilityTests.stop(daemon) }
        daemon = nil
        directory.remove()
    }

    /// Starts `mpd` on a free port of 127.0.0.1 over `music`, waits for its database update, and connects.
    func startMPD(music: String) throws -> (client: MPDClient, port: Int) {
        let mpd = try PlayerCompatibilityTests.tool("mpd")
        let state = directory.file("mpd-state")
        try FileManager.default.createDirectory(atPath: state + "/playlists", withIntermediateDirectories: true)
        for _ in 0..<3 {
            let port = Int(try PlayerCompatibilityTests.freePort())
            let process = try MPDTestDaemon.launch(mpd, music: music, state: state, port: UInt16(port))
            daemon = process
            for _ in 0..<200 where process.isRunning {
                if let client = try? MPDClient(address: MPDAddress(host: "127.0.0.1", port: port), timeoutSeconds: 2) {
                    try client.updateDatabase()
                    return (client, port)
                }
                usleep(50_000)
            }
            PlayerCompatibilityTests.stop(process)
            daemon = nil
        }
        let log = (try? String(contentsOfFile: state + "/log", encoding: .utf8)) ?? "no log"
        throw MPDError.unreachable(address: "127.0.0.1", reason: "mpd did not start; its log:\n\(log)")
    }

    func testSimilarQueuesInOrderAndReportsFilesOutsideTheMusicDirectory() throws {
        let fixture = try SongListFixture(in: directory)
        let outside = try SongListFixture(in: directory, folder: "elsewhere")
        for path in [directory.path, fixture.music] { chmod(path, 0o755) }
        for file in fixture.files { chmod(file, 0o644) }
        let (client, port) = try startMPD(music: fixture.music)
        try client.add("noise-1.wav")    // something already queued, kept by --mpd

        let output = directory.file("radio.json")
        let common = ["--library", fixture.music, "--cache", directory.file("c.sqlite"), "--keep-copies", "--mpd-host", "127.0.0.1:\(port)",
                      "--mpd-music-dir", fixture.music, "--max-per-artist", "0", "--max-per-album", "0"]
        // The seed lies outside MPD's music directory: reported, and the rest queued in order.
        let result = try CommandRunner.run("songatlas", ["similar", outside.sine220, "-n", "5", "-o", output, "--mpd"] + common)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains(
            "songatlas: MPD: not sent, outside its music directory \(fixture.music): \(outside.sine220)"), result.standardError)
        XCTAssertTrue(result.standardError.contains("songatlas: MPD at 127.0.0.1:\(port): queued 5 songs"), result.standardError)
        let list = try JSONDecoder().decode(SongListDocument.self, from: Data(contentsOf: URL(fileURLWithPath: output)))
        let expected = list.songs.dropFirst().map { ($0.path as NSString).lastPathComponent }
        XCTAssertEqual(expected.count, 5)
        XCTAssertEqual(try client.queue(), ["noise-1.wav"] + expected)

        // --mpd-replace: only the new list, the seed (inside this time) first.
        let replaced = try CommandRunner.run("songatlas", ["similar", fixture.drums174, "-n", "3", "--mpd", "--mpd-replace",
                                                           "--format", "json"] + common)
        XCTAssertEqual(replaced.status, 0, replaced.standardError)
        let second = try JSONDecoder().decode(SongListDocument.self, from: Data(replaced.standardOutput.utf8))
        XCTAssertEqual(try client.queue(), second.songs.map { ($0.path as NSString).lastPathComponent })
        XCTAssertEqual(try client.queue().first, "drums-174.wav")

        // Over TCP MPD does not say where its music is: a one-line error, the list still printed.
        let noDirectory = try CommandRunner.run("songatlas", [
            "similar", fixture.drums174, "-n", "2", "--mpd", "--library", fixture.music, "--cache", directory.file("c.sqlite"),
            "--mpd-host", "127.0.0.1:\(port)", "-q"])
        XCTAssertEqual(noDirectory.status, 1)
        XCTAssertTrue(noDirectory.standardError.contains("give it with --mpd-music-dir"), noDirectory.standardError)
        XCTAssertEqual(noDirectory.standardError.split(separator: "\n").count, 1, noDirectory.standardError)
        XCTAssertTrue(noDirectory.standardOutput.hasPrefix("2 songs like"), noDirectory.standardOutput)
    }

    func testPathAndPlaylistsReachMPD() throws {
        let fixture = try SongListFixture(in: directory)
        let (client, port) = try startMPD(music: fixture.music)
        let common = ["--cache", directory.file("c.sqlite"), "--keep-copies", "--mpd-host", "127.0.0.1:\(port)", "--mpd-music-dir", fixture.music]
        let path = try CommandRunner.run("songatlas", ["path", fixture.sine220, fixture.drums174, "-n", "6", "--format", "json",
                                                       "--library", fixture.music, "--mpd", "--mpd-replace"] + common)
        XCTAssertEqual(path.status, 0, path.standardError)
        let list = try JSONDecoder().decode(SongListDocument.self, from: Data(path.standardOutput.utf8))
        XCTAssertEqual(try client.queue(), list.songs.map { ($0.path as NSString).lastPathComponent })

        let out = directory.file("lists")
        let playlists = try CommandRunner.run("songatlas", ["playlists", fixture.music, "-k", "3", "--out", out, "--json",
                                                            "--mpd-playlists"] + common)
        XCTAssertEqual(playlists.status, 0, playlists.standardError)
        let document = try JSONDecoder().decode(PlaylistDocument.self, from: Data(playlists.standardOutput.utf8))
        XCTAssertEqual(document.playlists.count, 3)
        for playlist in document.playlists {
            let name = "SongAtlas - " + (playlist.file as NSString).deletingPathExtension
            XCTAssertEqual(try client.storedPlaylist(name), playlist.tracks.map { ($0.path as NSString).lastPathComponent })
        }
        XCTAssertTrue(playlists.standardError.contains("stored 3 playlists"), playlists.standardError)
        // Without --mpd the queue is left alone.
        XCTAssertEqual(try client.queue(), list.songs.map { ($0.path as NSString).lastPathComponent })

        // A recluster into two: the stored playlists follow their ids (whose names stay), the playlist that is
        // gone leaves MPD, and a stored playlist of the user's own stays.
        let firstSong = try XCTUnwrap(document.playlists.first?.tracks.first.map { ($0.path as NSString).lastPathComponent })
        _ = try client.storePlaylist("My list", uris: [firstSong])
        let recluster = try CommandRunner.run("songatlas", ["playlists", fixture.music, "-k", "2", "--recluster", "--out",
                                                            out, "--json", "--mpd-playlists"] + common)
        XCTAssertEqual(recluster.status, 0, recluster.standardError)
        let two = try JSONDecoder().decode(PlaylistDocument.self, from: Data(recluster.standardOutput.utf8))
        XCTAssertEqual(two.playlists.count, 2)
        for playlist in two.playlists {
            XCTAssertTrue(document.playlists.contains { $0.id == playlist.id && $0.file == playlist.file }, playlist.name)
            let name = "SongAtlas - " + (playlist.file as NSString).deletingPathExtension
            XCTAssertEqual(try client.storedPlaylist(name), playlist.tracks.map { ($0.path as NSString).lastPathComponent })
        }
        XCTAssertEqual(try client.storedPlaylist("My list"), [firstSong])
        let gone = Set(document.playlists.map(\.file)).subtracting(two.playlists.map(\.file))
        XCTAssertEqual(gone.count, 1)
        for file in gone {
            let name = "SongAtlas - " + (file as NSString).deletingPathExtension
            XCTAssertTrue(recluster.standardError.contains("removed 1 gone: \(name)"), recluster.standardError)
            XCTAssertThrowsError(try client.storedPlaylist(name), name)
        }
    }

    func testAddressesAndMusicDirectoryMapping() throws {
        XCTAssertEqual(try MPDAddress(parsing: "media:6601"), MPDAddress(host: "media", port: 6601))
        XCTAssertEqual(try MPDAddress(parsing: "secret@media"), MPDAddress(host: "media", password: "secret"))
        XCTAssertEqual(try MPDAddress(parsing: "[::1]:6602"), MPDAddress(host: "::1", port: 6602))
        XCTAssertEqual(try MPDAddress(parsing: "/run/mpd/socket"), MPDAddress(host: "/run/mpd/socket"))
        XCTAssertEqual(try MPDAddress(parsing: "::1"), MPDAddress(host: "::1"))
        for bad in ["", ":6600", "host:0", "host:port", "[::1"] {
            XCTAssertThrowsError(try MPDAddress(parsing: bad), bad)
        }
        let music = MPDMusicDirectory("/srv/music/")
        XCTAssertEqual(music.uri(of: "/srv/music/a/b c.flac"), "a/b c.flac")
        XCTAssertEqual(music.uri(of: "/srv/music/a/../d.flac"), "d.flac")
        XCTAssertNil(music.uri(of: "/srv/musicals/x.flac"))
        XCTAssertNil(music.uri(of: "/srv/music"))
    }
}
