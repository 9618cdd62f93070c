import Clustering
import Export
import Library
import SongAtlas
import Synchronization
import TestSupport
import XCTest

/// `analyze --highlight` chooses its highlights in the analysis pass (issue 20 item 5): the same highlight,
/// reason included, as `segment --highlight` of the same file (issue 24 item 3), without a second decode.
final class AnalyzeHighlightTests: XCTestCase {
    /// Every record of a streamed analysis with highlights, by path.
    private func analysedHighlights(_ paths: [String], seconds: Double, excerptSeconds: Double? = nil,
                                    jobs: Int = 2) -> [String: SegmentHighlight?] {
        let found = Mutex<[String: SegmentHighlight?]>([:])
        Atlas.analyze(paths: paths, excerptSeconds: excerptSeconds, jobs: jobs, highlightSeconds: seconds) { record, highlight in
            switch record {
            case let .analyzed(track): found.withLock { $0[track.path] = highlight }
            case let .failed(failure): found.withLock { $0[failure.path] = .some(nil) }
            }
        }
        return found.withLock { $0 }
    }

    /// The highlight `segment --highlight` writes for `path`.
    private func segmentHighlight(_ path: String, seconds: Double, excerptSeconds: Double? = nil) throws -> SegmentHighlight {
        var segmenter = TrackSegmenter()
        segmenter.highlightSeconds = seconds
        let (document, _) = try Atlas.segment(path: path, segmenter: segmenter, excerptSeconds: excerptSeconds)
        return try XCTUnwrap(document.highlight, path)
    }

    func testAnalyzeGivesTheHighlightOfSegment() throws {
        let names = ["structured-abab", "structured-abaca", "structured-abca", "piano-01", "dnb-02"]
        let paths = names.map { AtlasSampleLibrary.folder.appendingPathComponent("\($0).flac").path }
        for seconds in [6.0, 30.0] {
            let analysed = analysedHighlights(paths, seconds: seconds)
            XCTAssertEqual(analysed.count, paths.count)
            for path in paths {
                let expected = try segmentHighlight(path, seconds: seconds)
                let highlight = try XCTUnwrap(analysed[path] ?? nil, path)
                XCTAssertEqual(highlight, expected, "\(path), \(seconds) s")
                XCTAssertFalse(highlight.reason.isEmpty)
                XCTAssertFalse(highlight.reason.contains("\n"))
            }
        }
    }

    func testWithAnExcerptTheHighlightIsThatOfSegmentOfTheExcerpt() throws {
        let path = AtlasSampleLibrary.folder.appendingPathComponent("structured-abaca.flac").path
        let analysed = try XCTUnwrap(analysedHighlights([path], seconds: 4, excerptSeconds: 15, jobs: 1)[path] ?? nil)
        XCTAssertEqual(analysed, try segmentHighlight(path, seconds: 4, excerptSeconds: 15))
        XCTAssertLessThanOrEqual(analysed.end, 15 + 1e-9)
    }

    func testARepeatedSectionIsGivenAsTheReason() throws {
        let path = AtlasSampleLibrary.folder.appendingPathComponent("structured-abab.flac").path
        let highlight = try XCTUnwrap(analysedHighlights([path], seconds: 5)[path] ?? nil)
        XCTAssertGreaterThan(highlight.occurrences, 1)
        XCTAssertEqual(highlight.reason, "most repeated section (\(highlight.label), \(highlight.occurrences) times)")
        XCTAssertEqual(highlight.end - highlight.start, 5, accuracy: 1e-9)
    }

    func testAFileThatFailsHasNoHighlightAndTheRestGoOn() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bad = directory.file("broken.flac")
        try Data("not audio".utf8).write(to: URL(fileURLWithPath: bad))
        let good = AtlasSampleLibrary.folder.appendingPathComponent("structured-abca.flac").path
        let analysed = analysedHighlights([bad, good], seconds: 5)
        XCTAssertEqual(analysed.count, 2)
        XCTAssertNil(analysed[bad] ?? nil)
        XCTAssertNotNil(analysed[good] ?? nil)
    }
}
