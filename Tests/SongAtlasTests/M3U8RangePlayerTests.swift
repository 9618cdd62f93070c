import AudioDecoding
import Export
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SyntheticAudio
import TestSupport
import XCTest

/// What real players do with a range entry (`#EXTVLCOPT:start-time`/`stop-time`):
/// VLC 3.0 plays that stretch of the file, mpv 0.35 plays the whole file.
///
/// Each player renders to a WAV file instead of a sound card (VLC's `afile`
/// output, mpv's `pcm`), and the rendering is located in the album by its
/// samples: the album's tracks are different noises, so a stretch of 512
/// samples matches at one place only. Skipped when a player is missing.
///
/// VLC's limits, as measured: from a WAV it starts within a sample of
/// `start-time`; from FLAC it starts at a FLAC block boundary up to two
/// blocks after it (ffmpeg writes 4608-sample blocks, 0.1 s: here 0.18 s
/// late, on a longer album 2 ms late); in both it stops after `stop-time`,
/// at the end of the block being played (up to 0.11 s measured). In about
/// one run of three it first plays the file's first block (50 ms of a WAV)
/// before it seeks to `start-time`; the tests allow that lead-in and no more.
final class M3U8RangePlayerTests: XCTestCase {
    var directory: TemporaryDirectory!
    let rate = 44100
    /// Track 2 of the album: from 2 s + 1 frame to 4 s + 2 frames (CD frames of 1/75 s).
    let startSeconds = 2 + 1.0 / 75, endSeconds = 4 + 2.0 / 75

    override func setUpWithError() throws {
        directory = try TemporaryDirectory(prefix: "songatlas-m3u8range")
        chmod(directory.path, 0o777)    // VLC runs as nobody when the tests run as root, and writes its output here
    }

    override func tearDown() { directory.remove() }

    /// The album: three 2-second noises in one mono 16-bit WAV, and its FLAC copy.
    private func makeAlbum() throws -> (wav: String, flac: String, samples: [Float]) {
        let samples = (1...3).flatMap { Signals.noise(seconds: 2, sampleRate: rate, amplitude: 0.3, seed: UInt64(10 + $0)) }
        let wav = directory.file("album.wav"), flac = directory.file("album.flac")
        try AudioFileWriter.write(samples, to: wav, sampleRate: rate, format: .wav16)
        try FFmpegEncoder.run(["-i", wav, "-c:a", "flac", flac])
        for path in [wav, flac] { chmod(path, 0o644) }
        return (wav, flac, try decode(wav))
    }

    private func decode(_ path: String) throws -> [Float] {
        try AudioDecoder(path: path, options: DecodeOptions(outputSampleRate: rate)).decodeAll()
    }

    /// A playlist with one range entry for `audio`.
    private func playlist(for audio: String) throws -> String {
        let path = directory.file("range-\((audio as NSString).pathExtension).m3u8")
        let entry = M3U8Playlist.Entry(path: audio, durationSeconds: endSeconds - startSeconds, displayTitle: "Two",
                                       location: .range(startSeconds: startSeconds, endSeconds: endSeconds))
        try M3U8Playlist(entries: [entry]).rendered(playlistFolder: directory.path, relativeRoot: directory.path)
            .write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        return path
    }

    /// Where `rendered` lies in `album`: the sample its first 512 samples match at, and
    /// whether every later sample matches too (16-bit rounding allowed).
    private func locate(_ rendered: [Float], in album: [Float]) -> (start: Int, matchesThroughout: Bool)? {
        let probe = 512
        guard rendered.count >= probe else { return nil }
        for offset in 0...(album.count - probe) where zip(rendered[..<probe], album[offset...]).allSatisfy({ abs($0 - $1) < 1e-3 }) {
            let overlap = min(rendered.count, album.count - offset)
            let matches = overlap == rendered.count
                && zip(rendered, album[offset...]).allSatisfy { abs($0 - $1) < 1e-3 }
            return (offset, matches)
        }
        return nil
    }

