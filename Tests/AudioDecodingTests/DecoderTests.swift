@testable import AudioDecoding
import Foundation
import TestSupport
import XCTest

final class DecoderTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func write(_ name: String, _ samples: [Float], rate: Int = 22050, channels: Int = 1,
                       format: AudioFileWriter.Format = .wavFloat) throws -> String {
        let path = directory.file(name)
        try AudioFileWriter.write(samples, to: path, sampleRate: rate, channelCount: channels, format: format)
        return path
    }

    // MARK: Formats

    func testEveryFormatLibsndfileWritesDecodesToTheSameTone() throws {
        let tone = Signals.sine(frequency: 440, seconds: 1, sampleRate: 44100, amplitude: 0.5)
        let formats: [(String, AudioFileWriter.Format, Double)] = [
            ("a.wav", .wav16, 0.05), ("b.aiff", .aiff16, 0.05), ("c.flac", .flac16, 0.05),
            ("d.ogg", .oggVorbis, 0.5), ("e.opus", .oggOpus, 0.5), ("f.mp3", .mp3, 0.5),
        ]
        for (name, format, toleranceDecibels) in formats {
            let path: String
            if format == .oggOpus {
                // Opus only runs at 8, 12, 16, 24 or 48 kHz.
                path = try write(name, Signals.sine(frequency: 440, seconds: 1, sampleRate: 48000, amplitude: 0.5),
                                 rate: 48000, format: format)
            } else {
                path = try write(name, tone, rate: 44100, format: format)
            }
            let decoder = try AudioDecoder(path: path)
            let samples = try decoder.decodeAll()
            XCTAssertGreaterThan(samples.count, 20000, name)
            let level = Signals.toneLevelDecibels(samples, frequency: 440, sampleRate: 22050)
            assertClose(level, 20 * log10(0.5), tolerance: toleranceDecibels, "\(name) (\(decoder.info.format))")
        }
    }

    func testFormatNamesAndInfo() throws {
        let path = try write("x.flac", Signals.sine(frequency: 440, seconds: 2, sampleRate: 44100), rate: 44100,
                             channels: 1, format: .flac16)
        let decoder = try AudioDecoder(path: path)
        XCTAssertEqual(decoder.info.format, "FLAC/PCM_16")
        XCTAssertEqual(decoder.info.sampleRate, 44100)
        XCTAssertEqual(decoder.info.channelCount, 1)
        XCTAssertEqual(decoder.info.durationSeconds, 2, accuracy: 1e-9)
    }

    func testTagsAreRead() throws {
        let path = directory.file("tagged.flac")
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 0.5), to: path, sampleRate: 22050,
                                  format: .flac16, title: "Étude №1", artist: "Somebody", album: "Tests")
        let info = try AudioDecoder(path: path).info
        XCTAssertEqual(info.title, "Étude №1")
        XCTAssertEqual(info.artist, "Somebody")
        XCTAssertEqual(info.album, "Tests")
    }

    func testBitDepthsDecodeToTheSameSignal() throws {
        // An even length: libsndfile pads an odd 8-bit AIFF sound chunk and reads the pad back as a sample.
        let tone = Array(Signals.sine(frequency: 440, seconds: 0.5, sampleRate: 22050, amplitude: 0.5).prefix(11000))
        let formats: [(AudioFileWriter.Format, Float)] = [
            (.wavU8, 1.0 / 64), (.aiff8, 1.0 / 64), (.wav16, 1e-4), (.wav24, 1e-6), (.wav32, 1e-6),
            (.wavFloat, 0), (.wavDouble, 1e-7),
        ]
        for (index, (format, tolerance)) in formats.enumerated() {
            let path = try write("depth\(index).\(format == .aiff8 ? "aiff" : "wav")", tone, format: format)
            let samples = try AudioDecoder(path: path).decodeAll()
            XCTAssertEqual(samples.count, tone.count, "format \(index)")
            XCTAssertLessThanOrEqual(maximumDifference(samples, tone).value, tolerance, "format \(index)")
        }
    }

    func testChannelCountsOneToEightDownmixToTheMean() throws {
        let tone = Signals.sine(frequency: 440, seconds: 0.25, sampleRate: 22050, amplitude: 0.5)
        for channels in 1...8 {
            // Channel c carries the tone scaled by (c + 1) / channels; the mean is tone * (channels + 1) / (2 channels).
            var interleaved = [Float](repeating: 0, count: tone.count * channels)
            for (frame, value) in tone.enumerated() {
                for channel in 0..<channels {
                    interleaved[frame * channels + channel] = value * Float(channel + 1) / Float(channels)
                }
            }
            let path = try write("ch\(channels).wav", interleaved, channels: channels)
            let samples = try AudioDecoder(path: path).decodeAll()
            let expected = tone.map { $0 * Float(channels + 1) / Float(2 * channels) }
            XCTAssertLessThanOrEqual(maximumDifference(samples, expected).value, 1e-6, "\(channels) channels")
        }
    }

    func testSampleRatesFrom8To192Kilohertz() throws {
        for rate in [8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 176_400, 192_000] {
            let path = try write("r\(rate).wav", Signals.sine(frequency: 440, seconds: 0.5, sampleRate: rate), rate: rate)
            let decoder = try AudioDecoder(path: path)
            let samples = try decoder.decodeAll()
            XCTAssertEqual(samples.count, (rate / 2 * 22050 + rate - 1) / rate, "\(rate) Hz")
            XCTAssertEqual(decoder.info.sampleRate, rate)
            assertClose(Signals.toneLevelDecibels(samples, frequency: 440, sampleRate: 22050), 20 * log10(0.5),
                        tolerance: 0.1, "\(rate) Hz")
        }
    }

    func testNaNAndInfinitySamplesBecomeSilence() throws {
        var samples = Signals.sine(frequency: 440, seconds: 0.5)
        samples[100] = .nan
        samples[200] = .infinity
        samples[300] = -.infinity
        let path = try write("nan.wav", samples)
        let decoder = try AudioDecoder(path: path)
        var decoded: [Float] = []
        let report = try decoder.decode { decoded.append(contentsOf: $0) }
        XCTAssertEqual(report.nonFiniteSampleCount, 3)
        XCTAssertTrue(decoded.allSatisfy(\.isFinite))
        XCTAssertEqual(decoded[100], 0)
    }

    func testAbsurdlyLargeFloatSamplesAreClamped() throws {
        var samples = Signals.sine(frequency: 440, seconds: 0.5)
        for index in stride(from: 0, to: samples.count, by: 50) { samples[index] = index % 100 == 0 ? 1e30 : -3e37 }
        samples[7] = .nan
        let path = try write("huge.wav", samples)
        var decoded: [Float] = []
        let report = try AudioDecoder(path: path).decode { decoded.append(contentsOf: $0) }
        XCTAssertEqual(report.nonFiniteSampleCount, (samples.count + 49) / 50 + 1)
        XCTAssertTrue(decoded.allSatisfy { $0.isFinite && abs($0) <= AudioDecoder.largestSample })
    }

    // MARK: Excerpts

    func testExcerptIsTakenFromTheMiddle() throws {
        // 10 s: first half 220 Hz, second half 880 Hz; a 2 s excerpt straddles the change at 5 s.
        let samples = Signals.sine(frequency: 220, seconds: 5, sampleRate: 44100)
            + Signals.sine(frequency: 880, seconds: 5, sampleRate: 44100)
        let path = try write("long.flac", samples, rate: 44100, format: .flac16)
        let decoder = try AudioDecoder(path: path, options: DecodeOptions(excerptSeconds: 2))
        var excerpt: [Float] = []
        let report = try decoder.decode { excerpt.append(contentsOf: $0) }
        XCTAssertEqual(report.startSeconds, 4, accuracy: 1e-3)
        XCTAssertEqual(excerpt.count, 2 * 22050, accuracy: 2)
        let firstHalf = Array(excerpt[0..<22050])
        let secondHalf = Array(excerpt[22050...])
        XCTAssertGreaterThan(Signals.toneLevelDecibels(firstHalf, frequency: 220, sampleRate: 22050), -10)
        XCTAssertGreaterThan(Signals.toneLevelDecibels(secondHalf, frequency: 880, sampleRate: 22050), -10)
    }

    func testExcerptLongerThanTheTrackDecodesItAll() throws {
        let path = try write("short.wav", Signals.sine(frequency: 440, seconds: 1))
        let samples = try AudioDecoder(path: path, options: DecodeOptions(excerptSeconds: 30)).decodeAll()
        XCTAssertEqual(samples.count, 22050)
    }

    func testInvalidExcerptIsRejected() throws {
        let path = try write("a.wav", Signals.sine(frequency: 440, seconds: 1))
        for bad in [0.0, -1, .nan, .infinity] {
            guard case .invalidParameter = decodingError(path, options: DecodeOptions(excerptSeconds: bad)) else {
                return XCTFail("excerpt \(bad) accepted")
            }
        }
    }

    func testTimeLimitStopsALongDecodeWithItsOwnError() throws {
        let path = try write("long.wav", Signals.sine(frequency: 440, seconds: 20))
        // A limit already past when the first block is done.
        let options = DecodeOptions(blockFrameCount: 4096, timeLimitSeconds: 1e-9)
        guard case let .timedOut(timedOutPath, limit, decoded) = decodingError(path, options: options) else {
            return XCTFail("a decode past its time limit went on")
        }
        XCTAssertEqual(timedOutPath, path)
        XCTAssertEqual(limit, 1e-9)
        XCTAssertEqual(decoded, 4096 / 22050, accuracy: 1e-9)      // stopped after the first block
        XCTAssertTrue("\(DecodingError.timedOut(path: path, limitSeconds: 600, decodedSeconds: 3723.4))"
            .hasSuffix("stopped at the per-file time limit of 600.0 s, 1:02:03 into the audio "
                + "(a longer limit, or an excerpt, would finish it)"))
        // A generous limit changes nothing.
        XCTAssertEqual(try AudioDecoder(path: path, options: DecodeOptions(timeLimitSeconds: 600)).decodeAll().count,
                       20 * 22050)
        for bad in [0.0, -1, .nan] {
            guard case .invalidParameter = decodingError(path, options: DecodeOptions(timeLimitSeconds: bad)) else {
                return XCTFail("time limit \(bad) accepted")
            }
        }
    }

    // MARK: Bad input

    func testMissingFile() {
        XCTAssertEqual(decodingError(directory.file("nope.flac")), .fileNotFound(path: directory.file("nope.flac")))
    }

    func testDirectory() {
        XCTAssertEqual(decodingError(directory.path), .isDirectory(path: directory.path))
    }

    func testEmptyFile() throws {
        let path = directory.file("empty.flac")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        XCTAssertEqual(decodingError(path), .emptyFile(path: path))
    }

    func testUnreadableFile() throws {
        guard getuid() != 0 else { throw XCTSkip("root reads every file; permission errors cannot be provoked") }
        let path = try write("locked.wav", Signals.sine(frequency: 440, seconds: 0.2))
        chmod(path, 0)
        XCTAssertEqual(decodingError(path), .permissionDenied(path: path))
    }

    func testTextFileWithAnAudioExtension() throws {
        let path = directory.file("notes.mp3")
        try "these are not the samples you are looking for\n".write(toFile: path, atomically: true, encoding: .utf8)
        guard case .unsupportedFormat(path, _)? = decodingError(path) else {
            return XCTFail("text file accepted: \(String(describing: decodingError(path)))")
        }
    }

    func testRandomBytesNamedFlac() throws {
        let path = directory.file("random.flac")
        var generator = SplitMix64(seed: 3)
        let bytes = (0..<10000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        XCTAssertNotNil(decodingError(path))
    }

    func testTruncatedFilesGiveAnErrorOrTheirReadablePart() throws {
        let tone = Signals.sine(frequency: 440, seconds: 2, sampleRate: 44100)
        for (name, format) in [("t.wav", AudioFileWriter.Format.wav16), ("t.flac", .flac16), ("t.mp3", .mp3),
                               ("t.ogg", .oggVorbis)] {
            let path = try write(name, tone, rate: 44100, format: format)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            for fraction in [0.5, 0.02] {
                let cut = directory.file("cut-\(fraction)-\(name)")
                try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: cut))
                do {
                    let samples = try AudioDecoder(path: cut).decodeAll()
                    // What is readable is returned, finite and no longer than the original.
                    XCTAssertTrue(samples.allSatisfy(\.isFinite), cut)
                    XCTAssertLessThanOrEqual(samples.count, 2 * 22050 + 2048, cut)
                } catch let error as DecodingError {
                    XCTAssertFalse(error.description.isEmpty)
                }
            }
        }
    }

    func testErrorMessagesNameThePath() {
        let errors: [DecodingError] = [
            .fileNotFound(path: "/x/a.flac"), .isDirectory(path: "/x/a.flac"), .emptyFile(path: "/x/a.flac"),
            .unsupportedFormat(path: "/x/a.flac", reason: "r"), .tooShort(path: "/x/a.flac", durationSeconds: 0.01,
                                                                           minimumSeconds: 0.093),
            .unsupportedSampleRate(path: "/x/a.flac", sampleRate: 1),
        ]
        for error in errors { XCTAssertTrue(error.description.hasPrefix("/x/a.flac: "), error.description) }
        XCTAssertEqual(DecodingError.unsupportedSampleRate(path: "p", sampleRate: 1).description,
                       "p: sample rate 1 Hz is outside the supported range 1000–768000 Hz")
    }
}

