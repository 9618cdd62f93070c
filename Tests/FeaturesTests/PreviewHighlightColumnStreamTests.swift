import AudioDecoding
import Features
import TestSupport
import XCTest

/// Columns pushed block by block (``FrameColumnStream``, as a map preview's decode feeds them) are those
/// ``FeatureExtractor/streamedColumns(path:columns:decodeOptions:)`` computes from the file, whatever the block size.
final class PreviewHighlightColumnStreamTests: XCTestCase {
    func testPushedBlocksGiveTheColumnsOfTheFile() throws {
        let samples = Signals.noise(seconds: 2, amplitude: 0.3, seed: 9)
            + Signals.sine(frequency: 440, seconds: 2, amplitude: 0.4)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("pushed.wav")
        try AudioFileWriter.write(samples, to: path, sampleRate: 22050)
        let columns = [1, 2, 3, FrameFeatureNames.columns(of: .chroma).lowerBound]
        let (_, expected) = try FeatureExtractor().streamedColumns(path: path, columns: columns)
        let decoded = try AudioDecoder(path: path).decodeAll()

        for blockSize in [1000, 4096, decoded.count] {
            let stream = FrameColumnStream(columns: columns, expectedSampleCount: decoded.count)
            XCTAssertEqual(stream.sampleRate, 22050)
            decoded.withUnsafeBufferPointer { all in
                var start = 0
                while start < all.count {
                    let end = min(all.count, start + blockSize)
                    stream.append(UnsafeBufferPointer(rebasing: all[start..<end]))
                    start = end
                }
            }
            let pushed = try XCTUnwrap(stream.finish())
            XCTAssertEqual(pushed.frameCount, expected.frameCount, "blocks of \(blockSize)")
            XCTAssertEqual(pushed.columns, columns)
            XCTAssertEqual(pushed.values.count, expected.values.count)
            for index in pushed.values.indices {
                XCTAssertEqual(pushed.values[index], expected.values[index], accuracy: 1e-5 * max(1, abs(expected.values[index])),
                               "value \(index), blocks of \(blockSize)")
            }
            XCTAssertEqual(pushed.levels, expected.levels)
        }
    }

    func testLessThanOneFrameGivesNothing() {
        let stream = FrameColumnStream(columns: [1])
        let short = Signals.sine(frequency: 440, seconds: 0.05)
        short.withUnsafeBufferPointer { stream.append($0) }
        XCTAssertNil(stream.finish(), "\(short.count) samples are fewer than one 2048-sample frame")
    }
}
