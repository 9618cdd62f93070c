import Clustering
import Export
import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// `Atlas.path` called directly on SampleAudio.
final class AtlasPathTests: XCTestCase {
    func track(_ name: String, in tracks: [TrackAnalysis]) throws -> TrackAnalysis {
        try XCTUnwrap(tracks.first { $0.path.hasSuffix("/\(name).flac") }, name)
    }

    /// A path starts at FROM, ends at TO, has the length asked for and never repeats a song.
    func testPathRunsFromItsFirstAnchorToItsLastWithoutRepeats() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        let from = try track("piano-01", in: tracks), to = try track("dnb-03", in: tracks)
        let document = try Atlas.path(tracks, anchors: [from, to], length: 7, space: FeatureSpace())
        XCTAssertEqual(document.kind, .path)
        XCTAssertEqual(document.songs.count, 7)
        XCTAssertEqual(document.songs.first?.path, from.path)
        XCTAssertEqual(document.songs.last?.path, to.path)
        XCTAssertEqual(document.songs.first?.role, .from)
        XCTAssertEqual(document.songs.last?.role, .to)
        XCTAssertEqual(document.songs.dropFirst().dropLast().map(\.role), [SongListDocument.Role](repeating: .step, count: 5))
        XCTAssertEqual(Set(document.songs.map(\.path)).count, 7, "a song repeats: \(document.songs.map(\.path))")
        XCTAssertTrue(Set(document.songs.map(\.path)).isSubset(of: tracks.map(\.path)))
    }

    /// Each song's distance is its step from the one before, and the summary agrees with those steps.
    func testStepsAreTheDistancesBetweenNeighbours() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        let from = try track("ambient-02", in: tracks), to = try track("percussion-01", in: tracks)
        let document = try Atlas.path(tracks, anchors: [from, to], length: 6, space: FeatureSpace())
        XCTAssertNil(document.songs.first?.distance)
        let steps = try document.songs.dropFirst().map { try XCTUnwrap($0.distance) }
        XCTAssertEqual(steps.count, 5)
        XCTAssertTrue(steps.allSatisfy { $0 > 0 }, "\(steps)")
        let summary = try XCTUnwrap(document.steps)
        XCTAssertEqual(summary.mean, steps.reduce(0, +) / Double(steps.count), accuracy: 1e-4)
        XCTAssertEqual(summary.largest, steps.max()!, accuracy: 1e-6)
        for gap in summary.gapsAfter { XCTAssertTrue(steps.indices.contains(gap), "gap after \(gap)") }
    }

    /// A waypoint is visited between FROM and TO.
    func testWaypointLiesBetweenTheEnds() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        let anchors = try ["piano-02", "chiptune-01", "dnb-01"].map { try track($0, in: tracks) }
        let document = try Atlas.path(tracks, anchors: anchors, length: 9, space: FeatureSpace())
        let paths = document.songs.map(\.path)
        XCTAssertEqual(paths.count, 9)
        XCTAssertEqual(paths.first, anchors[0].path)
        XCTAssertEqual(paths.last, anchors[2].path)
        let via = try XCTUnwrap(paths.firstIndex(of: anchors[1].path))
        XCTAssertTrue((1...7).contains(via), "waypoint at \(via)")
        XCTAssertEqual(document.songs[via].role, .via)
        XCTAssertEqual(Set(paths).count, paths.count)
    }

    /// Asking for more songs than the library has gives every song once, with a note.
    func testLongerThanTheLibraryUsesEverySongOnce() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        let from = try track("piano-01", in: tracks), to = try track("chiptune-03", in: tracks)
        let document = try Atlas.path(tracks, anchors: [from, to], length: 30, space: FeatureSpace())
        XCTAssertEqual(document.songs.map(\.path).sorted(), tracks.map(\.path).sorted())
        XCTAssertTrue(document.notes.contains { $0.contains("of the 30 songs asked for") }, "\(document.notes)")
    }

    /// FROM equal to TO is a one-song path; an anchor given twice otherwise, or a length of 0, is refused.
    func testDegenerateRequests() throws {
        let tracks = try AtlasSampleLibrary.tracks()
        let song = try track("percussion-02", in: tracks), other = try track("ambient-03", in: tracks)
        let single = try Atlas.path(tracks, anchors: [song, song], length: 5, space: FeatureSpace())
        XCTAssertEqual(single.songs.map(\.path), [song.path])
        XCTAssertTrue(single.notes.contains { $0.contains("FROM and TO are the same song") }, "\(single.notes)")
        XCTAssertThrowsError(try Atlas.path(tracks, anchors: [song, other, song], length: 5, space: FeatureSpace()))
        XCTAssertThrowsError(try Atlas.path(tracks, anchors: [song, other], length: 0, space: FeatureSpace()))
    }
}
