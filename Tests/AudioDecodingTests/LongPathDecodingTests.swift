@testable import AudioDecoding
import Foundation
import TestSupport
import XCTest

/// Decoding files whose paths are longer than libsndfile's 1,024-byte path
/// buffer, up to the system's `PATH_MAX`.
final class LongPathDecodingTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "songatlas-longpath") }

    override func tearDownWithError() throws {
        try LongPathTree.remove(directory.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path), "the long tree was left behind")
    }

    /// A copy of the short file `source` at a path of exactly `fileBytes` bytes.
    private func copy(_ source: String, toPathOf fileBytes: Int, letter: Character) throws -> String {
        let tree = try LongPathTree(under: directory.path, fileName: "song.wav", fileBytes: fileBytes, letter: letter)
        let staged = directory.file("staged-\(letter).wav")
        try FileManager.default.copyItem(atPath: source, toPath: staged)
        try tree.moveIn(staged, as: "song.wav")
        let path = tree.path + "/song.wav"
        XCTAssertEqual(path.utf8.count, fileBytes)
        return path
    }

    func testFileAtFourThousandBytesDecodesToTheSameSamples() throws {
        let short = directory.file("short.wav")
        // 44.1 kHz stereo, so the resampler and the downmix run too.
        let tone = Signals.sine(frequency: 440, seconds: 1.5, sampleRate: 44100, amplitude: 0.5)
        let stereo = tone.flatMap { [$0, -0.5 * $0] }
        try AudioFileWriter.write(stereo, to: short, sampleRate: 44100, channelCount: 2, format: .wav16)
        let long = try copy(short, toPathOf: 4000, letter: "q")

        let expected = try AudioDecoder(path: short).decodeAll()
        let decoder = try AudioDecoder(path: long)
        XCTAssertEqual(decoder.info.format, "WAV/PCM_16")
        XCTAssertEqual(decoder.info.channelCount, 2)
        let samples = try decoder.decodeAll()
        XCTAssertGreaterThan(expected.count, 30000)
        XCTAssertEqual(samples, expected)
    }

    /// 1,024 bytes is where `sf_open` failed with "No such file or directory"
    /// (it truncated the path); from 1,025 it said "Supplied filename too long".
    func testPathsAroundLibsndfilesOldBufferDecode() throws {
        let short = directory.file("short.wav")
        try AudioFileWriter.write(Signals.sine(frequency: 330, seconds: 0.5), to: short, sampleRate: 22050)
        let expected = try AudioDecoder(path: short).decodeAll()
        for (fileBytes, letter) in [(1023, "a"), (1024, "b"), (1025, "c"), (LongPathTree.pathLimitBytes - 1, "d")] {
            let path = try copy(short, toPathOf: fileBytes, letter: Character(letter))
            XCTAssertEqual(try AudioDecoder(path: path).decodeAll(), expected, "\(fileBytes) bytes")
        }
    }

    func testPathBeyondTheLimitIsNamedTooLong() throws {
        let tree = try LongPathTree(under: directory.path, fileName: "song.wav",
                                    fileBytes: LongPathTree.pathLimitBytes + 300, letter: "p")
        let staged = directory.file("staged.wav")
        try AudioFileWriter.write(Signals.sine(frequency: 330, seconds: 0.5), to: staged, sampleRate: 22050)
        try tree.moveIn(staged, as: "song.wav")
        let path = tree.path + "/song.wav"
        XCTAssertThrowsError(try AudioDecoder(path: path)) { error in
            XCTAssertEqual(error as? DecodingError, .pathTooLong(path: path, limitBytes: LongPathTree.pathLimitBytes))
            let message = String(describing: error)
            XCTAssertTrue(message.hasPrefix(path + ": "), "the message names the file")
            XCTAssertTrue(message.hasSuffix("path is longer than the system's limit of 4096 bytes (PATH_MAX); "
                + "move or rename the folder"), message)
        }
    }

    func testOpeningChecksKeepTheirOwnErrors() throws {
        let folder = try LongPathTree(under: directory.path, fileName: "x.wav", fileBytes: 3000, letter: "e").path
        XCTAssertThrowsError(try AudioDecoder(path: folder + "/x.wav")) { error in
            XCTAssertEqual(error as? DecodingError, .fileNotFound(path: folder + "/x.wav"))
        }
        XCTAssertThrowsError(try AudioDecoder(path: folder)) { error in
            XCTAssertEqual(error as? DecodingError, .isDirectory(path: folder))
        }
        XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/empty.wav", contents: Data()))
        XCTAssertThrowsError(try AudioDecoder(path: folder + "/empty.wav")) { error in
            XCTAssertEqual(error as? DecodingError, .emptyFile(path: folder + "/empty.wav"))
        }
        // A FIFO is reported, not opened for ever.
        XCTAssertEqual(mkfifo(folder + "/pipe.wav", 0o644), 0)
        XCTAssertThrowsError(try AudioDecoder(path: folder + "/pipe.wav")) { error in
            XCTAssertEqual(error as? DecodingError, .notRegularFile(path: folder + "/pipe.wav", kind: "a FIFO"))
        }
        // A name longer than NAME_MAX (255 bytes) cannot exist.
        let longName = folder + "/" + String(repeating: "n", count: 300) + ".wav"
        XCTAssertThrowsError(try AudioDecoder(path: longName)) { error in
            XCTAssertEqual(error as? DecodingError, .fileNotFound(path: longName))
        }
    }

    /// libsndfile recognises headerless µ-law by the ".au" extension alone;
    /// a descriptor carries no name, so the decoder says it explicitly.
    func testHeaderlessMuLawNamedAuStillDecodes() throws {
        let path = directory.file("raw.au")
        // A µ-law ramp (no header): 8000 bytes, one second at 8 kHz.
        let bytes = (0..<8000).map { UInt8(truncatingIfNeeded: $0 / 31) }
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let decoder = try AudioDecoder(path: path, options: DecodeOptions(outputSampleRate: 8000))
        XCTAssertEqual(decoder.info.format, "RAW/ULAW")
        XCTAssertEqual(decoder.info.sampleRate, 8000)
        XCTAssertEqual(try decoder.decodeAll().count, 8000)
        // The same bytes under another extension are not audio.
        let other = directory.file("raw.xyz")
        try FileManager.default.copyItem(atPath: path, toPath: other)
        XCTAssertThrowsError(try AudioDecoder(path: other)) { error in
            guard case .unsupportedFormat(other, _)? = error as? DecodingError else {
                return XCTFail("\(error)")
            }
        }
    }
}
