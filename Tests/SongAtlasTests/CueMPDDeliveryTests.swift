import AudioDecoding
import Export
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MusicPlayerDaemon
import SongAtlas
import TestSupport
import XCTest

/// `--mpd` and `--mpd-playlists` on an album image (one FLAC of four generated
/// tracks and its `.cue`) against a real `mpd` (skipped when missing): each cue
/// track reaches MPD as the sheet's track URI `Album.cue/track000N`, which MPD
/// takes and plays as the track's range; a whole file still goes as its path; a
/// track of an embedded sheet is queued as its file with the track's range.
final class CueMPDDeliveryTests: XCTestCase {
    var directory: TemporaryDirectory!
    var daemon: Process?
    let sampleRate = 44100
    let trackSeconds = 3.0

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "songatlas-cuempd") }

    override func tearDown() {
        if let daemon { PlayerCompatibilityTests.stop(daemon) }
        daemon = nil
        directory.remove()
    }

    /// `music/Album.flac` of four tracks with `music/Album.cue`, and `music/Loose.flac`, a whole song.
    private func makeMusic() throws -> String {
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        let raw: [[Float]] = [
            Signals.sine(frequency: 220, seconds: trackSeconds, sampleRate: sampleRate),
            Signals.drumLoop(bpm: 120, seconds: trackSeconds, sampleRate: sampleRate),
            Signals.sine(frequency: 233, seconds: trackSeconds, sampleRate: sampleRate),
            Signals.noise(seconds: trackSeconds, sampleRate: sampleRate, seed: 9),
        ]
        // Peaks at 0.5: FLAC holds 16-bit integers.
        let tracks = raw.map { samples in
            let peak = samples.map(abs).max() ?? 1
            return samples.map { $0 / max(peak, 1e-6) * 0.5 }
        }
        try AudioFileWriter.write(tracks.flatMap { $0 }, to: music + "/Album.flac", sampleRate: sampleRate,
                                  format: .flac16, title: "Album", artist: "Band", album: "Album")
        try AudioFileWriter.write(Signals.drumLoop(bpm: 174, seconds: trackSeconds, sampleRate: sampleRate).map { $0 * 0.4 },
                                  to: music + "/Loose.flac", sampleRate: sampleRate, format: .flac16)
        let sheet = "TITLE \"Album\"\nFILE \"Album.flac\" WAVE\n" + (0..<4).map { index in
            "  TRACK 0\(index + 1) AUDIO\n    TITLE \"Song \(index + 1)\"\n    INDEX 01 00:0\(index * 3):00\n"
        }.joined()
        try sheet.write(toFile: music + "/Album.cue", atomically: true, encoding: .utf8)
        for path in [directory.path, music] { chmod(path, 0o755) }
        for name in ["Album.flac", "Album.cue", "Loose.flac"] { chmod(music + "/" + name, 0o644) }
        return music
    }

    /// Starts `mpd` over `music`, updates its database, and returns a client, a raw connection and the port.
    private func startMPD(music: String) throws -> (client: MPDClient, connection: MPDConnection, port: Int) {
        let running = try MPDTestDaemon.start(music: music, state: directory.file("mpd-state"))
        daemon = running.process
        return (running.client, running.connection, running.port)
    }

    /// The URI MPD should hold for a listed song: `Album.cue/track000N` for a cue track, the file name otherwise.
    private func expectedURI(path: String, cue: CueTrackReference?) -> String {
        guard let cue else { return (path as NSString).lastPathComponent }
        return (cue.sheet as NSString).lastPathComponent + "/track" + String(format: "%04d", cue.track)
    }

    func testPlaylistsQueueAndStoreCueTrackURIs() throws {
        let music = try makeMusic()
        let (client, connection, port) = try startMPD(music: music)
        defer { connection.close() }
        let out = directory.file("lists")
        let result = try CommandRunner.run("songatlas", [
            "playlists", music, "-k", "2", "--seed", "3", "--features", "handcrafted", "--out", out, "--json",
            "--cache", directory.file("c.sqlite"), "--mpd", "--mpd-replace", "--mpd-playlists",
            "--mpd-host", "127.0.0.1:\(port)", "--mpd-music-dir", music])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertFalse(result.standardError.contains("refused"), result.standardError)
        let document = try JSONDecoder().decode(PlaylistDocument.self, from: Data(result.standardOutput.utf8))
        let listed = document.playlists.flatMap(\.tracks)
        XCTAssertEqual(listed.count, 5, "four cue tracks and the loose file")
        XCTAssertEqual(listed.filter { $0.cue != nil }.count, 4)

        // The queue: every listed song, in order, each cue track as the sheet's track URI.
        let queue = try client.queue()
        XCTAssertEqual(queue.count, 5)
        XCTAssertEqual(queue, listed.map { expectedURI(path: $0.path, cue: $0.cue) })
        XCTAssertEqual(Set(queue), ["Album.cue/track0001", "Album.cue/track0002", "Album.cue/track0003",
                                    "Album.cue/track0004", "Loose.flac"])
        XCTAssertTrue(result.standardError.contains("queued 5 songs (queue replaced)"), result.standardError)

        // MPD plays each cue track's range of Album.flac, the loose file whole (no Range line).
        let info = try connection.command("playlistinfo")
        var ranges: [String: String] = [:]
        var current: String?
        for line in info {
            if line.hasPrefix("file: ") { current = String(line.dropFirst(6)) }
            if line.hasPrefix("Range: "), let current { ranges[current] = String(line.dropFirst(7)) }
        }
        XCTAssertEqual(ranges["Album.cue/track0002"], "3.000-6.000")
        XCTAssertEqual(ranges["Album.cue/track0004"], "9.000-")
        XCTAssertNil(ranges["Loose.flac"])

        // The stored playlists hold the same URIs.
        XCTAssertTrue(result.standardError.contains("stored 2 playlists"), result.standardError)
        for playlist in document.playlists {
            let name = MPDDelivery.storedPlaylistName((playlist.file as NSString).deletingPathExtension)
            XCTAssertEqual(try client.storedPlaylist(name), playlist.tracks.map { expectedURI(path: $0.path, cue: $0.cue) })
        }
    }

    func testSimilarQueuesCueTrackURIs() throws {
        let music = try makeMusic()
        let (client, connection, port) = try startMPD(music: music)
        defer { connection.close() }
        let result = try CommandRunner.run("songatlas", [
            "similar", music + "/Album.cue#2", "-n", "3", "--format", "json", "--library", music,
            "--cache", directory.file("c.sqlite"), "--max-per-artist", "0", "--max-per-album", "0",
            "--mpd", "--mpd-host", "127.0.0.1:\(port)", "--mpd-music-dir", music])
        XCTAssertEqual(result.status, 0, result.standardError)
        let list = try JSONDecoder().decode(SongListDocument.self, from: Data(result.standardOutput.utf8))
        XCTAssertEqual(list.songs.count, 4, "the seed and three more")
        XCTAssertEqual(try client.queue(), list.songs.map { expectedURI(path: $0.path, cue: $0.cue) })
        XCTAssertEqual(try client.queue().first, "Album.cue/track0002")
        XCTAssertTrue(result.standardError.contains("queued 4 songs"), result.standardError)
    }

    /// An album image whose sheet is embedded (a `CUESHEET` tag): MPD 0.23 has no URI for its tracks, so
    /// each is queued as the file with the track's range, and stored playlists name the whole file.
    func testEmbeddedSheetTracksQueueAsRangesOfTheirFile() throws {
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        let samples = (1...3).flatMap { Signals.noise(seconds: trackSeconds, sampleRate: sampleRate, amplitude: 0.2, seed: UInt64($0)) }
        try AudioFileWriter.write(samples, to: directory.file("album.wav"), sampleRate: sampleRate, format: .wav16)
        let sheet = "TITLE \"Noises\"\nFILE \"image.flac\" WAVE\n" + (0..<3).map { index in
            "  TRACK 0\(index + 1) AUDIO\n    TITLE \"Noise \(index + 1)\"\n    INDEX 01 00:0\(index * 3):00\n"
        }.joined()
        try FFmpegEncoder.run(["-i", directory.file("album.wav"), "-c:a", "flac", "-metadata", "CUESHEET=" + sheet,
                               music + "/image.flac"])
        for path in [directory.path, music] { chmod(path, 0o755) }
        chmod(music + "/image.flac", 0o644)
        let (client, connection, port) = try startMPD(music: music)
        defer { connection.close() }
        let result = try CommandRunner.run("songatlas", [
            "playlists", music, "-k", "1", "--features", "handcrafted", "--out", directory.file("lists"), "--json",
            "--no-cache", "--mpd", "--mpd-playlists", "--mpd-host", "127.0.0.1:\(port)", "--mpd-music-dir", music])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertFalse(result.standardError.contains("refused"), result.standardError)
        let document = try JSONDecoder().decode(PlaylistDocument.self, from: Data(result.standardOutput.utf8))
        let listed = document.playlists.flatMap(\.tracks)
        XCTAssertEqual(listed.count, 3, "one song per embedded track")
        XCTAssertEqual(try client.queue(), ["image.flac", "image.flac", "image.flac"])
        let ranges = try connection.command("playlistinfo").compactMap { $0.hasPrefix("Range: ") ? String($0.dropFirst(7)) : nil }
        XCTAssertEqual(ranges, try listed.map { track in
            let cue = try XCTUnwrap(track.cue)
            let range = MPDCueURI.rangeArgument(startSeconds: cue.startSeconds, endSeconds: cue.endSeconds)
                .replacingOccurrences(of: ":", with: "-")
            // MPD shows a range that ends at the file's end as open.
            return abs(cue.endSeconds - 3 * trackSeconds) < 1e-6 ? String(range.prefix { $0 != "-" }) + "-" : range
        }, "each track's own range, in the playlist's order")
        let name = MPDDelivery.storedPlaylistName((try XCTUnwrap(document.playlists.first).file as NSString).deletingPathExtension)
        XCTAssertEqual(try client.storedPlaylist(name), ["image.flac", "image.flac", "image.flac"])
    }

    /// Without a daemon: the URI each kind of song maps to, and how reports name it.
    func testSongURIs() {
        let directory = MPDMusicDirectory("/music")
        let sheetTrack = MPDSong(path: "/music/A/Album.flac", cue: .init(sheetPath: "/music/A/Album.cue", track: 3,
                                                                         startSeconds: 6, endSeconds: 9))
        XCTAssertEqual(sheetTrack.uri(under: directory), "A/Album.cue/track0003")
        XCTAssertEqual(sheetTrack.displayName, "/music/A/Album.cue#3")
        XCTAssertNil(sheetTrack.queueRange, "the sheet's track URI carries its range")
        XCTAssertEqual(MPDSong(path: "/music/A/Loose.flac").uri(under: directory), "A/Loose.flac")
        XCTAssertEqual(MPDSong(path: "/music/A/Loose.flac").displayName, "/music/A/Loose.flac")
        XCTAssertNil(MPDSong(path: "/music/A/Loose.flac").queueRange)
        // An embedded sheet has no track URI in MPD 0.23: its track goes as its file, queued with its range.
        let embedded = MPDSong(path: "/music/image.flac", cue: .init(sheetPath: "/music/image.flac", track: 2,
                                                                     startSeconds: 3, endSeconds: 6))
        XCTAssertEqual(embedded.uri(under: directory), "image.flac")
        XCTAssertEqual(embedded.queueRange?.startSeconds, 3)
        XCTAssertEqual(embedded.queueRange?.endSeconds, 6)
        XCTAssertEqual(embedded.displayName, "/music/image.flac#2")
        // A sheet outside the music directory is outside, whatever its audio file.
        XCTAssertNil(MPDSong(path: "/music/x.flac", cue: .init(sheetPath: "/else/x.cue", track: 1,
                                                                   startSeconds: 0, endSeconds: 1)).uri(under: directory))
        XCTAssertNil(MPDSong(path: "/music/x.flac", cue: .init(sheetPath: "/music/x.cue", track: 0,
                                                                   startSeconds: 0, endSeconds: 1)).uri(under: directory))
    }
}
