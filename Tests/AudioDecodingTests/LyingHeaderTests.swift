@testable import AudioDecoding
import Foundation
import SyntheticAudio
import TestSupport
import XCTest

/// Headers that lie about the length: the duration is what was decoded, and
/// the disagreement is noted.
final class LyingHeaderTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testAFlacDeclaringTheLargestSampleCountLastsWhatWasDecoded() throws {
        let path = directory.file("lying.flac")
        try AudioFileWriter.write(Signals.sine(frequency: 392, seconds: 3), to: path, sampleRate: 22050, format: .flac16)
        try HostileCorpus.declareLargestSampleCount(flac: path)
        let decoder = try AudioDecoder(path: path)
        XCTAssertEqual(decoder.info.declaredFrameCount, (1 << 36) - 1)
        let samples = try decoder.decodeAll()
        XCTAssertEqual(Double(samples.count) / 22050, 3, accuracy: 0.01)
        XCTAssertEqual(decoder.info.durationSeconds, 3, accuracy: 0.01)
        let declared = String(format: "%.0f", Double((1 << 36) - 1) / 22050)   // 3116530
        XCTAssertEqual(decoder.info.durationNote, "header says \(declared) s, decoded 3.0 s")
    }

    func testAnHonestHeaderGivesNoNote() throws {
        let path = directory.file("honest.flac")
        try AudioFileWriter.write(Signals.sine(frequency: 392, seconds: 3), to: path, sampleRate: 22050, format: .flac16)
        let decoder = try AudioDecoder(path: path)
        _ = try decoder.decodeAll()
        XCTAssertEqual(decoder.info.durationSeconds, 3, accuracy: 0.01)
        XCTAssertNil(decoder.info.durationNote)
    }

    func testAFaststartM4ACutInHalfIsNoted() throws {
        let source = directory.file("source.flac")
        try AudioFileWriter.write(Signals.sine(frequency: 392, seconds: 20, sampleRate: 44100), to: source, sampleRate: 44100,
                                  format: .flac16)
        let whole = directory.file("whole.m4a")
        try FFmpegEncoder.run(["-i", source, "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", whole])
        let data = try Data(contentsOf: URL(fileURLWithPath: whole))
        let cut = directory.file("cut.m4a")
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: cut))
        let decoder = try AudioDecoder(path: cut)
        XCTAssertEqual(decoder.info.declaredDurationSeconds, 20, accuracy: 0.2)
        _ = try decoder.decodeAll()
        XCTAssertLessThan(decoder.info.durationSeconds, 15)
        XCTAssertGreaterThan(decoder.info.durationSeconds, 5)
        let note = try XCTUnwrap(decoder.info.durationNote)
        XCTAssertTrue(note.hasPrefix("header says 20 s, decoded "), note)
    }

    func testAnExcerptOfAnHonestFileKeepsTheHeadersLength() throws {
        let path = directory.file("long.flac")
        try AudioFileWriter.write(Signals.sine(frequency: 392, seconds: 6), to: path, sampleRate: 22050, format: .flac16)
        let decoder = try AudioDecoder(path: path, options: DecodeOptions(excerptSeconds: 2))
        let samples = try decoder.decodeAll()
        XCTAssertEqual(Double(samples.count) / 22050, 2, accuracy: 0.01)
        XCTAssertEqual(decoder.info.durationSeconds, 6, accuracy: 0.01)
        XCTAssertNil(decoder.info.durationNote)
    }
}

/// Paths that are not regular files are named as such, never read.
final class SpecialFileDecodingTests: XCTestCase {
    func testAFIFOAndADeviceAreNotRegularFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fifo = directory.file("pipe.flac")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        for (path, kind) in [(fifo, "a FIFO"), ("/dev/urandom", "a device"), ("/dev/zero", "a device")] {
            XCTAssertThrowsError(try AudioDecoder(path: path)) { error in
                XCTAssertEqual(error as? DecodingError, .notRegularFile(path: path, kind: kind))
                XCTAssertEqual("\(error)", "\(path): not a regular file (it is \(kind)); skipped")
            }
        }
    }
}
