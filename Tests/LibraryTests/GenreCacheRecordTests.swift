import Features
@testable import Library
import TestSupport
import XCTest

/// The cache record keeps the file's genre tag; a record written before genres were read has none and is
/// still trusted (nil), so no song is analysed again for it.
final class GenreCacheRecordTests: XCTestCase {
    private func track(genre: String?) -> TrackAnalysis {
        var track = TrackAnalysis(
            path: "/music/a.flac", artist: "Band", format: "FLAC/PCM_16", durationSeconds: 200, sampleRate: 44100,
            channelCount: 2, analyzedSeconds: 200,
            summary: SongSummary(values: [Float](repeating: 0.5, count: SummaryLayout.current.dimensionCount)))
        track.genre = genre
        return track
    }

    func testTheGenreComesBackFromTheRecord() throws {
        let data = try JSONEncoder().encode(CachedTrack(track(genre: "Hip Hop")))
        let loaded = try CachedTrack.decode(data).track(path: "/music/a.flac")
        XCTAssertEqual(loaded?.genre, "Hip Hop")
        XCTAssertEqual(loaded, track(genre: "Hip Hop"))
    }

    func testARecordWithoutAGenreIsStillTrusted() throws {
        let data = try JSONEncoder().encode(CachedTrack(track(genre: nil)))
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertNil(record["genre"], "no key for a file without a genre tag: older records look the same")
        let loaded = try XCTUnwrap(try CachedTrack.decode(data).track(path: "/music/a.flac"))
        XCTAssertNil(loaded.genre)
        XCTAssertEqual(loaded.artist, "Band")
    }
}
