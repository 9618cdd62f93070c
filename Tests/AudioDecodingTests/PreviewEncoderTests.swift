@testable import AudioDecoding
import Foundation
import TestSupport
import XCTest

/// Previews encoded with FFmpeg's libraries decode back, through the project's
/// decoder, to the length and the tone they were given.
final class PreviewEncoderTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// The frequency of the largest bin of a plain DFT over `samples`' middle `count` samples.
    private func peakFrequency(_ samples: [Float], sampleRate: Int, count: Int = 8192) -> Double {
        let start = max(0, (samples.count - count) / 2)
        let window = Array(samples[start..<min(samples.count, start + count)])
        let n = window.count
        let cosines = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
        let sines = (0..<n).map { sin(2 * Double.pi * Double($0) / Double(n)) }
        let values = window.map(Double.init)
        var best = (bin: 0, power: -1.0)
        for bin in 1..<(n / 2) {
            var re = 0.0, im = 0.0, phase = 0
            for value in values {
                re += value * cosines[phase]
                im -= value * sines[phase]
                phase += bin
                if phase >= n { phase -= n }
            }
            let power = re * re + im * im
            if power > best.power { best = (bin, power) }
        }
        return Double(best.bin) * Double(sampleRate) / Double(n)
    }

    private func decodedBack(_ path: String, rate: Int = 22050) throws -> [Float] {
        try AudioDecoder(path: path, options: DecodeOptions(outputSampleRate: rate)).decodeAll()
    }

    func testEachAvailableFormatKeepsDurationAndTone() throws {
        let formats = PreviewFormat.allCases.filter(PreviewEncoder.canEncode)
        XCTAssertNotNil(PreviewEncoder.availableFormat, "FFmpeg has neither libopus nor libmp3lame")
        for format in formats {
            let tone = Signals.sine(frequency: 1000, seconds: 3, sampleRate: 48000, amplitude: 0.5)
            let path = directory.file("tone.\(format.fileExtension)")
            try PreviewEncoder.encode(tone, sampleRate: 48000, channelCount: 1, to: path, format: format)
            let back = try decodedBack(path)
            let seconds = Double(back.count) / 22050
            XCTAssertEqual(seconds, 3, accuracy: 0.06, "\(format): decoded length \(seconds) s")
            XCTAssertEqual(peakFrequency(back, sampleRate: 22050), 1000, accuracy: 22050.0 / 8192 * 1.5, "\(format)")
            // Nothing but the preview is left in the folder.
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["tone.\(format.fileExtension)"])
            try FileManager.default.removeItem(atPath: path)
        }
    }

    func testStereoInput() throws {
        let format = try XCTUnwrap(PreviewEncoder.availableFormat)
        let left = Signals.sine(frequency: 660, seconds: 2, sampleRate: 48000)
        var interleaved: [Float] = []
        for value in left { interleaved += [value, value] }
        let path = directory.file("stereo.\(format.fileExtension)")
        try PreviewEncoder.encode(interleaved, sampleRate: 48000, channelCount: 2, to: path, format: format)
        let back = try decodedBack(path)
        XCTAssertEqual(Double(back.count) / 22050, 2, accuracy: 0.06)
        XCTAssertEqual(peakFrequency(back, sampleRate: 22050), 660, accuracy: 22050.0 / 8192 * 1.5)
    }

    /// A range of a decoded song: 3 s from 2 s of a song whose tone changes at 2 s.
    func testEncodeRangeOfASong() throws {
        let format = try XCTUnwrap(PreviewEncoder.availableFormat)
        let song = Signals.sine(frequency: 440, seconds: 2, sampleRate: 44100)
            + Signals.sine(frequency: 1500, seconds: 4, sampleRate: 44100)
        let source = directory.file("song.flac")
        try AudioFileWriter.write(song, to: source, sampleRate: 44100, format: .flac16)
        let path = directory.file("preview.\(format.fileExtension)")
        let length = try PreviewEncoder.encodeRange(of: source, startSeconds: 2, seconds: 3, to: path, format: format)
        XCTAssertEqual(length, 3, accuracy: 0.001)
        let back = try decodedBack(path)
        XCTAssertEqual(Double(back.count) / 22050, 3, accuracy: 0.06)
        XCTAssertEqual(peakFrequency(back, sampleRate: 22050), 1500, accuracy: 22050.0 / 8192 * 1.5)
    }

    /// A start past the end gives the song's last seconds.
    func testStartPastTheEndGivesTheLastSeconds() throws {
        let format = try XCTUnwrap(PreviewEncoder.availableFormat)
        let song = Signals.sine(frequency: 440, seconds: 2, sampleRate: 44100)
            + Signals.sine(frequency: 1500, seconds: 2, sampleRate: 44100)
        let source = directory.file("song.flac")
        try AudioFileWriter.write(song, to: source, sampleRate: 44100, format: .flac16)
        let path = directory.file("end.\(format.fileExtension)")
        let length = try PreviewEncoder.encodeRange(of: source, startSeconds: 30, seconds: 1.5, to: path, format: format)
        XCTAssertEqual(length, 1.5, accuracy: 0.05)
        XCTAssertEqual(peakFrequency(try decodedBack(path), sampleRate: 22050, count: 4096), 1500,
                       accuracy: 22050.0 / 4096 * 1.5)
    }

    func testRefusesThreeChannelsAndNamesTheValue() {
        XCTAssertThrowsError(try PreviewEncoder(path: directory.file("x.opus"), format: .opus, channelCount: 3)) {
            XCTAssertTrue("\($0)".contains("channelCount=3"), "\($0)")
        }
    }
}
