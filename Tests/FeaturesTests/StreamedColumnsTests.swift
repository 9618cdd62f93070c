import AudioDecoding
import Features
import TestSupport
import XCTest

/// The streamed columns `segment` uses equal the whole-track frame matrix
/// wherever the running floor is the final one (every band of every frame
/// within 80 dB of the loudest), and hold one level per frame.
final class StreamedColumnsTests: XCTestCase {
    func testStreamedColumnsMatchTheFrameMatrixWhenNothingIsClipped() throws {
        // Loud noise, then quieter noise under a tone: no mel band falls 80 dB below the peak.
        let tone = Signals.sine(frequency: 330, seconds: 3, amplitude: 0.2)
        let samples = Signals.noise(seconds: 3, amplitude: 0.5, seed: 4)
            + zip(Signals.noise(seconds: 3, amplitude: 0.05, seed: 5), tone).map { $0 + $1 }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("noise.wav")
        try AudioFileWriter.write(samples, to: path, sampleRate: 22050)

        let extractor = FeatureExtractor()
        let (_, full) = try extractor.frameFeatures(path: path)
        let onset = FrameFeatureNames.columns(of: .onset).lowerBound
        let columns = Array(0..<FrameFeatureNames.count).filter { $0 != onset }
        let (_, streamed) = try extractor.streamedColumns(path: path, columns: columns)
        XCTAssertEqual(streamed.frameCount, full.frameCount)
        XCTAssertEqual(streamed.values.count, full.frameCount * columns.count)
        let rms = FrameFeatureNames.columns(of: .rms).lowerBound
        for frame in 0..<full.frameCount {
            let row = full.row(frame)
            for (position, column) in columns.enumerated() {
                let expected = row[row.startIndex + column]
                XCTAssertEqual(streamed.values[frame * columns.count + position], expected,
                               accuracy: 1e-3 * max(1, abs(expected)), "frame \(frame) column \(column)")
            }
            XCTAssertEqual(streamed.levels[frame], row[row.startIndex + rms], accuracy: 1e-6)
        }
    }
}
