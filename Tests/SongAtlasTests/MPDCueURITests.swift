import AudioDecoding
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MusicPlayerDaemon
import SyntheticAudio
import TestSupport
import XCTest

/// ``MPDCueURI`` on its own, and against a real `mpd` with its cue and embcue
/// plugins (skipped when `mpd` is missing): cue track URIs queue and store with
/// the sheet's ranges, an embedded sheet loads as a playlist, and `rangeid`
/// gives any file a range.
final class MPDCueURITests: XCTestCase {
    var directory: TemporaryDirectory!
    var daemon: Process?

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "songatlas-mpdcue") }

    override func tearDown() {
        if let daemon { PlayerCompatibilityTests.stop(daemon) }
        daemon = nil
        directory.remove()
    }

    func testURIForm() {
        XCTAssertEqual(MPDCueURI.uri(sheetURI: "Album/album.cue", track: 3), "Album/album.cue/track0003")
        XCTAssertEqual(MPDCueURI.uri(sheetURI: "a.cue", track: 12345), "a.cue/track12345")
        XCTAssertNil(MPDCueURI.uri(sheetURI: "a.cue", track: 0))
        XCTAssertNil(MPDCueURI.uri(sheetURI: "", track: 1))
        XCTAssertEqual(MPDCueURI.parse("Album/album.cue/track0003")?.sheetURI, "Album/album.cue")
        XCTAssertEqual(MPDCueURI.parse("Album/album.cue/track0003")?.track, 3)
        XCTAssertNil(MPDCueURI.parse("Album/track03.flac"))
        XCTAssertNil(MPDCueURI.parse("track0003"))
        XCTAssertEqual(MPDCueURI.playlistRange(position: 2), "2:3")
        XCTAssertEqual(MPDCueURI.rangeArgument(startSeconds: 2 + 1.0 / 75, endSeconds: 4), "2.013:4.000")
    }

    /// Three 2-second tracks in one 44.1 kHz WAV, a sheet beside it, and a FLAC copy embedding the sheet.
    private func makeMusic() throws -> String {
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        let samples = (1...3).flatMap { Signals.noise(seconds: 2, sampleRate: 44100, amplitude: 0.2, seed: UInt64($0)) }
        try AudioFileWriter.write(samples, to: music + "/album.wav", sampleRate: 44100, format: .wav16)
        let sheet = """
            TITLE "Noises"
            FILE "album.wav" WAVE
              TRACK 01 AUDIO
                TITLE "One"
                INDEX 01 00:00:00
              TRACK 02 AUDIO
                TITLE "Two"
                INDEX 01 00:02:00
              TRACK 03 AUDIO
                TITLE "Three"
                INDEX 01 00:04:00

            """
        try sheet.write(toFile: music + "/album.cue", atomically: true, encoding: .utf8)
        try FFmpegEncoder.run(["-i", music + "/album.wav", "-c:a", "flac", "-metadata", "CUESHEET=" + sheet, music + "/image.flac"])
        for path in [directory.path, music] { chmod(path, 0o755) }
        for name in ["album.wav", "album.cue", "image.flac"] { chmod(music + "/" + name, 0o644) }
        return music
    }

    /// Starts `mpd` over `music`, updates its database and returns a client and a raw connection.
    private func startMPD(music: String) throws -> (MPDClient, MPDConnection) {
        let running = try MPDTestDaemon.start(music: music, state: directory.file("mpd-state"))
        daemon = running.process
        return (running.client, running.connection)
    }

    /// The `Range:` values of `playlistinfo`, in queue order.
    private func ranges(_ connection: MPDConnection) throws -> [String] {
        try connection.command("playlistinfo").compactMap { $0.hasPrefix("Range: ") ? String($0.dropFirst(7)) : nil }
    }

    func testCueTrackURIsQueueAndStoreWithTheSheetsRanges() throws {
        let music = try makeMusic()
        let (client, connection) = try startMPD(music: music)
        defer { connection.close() }
        let sheetURI = try XCTUnwrap(MPDMusicDirectory(music).uri(of: music + "/album.cue"))
        let uris = [3, 1].compactMap { MPDCueURI.uri(sheetURI: sheetURI, track: $0) }
        for uri in uris { try client.add(uri) }
        XCTAssertEqual(try client.queue(), ["album.cue/track0003", "album.cue/track0001"])
        XCTAssertEqual(try ranges(connection), ["4.000-", "0.000-2.000"], "MPD plays each track's range of album.wav")
        XCTAssertEqual(try client.storePlaylist("SongAtlas - cue", uris: uris).map(\.uri), [], "nothing refused")
        XCTAssertEqual(try client.storedPlaylist("SongAtlas - cue"), uris)
    }

    func testEmbeddedSheetLoadsAsAPlaylistAndRangeidGivesAnyFileARange() throws {
        let music = try makeMusic()
        let (client, connection) = try startMPD(music: music)
        defer { connection.close() }
        try client.clearQueue()
        _ = try connection.command("load \"image.flac\" " + MPDCueURI.playlistRange(position: 1))
        XCTAssertEqual(try client.queue(), ["image.flac"])
        XCTAssertEqual(try ranges(connection), ["2.000-4.000"], "track 2 of the embedded sheet")

        try client.clearQueue()
        let added = try connection.command("addid \"album.wav\"")
        let id = try XCTUnwrap(added.first { $0.hasPrefix("Id: ") }).dropFirst(4)
        _ = try connection.command("rangeid \(id) " + MPDCueURI.rangeArgument(startSeconds: 2 + 1.0 / 75, endSeconds: 4))
        XCTAssertEqual(try ranges(connection), ["2.013-4.000"])
    }
}
