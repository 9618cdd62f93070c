import FilePaths
import Foundation
@testable import Library
import TestSupport
import XCTest

/// Cached cue tracks whose sheet no longer has them are dropped when the sheet is read again
/// (as a gone file is), and a track named alone (`Album.cue#2`) drops nothing.
final class CueStaleTrackCacheTests: XCTestCase {
    var directory: TemporaryDirectory!
    var cachePath: String { directory.file("cache.sqlite") }
    var albumFolder: String { directory.file("album") }

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func analyse(_ paths: [String]) throws -> LibraryAnalysis {
        LibraryAnalyzer.analyze(paths: paths, cache: try FeatureCache(path: cachePath), jobs: 2)
    }

    private func cachedTracks(of image: String) throws -> [Int] {
        try FeatureCache(path: cachePath).records().filter { $0.path == PathKey.of(image) }.map(\.track).sorted()
    }

    func testATrackRemovedFromItsSheetLeavesTheCache() throws {
        let album = try CueSongScanTests.makeAlbum(in: albumFolder)
        XCTAssertEqual(try analyse([albumFolder]).analyzedCount, 6)
        XCTAssertEqual(try cachedTracks(of: album.image), [1, 2, 3])

        // A track named alone is one song; the sheet's other tracks stay cached.
        let one = try analyse([album.sheet + "#2"])
        XCTAssertEqual(one.tracks.map(\.cueTrackNumber), [2])
        XCTAssertEqual(one.cachedCount, 1)
        XCTAssertEqual(one.removedCount, 0)
        XCTAssertEqual(try cachedTracks(of: album.image), [1, 2, 3])

        // Track 3 taken out of the sheet: track 2 now runs to the end of the file.
        let text = try String(contentsOfFile: album.sheet, encoding: .utf8)
        let cut = try XCTUnwrap(text.range(of: "  TRACK 03"))
        try String(text[..<cut.lowerBound]).write(toFile: album.sheet, atomically: true, encoding: .utf8)
        let changed = try analyse([albumFolder])
        XCTAssertEqual(changed.tracks.filter { $0.path == album.image }.map(\.cueTrackNumber), [1, 2])
        XCTAssertEqual(changed.analyzedCount, 1, "only track 2, whose range changed")
        XCTAssertEqual(changed.removedCount, 1, "track 3's entry")
        XCTAssertEqual(try cachedTracks(of: album.image), [1, 2])

        // --ignore-cue reads no sheet and drops no track; the whole file gets its own entry.
        let whole = LibraryAnalyzer.analyze(paths: [albumFolder], cache: try FeatureCache(path: cachePath), jobs: 2,
                                            readCueSheets: false)
        XCTAssertEqual(whole.removedCount, 0)
        XCTAssertEqual(try cachedTracks(of: album.image), [0, 1, 2])
    }
}
