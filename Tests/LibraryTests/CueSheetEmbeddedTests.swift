import AudioDecoding
@testable import Library
import SyntheticAudio
import TestSupport
import XCTest

/// Embedded `CUESHEET` tags: read from a FLAC file's Vorbis comments directly, and from
/// FFmpeg's `cuesheet` key (WavPack's APEv2 tag), then parsed into tracks of the file itself.
final class CueSheetEmbeddedTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private let sheet = """
        PERFORMER "Tone Band"
        TITLE "Tones"
        FILE "tones.wav" WAVE
          TRACK 01 AUDIO
            TITLE "Low"
            INDEX 01 00:00:00
          TRACK 02 AUDIO
            TITLE "High"
            INDEX 01 00:01:30
        """

    /// A 3-second 44.1 kHz WAV in the test folder.
    private func wave() throws -> String {
        let path = directory.file("tones.wav")
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 3, sampleRate: 44100), to: path, sampleRate: 44100,
                                  format: .wav16)
        return path
    }

    private func tracks(of path: String) throws -> [CueSheetTrack] {
        let text = try XCTUnwrap(AudioTags.embeddedCueSheet(path: path))
        let info = try AudioDecoder(path: path).info
        return try CueSheet.embedded(text: text, audioPath: path).tracks { _ in
            CueSheetAudioLength(frameCount: info.declaredFrameCount, sampleRate: info.sampleRate)
        }
    }

    private func check(_ tracks: [CueSheetTrack], path: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(tracks.map(\.trackNumber), [1, 2], file: file, line: line)
        XCTAssertEqual(tracks.map(\.title), ["Low", "High"], file: file, line: line)
        XCTAssertEqual(tracks.map(\.audioPath), [path, path], "the FILE name inside is not looked for", file: file, line: line)
        XCTAssertEqual(tracks.map(\.startSample), [0, 44100 + 30 * 588], file: file, line: line)
        XCTAssertEqual(tracks.map(\.endSample), [44100 + 30 * 588, 3 * 44100], file: file, line: line)
    }

    func testFLACVorbisComment() throws {
        let flac = directory.file("image.flac")
        try FFmpegEncoder.run(["-i", try wave(), "-c:a", "flac", "-metadata", "CUESHEET=" + sheet, flac])
        XCTAssertEqual(try FLACVorbisComments.read(path: flac)?.first { $0.key == "CUESHEET" }?.value, sheet,
                       "the comment's text exactly")
        check(try tracks(of: flac), path: flac)
    }

    func testFLACWithAnID3v2TagInFront() throws {
        let flac = directory.file("plain.flac")
        try FFmpegEncoder.run(["-i", try wave(), "-c:a", "flac", "-metadata", "cuesheet=" + sheet, flac])
        // An ID3v2.4 header declaring 20 bytes of padding (syncsafe size), as some taggers prepend.
        let tagged = directory.file("tagged.flac")
        let id3: [UInt8] = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 20] + [UInt8](repeating: 0, count: 20)
        XCTAssertTrue(FileManager.default.createFile(atPath: tagged, contents: Data(id3) + (try Data(contentsOf: URL(fileURLWithPath: flac)))))
        XCTAssertEqual(try AudioTags.embeddedCueSheet(path: tagged), sheet, "a lower-case key is found too")
    }

    func testWavPackAPETagThroughFFmpeg() throws {
        let wavPack = directory.file("image.wv")
        try FFmpegEncoder.run(["-i", try wave(), "-c:a", "wavpack", "-metadata", "CUESHEET=" + sheet, wavPack])
        XCTAssertNil(try FLACVorbisComments.read(path: wavPack), "not FLAC")
        check(try tracks(of: wavPack), path: wavPack)
    }

    func testAFileWithoutASheet() throws {
        let path = try wave()
        XCTAssertNil(try AudioTags.embeddedCueSheet(path: path))
        let flac = directory.file("bare.flac")
        try FFmpegEncoder.run(["-i", path, "-c:a", "flac", "-metadata", "TITLE=x", flac])
        XCTAssertEqual(try FLACVorbisComments.read(path: flac)?.contains { $0.key.uppercased() == "TITLE" && $0.value == "x" }, true)
        XCTAssertNil(try AudioTags.embeddedCueSheet(path: flac))
    }
}
