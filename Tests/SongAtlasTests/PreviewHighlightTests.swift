import AudioDecoding
import Clustering
import Export
import Foundation
import SongAtlas
import Synchronization
import TestSupport
import XCTest

/// A map preview starts at the song's highlight, chosen from the preview's own decode (issue 26 item 1),
/// at 0 when there is none; a cached preview keeps its start and needs no decode.
final class PreviewHighlightTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private let rate = 22050
    /// The sections of ``writeSongWithChorus()``: (start, end) seconds, the second chorus the loudest.
    private let secondChorus = (start: 36.0, end: 48.0)

    /// A major triad on A3 at `amplitude` per tone.
    private func chord(seconds: Double, amplitude: Double) -> [Float] {
        let tones = [220.0, 277.18, 329.63].map { Signals.sine(frequency: $0, seconds: seconds, sampleRate: rate,
                                                                  amplitude: amplitude) }
        return (0..<tones[0].count).map { index in tones.reduce(0) { $0 + $1[index] } }
    }

    /// 60 s in five 12 s sections: intro (noise), chorus (a triad), verse (drums), chorus (the triad,
    /// twice as loud), verse. The chorus and the verse both occur twice; the chorus is louder, so the
    /// highlight is the second chorus, 36–48 s.
    private func writeSongWithChorus() throws -> String {
        let section = 12.0
        let drums = Signals.drumLoop(bpm: 120, seconds: section, sampleRate: rate).map { $0 * 0.25 }
        let samples = Signals.noise(seconds: section, sampleRate: rate, amplitude: 0.05)
            + chord(seconds: section, amplitude: 0.12) + drums
            + chord(seconds: section, amplitude: 0.25) + drums
        let path = directory.file("chorus.flac")
        try AudioFileWriter.write(samples, to: path, sampleRate: rate, format: .flac16)
        return path
    }

    /// The RMS of a decoded file (mono, analysis rate).
    private func rootMeanSquare(_ path: String) throws -> (rms: Double, seconds: Double) {
        let samples = try AudioDecoder(path: path).decodeAll()
        let energy = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        return ((energy / Double(max(1, samples.count))).squareRoot(), Double(samples.count) / Double(rate))
    }

    func testAPreviewStartsWithinTheLoudChorus() throws {
        let format = try XCTUnwrap(PreviewEncoder.availableFormat)
        let song = try writeSongWithChorus()
        let preview = directory.file("preview." + format.fileExtension)
        let encoded = try PreviewHighlight().encode(song, seconds: 6, to: preview, format: format)
        guard case let .highlight(highlight) = encoded.start else {
            return XCTFail("expected a highlight, got \(encoded.start)")
        }
        XCTAssertEqual(encoded.startSeconds, highlight.start, accuracy: 1e-3)
        XCTAssertGreaterThanOrEqual(encoded.startSeconds, secondChorus.start - 0.5, "\(highlight)")
        XCTAssertLessThanOrEqual(encoded.startSeconds + 6, secondChorus.end + 0.5, "\(highlight)")
        XCTAssertEqual(encoded.lengthSeconds, 6, accuracy: 1e-3)
        // The library's highlight of the file alone (`analyze --highlight`, a 22050 Hz decode) agrees.
        let alone = try TrackSegmenter.highlight(path: song, seconds: 6)
        XCTAssertEqual(highlight.label, alone.label)
        XCTAssertEqual(highlight.start, alone.start, accuracy: 0.1, "\(highlight) against \(alone)")
        // The preview holds the loud triad: its RMS is the second chorus's (3 tones of 0.25: 0.433), not the
        // first chorus's (0.217) nor the verse's.
        let heard = try rootMeanSquare(preview)
        XCTAssertEqual(heard.seconds, 6, accuracy: 0.1)
        XCTAssertEqual(heard.rms, 0.25 * (1.5).squareRoot(), accuracy: 0.05)
    }

    func testASilentSongStartsAtZero() throws {
        let format = try XCTUnwrap(PreviewEncoder.availableFormat)
        let song = directory.file("silent.flac")
        try AudioFileWriter.write(Signals.silence(seconds: 20, sampleRate: rate), to: song, sampleRate: rate, format: .flac16)
        let encoded = try PreviewHighlight().encode(song, seconds: 5, to: directory.file("silent." + format.fileExtension),
                                                    format: format)
        XCTAssertEqual(encoded.startSeconds, 0)
        XCTAssertEqual(encoded.start, .beginning(reason: "silent"))
        XCTAssertEqual(encoded.lengthSeconds, 5, accuracy: 1e-3)
    }

    func testAShortSongStartsAtZeroAndIsWhole() throws {
        let format = try XCTUnwrap(PreviewEncoder.availableFormat)
        let song = directory.file("short.flac")
        try AudioFileWriter.write(chord(seconds: 3, amplitude: 0.2), to: song, sampleRate: rate, format: .flac16)
        let encoded = try PreviewHighlight().encode(song, seconds: 5, to: directory.file("short." + format.fileExtension),
                                                    format: format)
        XCTAssertEqual(encoded.startSeconds, 0)
        guard case let .beginning(reason) = encoded.start else { return XCTFail("\(encoded.start)") }
        XCTAssertTrue(reason.contains("not longer than the preview"), reason)
        XCTAssertEqual(encoded.lengthSeconds, 3, accuracy: 0.01)
    }

    func testASongLongerThanTheLimitGetsItsFirstSeconds() throws {
        let format = try XCTUnwrap(PreviewEncoder.availableFormat)
        let song = try writeSongWithChorus()
        let encoded = try PreviewHighlight(maximumSongSeconds: 30)
            .encode(song, seconds: 6, to: directory.file("long." + format.fileExtension), format: format)
        XCTAssertEqual(encoded.startSeconds, 0)
        XCTAssertEqual(encoded.lengthSeconds, 6, accuracy: 1e-3)
        guard case let .beginning(reason) = encoded.start else { return XCTFail("\(encoded.start)") }
        XCTAssertTrue(reason.contains("longer than 30 s"), reason)
    }

    func testACachedPreviewKeepsItsStartWithoutADecode() throws {
        let format = try XCTUnwrap(PreviewEncoder.availableFormat)
        let song = try writeSongWithChorus()
        let cache = PreviewCache(folder: directory.file("cache"))
        let decodes = Atomic<Int>(0)
        let count = { _ = decodes.add(1, ordering: .relaxed) }

        let first = try cache.highlightPreview(of: song, seconds: 6, format: format, onEncode: count)
        XCTAssertTrue(first.encoded)
        XCTAssertEqual(decodes.load(ordering: .relaxed), 1)
        XCTAssertGreaterThanOrEqual(first.startSeconds, secondChorus.start - 0.5)

        let again = try cache.highlightPreview(of: song, seconds: 6, format: format, onEncode: count)
        XCTAssertFalse(again.encoded)
        XCTAssertEqual(decodes.load(ordering: .relaxed), 1, "a cached preview is not decoded")
        XCTAssertEqual(again.path, first.path)
        XCTAssertEqual(again.startSeconds, first.startSeconds, accuracy: 1e-6, "the start is kept beside the preview")

        // Another length is another preview.
        let longer = try cache.highlightPreview(of: song, seconds: 8, format: format, onEncode: count)
        XCTAssertTrue(longer.encoded)
        XCTAssertEqual(decodes.load(ordering: .relaxed), 2)

        // A preview whose start file is lost is encoded again rather than given a made-up start.
        let startFile = (first.path as NSString).deletingPathExtension + ".start"
        try FileManager.default.removeItem(atPath: startFile)
        let redone = try cache.highlightPreview(of: song, seconds: 6, format: format, onEncode: count)
        XCTAssertTrue(redone.encoded)
        XCTAssertEqual(decodes.load(ordering: .relaxed), 3)
        XCTAssertEqual(redone.startSeconds, first.startSeconds, accuracy: 1e-6)
    }

    func testTheMapsPreviewsStartAtEachSongsHighlight() throws {
        let format = try XCTUnwrap(PreviewEncoder.availableFormat)
        let chorus = try writeSongWithChorus()
        let silent = directory.file("quiet.flac")
        try AudioFileWriter.write(Signals.silence(seconds: 20, sampleRate: rate), to: silent, sampleRate: rate, format: .flac16)
        let songs = [chorus, silent].map {
            SongMapDocument.Song(path: $0, title: nil, artist: nil, cluster: 0, unit: 0, gridX: 0, gridY: 0, x: 0, y: 0)
        }
        let builder = PreviewSetBuilder(choice: .all, seconds: 6, format: format,
                                        cache: PreviewCache(folder: directory.file("cache")))
        let result = try builder.build(songs, htmlPath: directory.file("map.html"))
        XCTAssertEqual(result.encodedCount, 2)
        XCTAssertEqual(result.previews.count, 2)
        let chorusStart = try XCTUnwrap(result.startSeconds[0])
        XCTAssertGreaterThanOrEqual(chorusStart, secondChorus.start - 0.5)
        XCTAssertLessThanOrEqual(chorusStart + 6, secondChorus.end + 0.5)
        XCTAssertEqual(result.startSeconds[1], 0)
        let again = try builder.build(songs, htmlPath: directory.file("map.html"))
        XCTAssertEqual(again.encodedCount, 0, "both previews come from the cache")
        XCTAssertEqual(again.startSeconds, result.startSeconds)
    }
}
