@testable import AudioDecoding
import Foundation
import TestSupport
import XCTest

/// The second decoder: formats outside libsndfile, made here with `ffmpeg`
/// from a FLAC written by libsndfile, decode to that FLAC's samples.
final class FFmpegDecoderTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// A stereo 44.1 kHz FLAC: a 440 Hz tone on the left, 660 Hz on the right.
    private func flac(seconds: Double = 3, name: String = "source.flac") throws -> String {
        let left = Signals.sine(frequency: 440, seconds: seconds, sampleRate: 44100, amplitude: 0.5)
        let right = Signals.sine(frequency: 660, seconds: seconds, sampleRate: 44100, amplitude: 0.25)
        var interleaved = [Float]()
        interleaved.reserveCapacity(2 * left.count)
        for (l, r) in zip(left, right) { interleaved += [l, r] }
        let path = directory.file(name)
        try AudioFileWriter.write(interleaved, to: path, sampleRate: 44100, channelCount: 2, format: .flac16)
        return path
    }

    private func encoded(_ source: String, _ recipe: FFmpegEncoder.Recipe, name: String? = nil,
                         extra: [String] = []) throws -> String {
        let path = directory.file(name ?? "out-\(recipe.fileExtension)-\(UUID().uuidString.prefix(6)).\(recipe.fileExtension)")
        try FFmpegEncoder.encode(source, to: path, recipe, extra: extra)
        return path
    }

    // MARK: Formats

    func testEveryFormatDecodesWithFFmpegToTheFlacItWasMadeFrom() throws {
        let source = try flac()
        let original = try AudioDecoder(path: source)
        XCTAssertEqual(original.decoderKind, .libsndfile)
        let expected = try original.decodeAll()
        let expectedFormats = ["AAC in M4A": "MP4/AAC", "ALAC in M4A": "MP4/ALAC", "WMA": "ASF/WMAV2",
                               "WavPack": "WAVPACK/WAVPACK", "Opus in Matroska": "MATROSKA/OPUS",
                               "MP4 with a video track": "MP4/AAC"]
        for recipe in FFmpegEncoder.Recipe.all {
            let path = try encoded(source, recipe)
            let decoder = try AudioDecoder(path: path)
            XCTAssertEqual(decoder.decoderKind, .ffmpeg, recipe.name)
            XCTAssertEqual(decoder.info.decoder, .ffmpeg, recipe.name)
            XCTAssertEqual(decoder.info.format, expectedFormats[recipe.name], recipe.name)
            XCTAssertEqual(decoder.info.channelCount, 2, recipe.name)
            XCTAssertEqual(decoder.info.sampleRate, recipe == .opusMatroska ? 48000 : 44100, recipe.name)
            let samples = try decoder.decodeAll()
            // Lossy encoders add up to one codec frame of padding (AAC 1024, Opus 312 at 48 kHz).
            assertClose(decoder.info.durationSeconds, 3, tolerance: recipe.isLossless ? 1e-9 : 0.1, recipe.name)
            if recipe.isLossless {
                XCTAssertEqual(samples.count, expected.count, recipe.name)
                XCTAssertLessThanOrEqual(maximumDifference(samples, expected).value, 1e-6, recipe.name)
            } else {
                // Both tones survive at their level (mono = (L + R) / 2: 440 Hz at 0.25, 660 Hz at 0.125).
                assertClose(Signals.toneLevelDecibels(samples, frequency: 440, sampleRate: 22050),
                            20 * log10(0.25), tolerance: 0.5, recipe.name)
                assertClose(Signals.toneLevelDecibels(samples, frequency: 660, sampleRate: 22050),
                            20 * log10(0.125), tolerance: 0.5, recipe.name)
            }
        }
    }

    func testTagsComeFromTheContainer() throws {
        let source = try flac(seconds: 1)
        let tags = ["-metadata", "title=Café Nocturne", "-metadata", "artist=Ensemble Ü", "-metadata", "album=Nuits",
                    "-metadata", "track=3/12", "-metadata", "disc=2/2"]
        for recipe in [FFmpegEncoder.Recipe.aacM4A, .alacM4A, .wma, .wavPack, .opusMatroska] {
            let info = try AudioDecoder(path: encoded(source, recipe, extra: tags)).info
            XCTAssertEqual(info.title, "Café Nocturne", recipe.name)
            XCTAssertEqual(info.artist, "Ensemble Ü", recipe.name)
            XCTAssertEqual(info.album, "Nuits", recipe.name)
            XCTAssertEqual(info.trackNumber, 3, recipe.name)
            if recipe.fileExtension == "m4a" || recipe.fileExtension == "mka" {
                XCTAssertEqual(info.discNumber, 2, recipe.name)
            }
        }
    }

    func testTheDefaultAudioStreamIsDecoded() throws {
        let low = directory.file("low.flac")
        let high = directory.file("high.flac")
        try AudioFileWriter.write(Signals.sine(frequency: 300, seconds: 2, sampleRate: 44100), to: low,
                                  sampleRate: 44100, channelCount: 1, format: .flac16)
        try AudioFileWriter.write(Signals.sine(frequency: 1200, seconds: 2, sampleRate: 44100), to: high,
                                  sampleRate: 44100, channelCount: 1, format: .flac16)
        let path = directory.file("two-languages.mka")
        try FFmpegEncoder.run(["-i", low, "-i", high, "-map", "0:a", "-map", "1:a", "-c:a", "flac",
                               "-disposition:a:0", "0", "-disposition:a:1", "default", path])
        let samples = try AudioDecoder(path: path).decodeAll()
        XCTAssertGreaterThan(Signals.toneLevelDecibels(samples, frequency: 1200, sampleRate: 22050), -10)
        XCTAssertLessThan(Signals.toneLevelDecibels(samples, frequency: 300, sampleRate: 22050), -40)
    }

    // MARK: The decoding contract

    func testAnExcerptSeeksToTheSameSamplesAsLibsndfile() throws {
        let source = try flac(seconds: 10)
        let options = DecodeOptions(excerptSeconds: 2)
        let expectedDecoder = try AudioDecoder(path: source, options: options)
        let expected = try expectedDecoder.decodeAll()
        for recipe in [FFmpegEncoder.Recipe.alacM4A, .wavPack] {
            let decoder = try AudioDecoder(path: encoded(source, recipe), options: options)
            var blocks = 0
            var samples: [Float] = []
            let report = try decoder.decode { samples.append(contentsOf: $0); blocks += 1 }
            assertClose(report.startSeconds, 4, tolerance: 1e-9, recipe.name)
            XCTAssertEqual(report.decodedFrameCount, 2 * 44100, recipe.name)
            XCTAssertEqual(samples.count, expected.count, recipe.name)
            XCTAssertLessThanOrEqual(maximumDifference(samples, expected).value, 1e-6, recipe.name)
            XCTAssertGreaterThan(blocks, 1, "\(recipe.name): streamed in blocks")
        }
    }

    func testTheTimeLimitStopsAnFFmpegDecode() throws {
        let path = try encoded(try flac(seconds: 3), .aacM4A)
        let options = DecodeOptions(blockFrameCount: 1024, timeLimitSeconds: 1e-6)
        guard case .timedOut(path, 1e-6, _)? = decodingError(path, options: options) else {
            return XCTFail("no time-out: \(String(describing: decodingError(path, options: options)))")
        }
    }

    // MARK: Fallback from libsndfile

    /// libsndfile, made to break off after `failAfter` frames.
    private final class BreakingSoundFile: DecoderBackend {
        let inner: SoundFile
        var remaining: Int
        init(_ path: String, failAfter: Int) throws { inner = try SoundFile(path: path); remaining = failAfter }
        var kind: AudioDecoderKind { inner.kind }
        var sampleRate: Int { inner.sampleRate }
        var channelCount: Int { inner.channelCount }
        var declaredFrameCount: Int { inner.declaredFrameCount }
        var frameCountIsEstimate: Bool { inner.frameCountIsEstimate }
        var isSeekable: Bool { inner.isSeekable }
        var formatName: String { inner.formatName }
        var tags: AudioTags { inner.tags }
        func seek(toFrame frame: Int) -> Bool { inner.seek(toFrame: frame) }
        func readFrames(into buffer: UnsafeMutablePointer<Float>, frameCount: Int) throws(DecodingError) -> Int {
            guard remaining > 0 else { throw .readFailed(path: inner.path, reason: "injected: unknown error in flac decoder") }
            let read = try inner.readFrames(into: buffer, frameCount: min(frameCount, remaining))
            remaining -= read
            return read
        }
    }

    func testFFmpegGoesOnWhereLibsndfileBreaksOff() throws {
        let source = try flac(seconds: 3)
        let expected = try AudioDecoder(path: source).decodeAll()
        for (failAfter, excerpt) in [(50_000, nil), (1, nil), (30_000, 1.5 as Double?)] {
            var choice = DecoderChoice()
            choice.openSndFile = { path throws(DecodingError) in
                do { return try BreakingSoundFile(path, failAfter: failAfter) } catch { throw error as! DecodingError }
            }
            let options = DecodeOptions(excerptSeconds: excerpt, blockFrameCount: 4096)
            let decoder = try AudioDecoder(path: source, options: options, opener: choice)
            XCTAssertEqual(decoder.info.decoder, .libsndfile)
            let samples = try decoder.decodeAll()
            XCTAssertEqual(decoder.info.decoder, .ffmpeg, "the decoder that finished is recorded")
            let reference = excerpt == nil ? expected : try AudioDecoder(path: source, options: options).decodeAll()
            XCTAssertEqual(samples.count, reference.count, "\(failAfter)")
            XCTAssertLessThanOrEqual(maximumDifference(samples, reference).value, 1e-6, "\(failAfter)")
        }
    }

    /// A real FLAC that libsndfile gives up on part-way: 400 bytes in the
    /// middle overwritten. FFmpeg resynchronises at the next frame and goes on.
    func testAFlacDamagedInTheMiddleIsFinishedByFFmpeg() throws {
        let source = try flac(seconds: 4)
        let expected = try AudioDecoder(path: source).decodeAll()
        var data = try Data(contentsOf: URL(fileURLWithPath: source))
        let middle = data.count / 2
        data.replaceSubrange(middle..<middle + 400, with: Data(repeating: 0x55, count: 400))
        let damaged = directory.file("damaged.flac")
        try data.write(to: URL(fileURLWithPath: damaged))

        // libsndfile alone breaks off.
        let alone = try AudioDecoder(path: damaged, options: DecodeOptions(decoder: .libsndfile))
        XCTAssertThrowsError(try alone.decodeAll()) { error in
            guard case .readFailed? = error as? DecodingError else { return XCTFail("\(error)") }
        }
        // With the fallback the whole length comes back, identical up to the damage.
        let decoder = try AudioDecoder(path: damaged)
        let samples = try decoder.decodeAll()
        XCTAssertEqual(decoder.info.decoder, .ffmpeg)
        XCTAssertEqual(Double(samples.count), Double(expected.count), accuracy: 0.05 * Double(expected.count))
        let intact = expected.count / 3
        XCTAssertLessThanOrEqual(maximumDifference(samples.prefix(intact), expected.prefix(intact)).value, 1e-6)
        XCTAssertLessThanOrEqual(maximumDifference(samples.suffix(intact), expected.suffix(intact)).value, 1e-6)
    }

    func testAFileLibsndfileRefusesIsOpenedWithFFmpeg() throws {
        let source = try flac(seconds: 1)
        let expected = try AudioDecoder(path: source).decodeAll()
        var choice = DecoderChoice()
        choice.openSndFile = { path throws(DecodingError) in
            throw .unsupportedFormat(path: path, reason: "injected: unknown error in flac decoder")
        }
        let decoder = try AudioDecoder(path: source, options: DecodeOptions(), opener: choice)
        XCTAssertEqual(decoder.info.decoder, .ffmpeg)
        XCTAssertEqual(decoder.info.format, "FLAC/FLAC")
        XCTAssertEqual(try decoder.decodeAll(), expected)
    }

    func testAnMP4NamedMp3IsReadByFFmpegAfterLibsndfileRefusesIt() throws {
        let path = try encoded(try flac(seconds: 1), .aacM4A, name: "misnamed.mp3", extra: ["-f", "mp4"])
        let decoder = try AudioDecoder(path: path)
        XCTAssertEqual(decoder.info.decoder, .ffmpeg)
        XCTAssertEqual(decoder.info.format, "MP4/AAC")
    }

    // MARK: Bad input

    func testATruncatedM4AGivesItsReadablePartOrAnError() throws {
        let source = try flac(seconds: 3)
        for faststart in [true, false] {
            let path = try encoded(source, .aacM4A, extra: faststart ? ["-movflags", "+faststart"] : [])
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let cut = directory.file("cut-\(faststart).m4a")
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: cut))
            do {
                let samples = try AudioDecoder(path: cut).decodeAll()
                XCTAssertTrue(faststart, "without its index at the front, half a file cannot be read")
                XCTAssertTrue(samples.allSatisfy(\.isFinite))
                XCTAssertGreaterThan(samples.count, 22050 / 2)
                XCTAssertLessThan(samples.count, 3 * 22050)
            } catch let error as DecodingError {
                XCTAssertFalse(faststart, "\(error)")
                guard case .malformedFile(cut, let reason) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(reason.contains("moov"), reason)
            }
        }
    }

    func testAnM4AWithoutItsMoovAtomIsReportedAsDamaged() throws {
        let path = try encoded(try flac(seconds: 1), .alacM4A)
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        // Remove the top-level moov box. (Renamed, FFmpeg would still find it inside a `free` box.)
        var offset = 0
        while offset + 8 <= data.count {
            let size = data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            if data[offset + 4..<offset + 8].elementsEqual("moov".utf8) {
                data.removeSubrange(offset..<offset + size)
                break
            }
            guard size >= 8 else { break }
            offset += size
        }
        let broken = directory.file("no-moov.m4a")
        try data.write(to: URL(fileURLWithPath: broken))
        guard case .malformedFile(broken, let reason)? = decodingError(broken) else {
            return XCTFail("\(String(describing: decodingError(broken)))")
        }
        XCTAssertTrue(reason.contains("moov atom"), reason)
        XCTAssertTrue(DecodingError.malformedFile(path: broken, reason: reason).description.hasPrefix(broken + ": damaged"))
    }

    func testAZeroByteM4AIsEmpty() throws {
        let path = directory.file("empty.m4a")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        XCTAssertEqual(decodingError(path), .emptyFile(path: path))
    }

    func testRandomBytesNamedWmaAreNotAudio() throws {
        let path = directory.file("random.wma")
        var generator = SplitMix64(seed: 11)
        _ = FileManager.default.createFile(
            atPath: path, contents: Data((0..<20000).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        guard case .unsupportedFormat(path, let reason)? = decodingError(path) else {
            return XCTFail("\(String(describing: decodingError(path)))")
        }
        XCTAssertTrue(reason.hasPrefix("FFmpeg: "), reason)
    }

    func testTextNamedFlacGivesBothDecodersReasons() throws {
        let path = directory.file("notes.flac")
        try "not audio at all\n".write(toFile: path, atomically: true, encoding: .utf8)
        guard case .unsupportedFormat(path, let reason)? = decodingError(path) else {
            return XCTFail("\(String(describing: decodingError(path)))")
        }
        XCTAssertTrue(reason.hasPrefix("libsndfile: "), reason)
        XCTAssertTrue(reason.contains("; FFmpeg"), reason)
    }

    func testAnImageHasNoAudioStream() throws {
        let path = directory.file("cover.m4a")
        try FFmpegEncoder.run(["-f", "lavfi", "-i", "color=c=blue:s=32x32:d=1", "-frames:v", "1",
                               "-c:v", "mjpeg", "-f", "mp4", path])
        XCTAssertEqual(decodingError(path), .unsupportedFormat(path: path, reason: "FFmpeg finds no audio stream in it"))
    }

    func testEncryptedAACGetsItsOwnError() throws {
        let path = try encoded(try flac(seconds: 1), .aacM4A, extra: [
            "-encryption_scheme", "cenc-aes-ctr", "-encryption_key", "76a6c65c5ea762046bd749a2e632ccbb",
            "-encryption_kid", "a7e61c373e219033c21091fa607bf3b8",
        ])
        let error = decodingError(path)
        XCTAssertEqual(error, .drmProtected(path: path, scheme: "Common Encryption"))
        XCTAssertTrue(error?.description.contains("copy-protected") ?? false)
    }
}
