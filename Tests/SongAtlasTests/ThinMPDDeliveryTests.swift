import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MusicPlayerDaemon
import TestSupport
import XCTest

/// The MPD naming rule, which lives in ``MPDDelivery`` alone: every stored
/// playlist SongAtlas writes is named in its own namespace, whatever name it is
/// given, so a playlist the user made is never replaced. The rule without a
/// daemon, then against a real `mpd` (skipped when it is not installed).
final class ThinMPDDeliveryTests: XCTestCase {
    var directory: TemporaryDirectory!
    var daemon: Process?

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "songatlas-thin-mpd") }

    override func tearDown() {
        if let daemon { PlayerCompatibilityTests.stop(daemon) }
        daemon = nil
        directory.remove()
    }

    func testStoredPlaylistNamesAreInSongAtlasNamespace() {
        for name in ["01 - piano, slow", "", "SongAtlas - 01", "mix"] {
            let stored = MPDDelivery.storedPlaylistName(name)
            XCTAssertTrue(stored.hasPrefix(MPDDelivery.storedPlaylistPrefix), stored)
            XCTAssertEqual(String(stored.dropFirst(MPDDelivery.storedPlaylistPrefix.count)), name)
        }
        XCTAssertEqual(MPDDelivery.storedPlaylistPrefix, "SongAtlas - ")
    }

    func testDeliveryNamesStoredPlaylistsItselfAndLeavesTheUsersAlone() throws {
        let fixture = try SongListFixture(in: directory)
        for path in [directory.path, fixture.music] { chmod(path, 0o755) }
        for file in fixture.files { chmod(file, 0o644) }
        let mpd = try PlayerCompatibilityTests.tool("mpd")
        let state = directory.file("mpd-state")
        try FileManager.default.createDirectory(atPath: state + "/playlists", withIntermediateDirectories: true)
        var connected: MPDClient?
        for _ in 0..<3 where connected == nil {
            let port = try PlayerCompatibilityTests.freePort()
            let process = try MPDTestDaemon.launch(mpd, music: fixture.music, state: state, port: port)
            daemon = process
            for _ in 0..<200 where process.isRunning && connected == nil {
                if let client = try? MPDClient(address: MPDAddress(host: "127.0.0.1", port: Int(port)), timeoutSeconds: 2) {
                    try client.updateDatabase()
                    connected = client
                } else {
                    usleep(50_000)
                }
            }
            if connected == nil { PlayerCompatibilityTests.stop(process); daemon = nil }
        }
        let client = try XCTUnwrap(connected, "mpd did not start")
        // The user's own playlist, under the bare name SongAtlas is given.
        _ = try client.storePlaylist("mix", uris: ["noise-1.wav"])

        let songs = [fixture.sine220, fixture.drums174]
        let delivery = try MPDDelivery.send(queue: [], replace: false, playlists: [(name: "mix", paths: songs)],
                                            to: client, musicDirectory: fixture.music)
        XCTAssertEqual(delivery.storedPlaylists, ["SongAtlas - mix"])
        XCTAssertEqual(try client.storedPlaylist("SongAtlas - mix"), ["sine-220.wav", "drums-174.wav"])
        XCTAssertEqual(try client.storedPlaylist("mix"), ["noise-1.wav"])
        XCTAssertEqual(delivery.queued, 0)
        XCTAssertEqual(try client.queue(), [])
    }
}
