import AudioDecoding
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// Previews are cached by the file's identity: an unchanged song is not encoded twice.
final class PreviewCacheTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testAnUnchangedSongIsEncodedOnceAndAChangedOneAgain() throws {
        let format = try XCTUnwrap(PreviewEncoder.availableFormat)
        let song = directory.file("song.flac")
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 4, sampleRate: 22050), to: song,
                                  sampleRate: 22050, format: .flac16)
        let cache = PreviewCache(folder: directory.file("cache"))

        let first = try cache.preview(of: song, startSeconds: 1, seconds: 2, format: format)
        XCTAssertTrue(first.encoded)
        let seconds = Double(try AudioDecoder(path: first.path).decodeAll().count) / Double(AnalysisRate.sampleRate)
        XCTAssertEqual(seconds, 2, accuracy: 0.06)

        let again = try cache.preview(of: song, startSeconds: 1, seconds: 2, format: format)
        XCTAssertFalse(again.encoded, "an unchanged song is taken from the cache")
        XCTAssertEqual(again.path, first.path)

        let otherRange = try cache.preview(of: song, startSeconds: 0, seconds: 2, format: format)
        XCTAssertTrue(otherRange.encoded, "another range is another preview")
        XCTAssertNotEqual(otherRange.path, first.path)

        // The same path with another modification time (and length) is another file.
        try AudioFileWriter.write(Signals.sine(frequency: 880, seconds: 5, sampleRate: 22050), to: song,
                                  sampleRate: 22050, format: .flac16)
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, song, &times, 0), 0)
        let changed = try cache.preview(of: song, startSeconds: 1, seconds: 2, format: format)
        XCTAssertTrue(changed.encoded, "a changed song is encoded again")
        XCTAssertNotEqual(changed.path, first.path)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.file("cache"))
        XCTAssertEqual(files.filter { $0.hasSuffix("." + format.fileExtension) }.count, 3, "\(files)")
        XCTAssertEqual(files.filter { $0.hasSuffix(".start") }.count, 3, "each preview's start is kept beside it: \(files)")
    }

    func testAMissingSongNamesItsPath() throws {
        let format = try XCTUnwrap(PreviewEncoder.availableFormat)
        let missing = directory.file("gone.wma")
        XCTAssertThrowsError(try PreviewCache(folder: directory.file("cache"))
            .preview(of: missing, startSeconds: 0, seconds: 2, format: format)) {
            XCTAssertTrue("\($0)".contains(missing), "\($0)")
        }
    }
}