    /// Plays `playlist` with VLC into a WAV file and returns its samples.
    private func vlcRendering(of playlist: String, name: String) throws -> [Float] {
        let cvlc = try PlayerCompatibilityTests.tool("cvlc")
        let output = directory.file(name)
        let arguments = ["-I", "dummy", "--play-and-exit", "--no-lua", "--clock-jitter=0", "--aout", "afile",
                         "--audiofile-file", output, "--audiofile-format", "s16", "--audiofile-wav", playlist]
        // VLC refuses to run as root.
        let result = getuid() == 0
            ? try CommandRunner.runAbsolute("/usr/sbin/runuser", ["-u", "nobody", "--", cvlc] + arguments,
                                            in: directory.url, timeoutSeconds: 120)
            : try CommandRunner.runAbsolute(cvlc, arguments, in: directory.url, timeoutSeconds: 120)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output), result.standardError)
        return try decode(output)
    }

    /// Checks VLC's rendering of the range: an optional lead-in from the file's start of at
    /// most one block, then one continuous stretch from `start-time` (within `startTolerance`
    /// samples) to at most 0.25 s past `stop-time`.
    private func checkRange(_ rendered: [Float], album: [Float], startTolerance: Int,
                            file: StaticString = #filePath, line: UInt = #line) throws {
        var leadIn = 0
        while leadIn < rendered.count, leadIn < album.count, abs(rendered[leadIn] - album[leadIn]) < 1e-3 { leadIn += 1 }
        if leadIn < 512 { leadIn = 0 }    // a few equal samples by chance are no lead-in
        XCTAssertLessThanOrEqual(leadIn, 4608, "VLC's lead-in: at most one block (4608 samples in FLAC, 2205 in WAV)", file: file, line: line)
        let range = Array(rendered[leadIn...])
        let found = try XCTUnwrap(locate(range, in: album), "VLC's output is not from the album", file: file, line: line)
        let expectedStart = Int((startSeconds * Double(rate)).rounded()), expectedEnd = Int((endSeconds * Double(rate)).rounded())
        XCTAssertTrue(found.matchesThroughout, "one continuous stretch of the file", file: file, line: line)
        XCTAssertEqual(found.start, expectedStart, accuracy: startTolerance, "where it starts", file: file, line: line)
        let end = found.start + range.count
        XCTAssertGreaterThanOrEqual(end, expectedEnd - 2, "plays at least to stop-time", file: file, line: line)
        XCTAssertLessThanOrEqual(end - expectedEnd, Int(0.25 * Double(rate)), "stops within a block after stop-time",
                                 file: file, line: line)
    }

    func testVLCPlaysTheRangeOfAWAVFromItsStartSample() throws {
        let album = try makeAlbum()
        let rendered = try vlcRendering(of: try playlist(for: album.wav), name: "vlc-wav.wav")
        // To within VLC's microsecond rounding.
        try checkRange(rendered, album: album.samples, startTolerance: 2)
    }

    func testVLCPlaysTheRangeOfAFLACFileToWithinTwoBlocks() throws {
        let album = try makeAlbum()
        let rendered = try vlcRendering(of: try playlist(for: album.flac), name: "vlc-flac.wav")
        // At a FLAC block boundary up to two 4608-sample blocks from start-time.
        try checkRange(rendered, album: album.samples, startTolerance: 2 * 4608)
    }

    func testMpvIgnoresTheVLCOptionsAndPlaysTheWholeFile() throws {
        let mpv = try PlayerCompatibilityTests.tool("mpv")
        let album = try makeAlbum()
        let output = directory.file("mpv.wav")
        let result = try CommandRunner.runAbsolute(
            mpv, ["--no-config", "--vo=null", "--ao=pcm", "--ao-pcm-file=" + output, "--ytdl=no", "--load-scripts=no",
                  "--msg-level=all=error", "--playlist=" + (try playlist(for: album.wav))],
            in: directory.url, timeoutSeconds: 120)
        XCTAssertEqual(result.status, 0, result.standardOutput + result.standardError)
        let rendered = try decode(output)
        let found = try XCTUnwrap(locate(rendered, in: album.samples))
        XCTAssertEqual(found.start, 0, "mpv starts at the file's start")
        XCTAssertEqual(rendered.count, album.samples.count, "and plays all of it")
        XCTAssertTrue(found.matchesThroughout)
    }
}
