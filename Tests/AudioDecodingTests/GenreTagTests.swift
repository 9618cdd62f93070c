@testable import AudioDecoding
import Foundation
import TestSupport
import XCTest

/// The genre tag: libsndfile's `SF_STR_GENRE` and FFmpeg's `genre` metadata reach ``AudioFileInfo/genre`` as the
/// file spells it.
final class GenreTagTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func tone(_ name: String, format: AudioFileWriter.Format, genre: String?) throws -> String {
        let path = directory.file(name)
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 1, sampleRate: 44100), to: path,
                                  sampleRate: 44100, format: format, title: "Tone", genre: genre)
        return path
    }

    func testLibsndfileReadsTheGenreTagOfFLACAndWAV() throws {
        for (name, format) in [("a.flac", AudioFileWriter.Format.flac16), ("a.wav", .wav16)] {
            let decoder = try AudioDecoder(path: tone(name, format: format, genre: "Hip Hop"))
            XCTAssertEqual(decoder.decoderKind, .libsndfile, name)
            XCTAssertEqual(decoder.info.genre, "Hip Hop", name)
            XCTAssertEqual(decoder.info.title, "Tone", name)
        }
        XCTAssertNil(try AudioDecoder(path: tone("none.flac", format: .flac16, genre: nil)).info.genre)
    }

    func testFFmpegReadsTheGenreOfItsContainers() throws {
        let source = try tone("source.flac", format: .flac16, genre: "Jazz")
        // FFmpeg's own reading of the FLAC's Vorbis comment.
        XCTAssertEqual(try FFmpegFile(path: source).tags.genre, "Jazz")
        for recipe in [FFmpegEncoder.Recipe.aacM4A, .wavPack, .opusMatroska] {
            let path = directory.file("out.\(recipe.fileExtension)")
            try FFmpegEncoder.encode(source, to: path, recipe, extra: ["-metadata", "genre=Drum & Bass"])
            let info = try AudioDecoder(path: path).info
            XCTAssertEqual(info.decoder, .ffmpeg, recipe.name)
            XCTAssertEqual(info.genre, "Drum & Bass", recipe.name)
            try FileManager.default.removeItem(atPath: path)
        }
    }
}
