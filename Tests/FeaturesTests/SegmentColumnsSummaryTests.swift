import AudioDecoding
import Features
import TestSupport
import XCTest

/// `summarize(path:decodeOptions:embedding:keepingColumns:)`, the one decode behind `analyze --highlight` and
/// `segment PATH... --out`: its summary is `summarize(path:)`'s and its columns are `streamedColumns(path:columns:)`'s.
final class SegmentColumnsSummaryTests: XCTestCase {
    func testOneDecodeGivesTheSummaryAndTheStreamedColumns() throws {
        // Loud noise, then a quiet tone: the running floors move, so both finish rows alike or not at all.
        let samples = Signals.noise(seconds: 2, amplitude: 0.5, seed: 7)
            + Signals.sine(frequency: 440, seconds: 3, amplitude: 0.001)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("track.wav")
        try AudioFileWriter.write(samples, to: path, sampleRate: 22050)

        let extractor = FeatureExtractor()
        let columns = Array(FrameFeatureNames.columns(of: .mfcc)) + Array(FrameFeatureNames.columns(of: .chroma))
        let (features, kept) = try extractor.summarize(path: path, embedding: nil, keepingColumns: columns)
        let alone = try extractor.summarize(path: path)
        XCTAssertEqual(features, alone)
        // Equal, not close: both keep the very same rows of one computation.
        let (_, streamed) = try extractor.streamedColumns(path: path, columns: columns)
        XCTAssertEqual(kept.frameCount, streamed.frameCount)
        XCTAssertEqual(kept.columns, streamed.columns)
        XCTAssertEqual(kept.values, streamed.values)
        XCTAssertEqual(kept.levels, streamed.levels)
        XCTAssertGreaterThan(kept.frameCount, 200)
    }
}
