import AudioDecoding
import Features
import Foundation
import TestSupport
import XCTest

/// A song analysed from AAC, ALAC, WMA, WavPack, Opus-in-Matroska or an MP4
/// with a video track (decoded by FFmpeg) has the summary of the FLAC it was
/// made from (decoded by libsndfile): lossless formats exactly, lossy ones
/// within a stated tolerance.
final class FormatAgreementTests: XCTestCase {
    /// Lossy codecs change the sound a little: the summary moves by its
    /// relative L2 distance, dominated by the dimensions in Hz (centroid,
    /// bandwidth, roll-off), which codec noise in the loop's quiet tails
    /// raises. Measured on this 8 s drum loop with a chord: AAC 192 kb/s
    /// 2.1%, Opus 160 kb/s 0.4%, WMA 192 kb/s 11.6% (FFmpeg's WMA encoder is
    /// a simple one). Allowed: 5%, and 15% for WMA; no dimension may move by
    /// more than that share of the summary's largest magnitude.
    static func lossyTolerance(_ recipe: FFmpegEncoder.Recipe) -> Float { recipe == .wma ? 0.15 : 0.05 }

    func testEveryFormatHasTheSummaryOfItsFlac() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rate = 44100
        let drums = Signals.drumLoop(bpm: 124, seconds: 8, sampleRate: rate)
        let chord = zip(Signals.sine(frequency: 220, seconds: 8, sampleRate: rate, amplitude: 0.2),
                        Signals.sine(frequency: 277.18, seconds: 8, sampleRate: rate, amplitude: 0.15)).map { $0 + $1 }
        var stereo = [Float]()
        for (d, c) in zip(drums, chord) { stereo += [0.6 * d + c, 0.6 * d - 0.5 * c] }
        let flac = directory.file("song.flac")
        try AudioFileWriter.write(stereo, to: flac, sampleRate: rate, channelCount: 2, format: .flac16)
        let extractor = FeatureExtractor()
        let original = try extractor.summarize(path: flac)
        XCTAssertEqual(original.info.decoder, .libsndfile)

        for recipe in FFmpegEncoder.Recipe.all {
            let path = directory.file("song.\(recipe.name.split(separator: " ").first!).\(recipe.fileExtension)")
            try FFmpegEncoder.encode(flac, to: path, recipe)
            let decoded = try extractor.summarize(path: path)
            XCTAssertEqual(decoded.info.decoder, .ffmpeg, recipe.name)
            let a = original.summary.values
            let b = decoded.summary.values
            XCTAssertEqual(a.count, b.count)
            let difference = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            let norm = a.map { $0 * $0 }.reduce(0, +).squareRoot()
            let largest = a.map(abs).max()!
            let worst = zip(a, b).map { abs($0 - $1) }.max()!
            if recipe.isLossless {
                XCTAssertEqual(b, a, "\(recipe.name): the same samples give the same summary")
                assertClose(decoded.info.durationSeconds, original.info.durationSeconds, tolerance: 1e-9, recipe.name)
            } else {
                XCTAssertLessThanOrEqual(difference / norm, Self.lossyTolerance(recipe), recipe.name)
                XCTAssertLessThanOrEqual(worst / largest, Self.lossyTolerance(recipe), recipe.name)
                assertClose(decoded.info.durationSeconds, original.info.durationSeconds, tolerance: 0.1, recipe.name)
                // What moved is the codec, not the decoder: the `ffmpeg` command's own decode
                // (32-bit float WAV at the file's rate, read by libsndfile) gives the same summary.
                let reference = path + ".wav"
                try FFmpegEncoder.run(["-i", path, "-map", "0:a:0", "-c:a", "pcm_f32le", reference])
                let command = try extractor.summarize(path: reference).summary.values
                let decoderDifference = zip(command, b).map { abs($0 - $1) }.max()!
                XCTAssertLessThanOrEqual(decoderDifference / largest, 1e-5, "\(recipe.name): against the ffmpeg command")
            }
        }
    }
}
