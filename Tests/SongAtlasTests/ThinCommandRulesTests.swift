import Clustering
import Export
import Features
import FilePaths
import Foundation
import Library
import Synchronization
import SongAtlas
import TestSupport
import XCTest

/// The rules that moved out of the commands into the library, each tested
/// without the binary: anchors in place, the cache as the library, the format
/// from the output's extension, flattening `playlists.json`, one record type,
/// and the one path normalisation.
final class ThinCommandRulesTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "songatlas-thin") }
    override func tearDown() { directory.remove() }

    private func track(_ path: String, offset: Float = 0) -> TrackAnalysis {
        var track = PlaylistBuilderTests.track("x", base: [Float](repeating: offset, count: SongSummary.names.count), seed: 1)
        track.path = path
        return track
    }

    // MARK: Anchor re-keying (was PathCommand)

    func testFindSongsKeepsEachAnchorInPlaceOnlyWhenAsked() {
        let library = ["/music/a.flac", "/music/b.flac", "/music/c.flac"].enumerated().map { track($1, offset: Float($0)) }
        // The same file under three spellings, and another in between.
        let named = ["/music/a.flac", "/music/./b.flac", "/music//a.flac", "/music/x/../c.flac"]
        let merged = Atlas.findSongs(named, in: library, cache: nil)
        XCTAssertEqual(merged.songs.map(\.path), ["/music/a.flac", "/music/b.flac", "/music/c.flac"])
        XCTAssertTrue(merged.failures.isEmpty)
        let anchors = Atlas.findSongs(named, in: library, cache: nil, keepingRepeats: true)
        XCTAssertEqual(anchors.songs.map(\.path), ["/music/a.flac", "/music/b.flac", "/music/a.flac", "/music/c.flac"])
        XCTAssertTrue(anchors.failures.isEmpty)
    }

    func testFindSongsReportsAFileThatCannotBeAnalysedOnceEvenWhenRepeated() {
        let library = [track("/music/a.flac")]
        let missing = directory.file("missing.flac")
        let found = Atlas.findSongs([missing, "/music/a.flac", missing], in: library, cache: nil, keepingRepeats: true)
        XCTAssertEqual(found.songs.map(\.path), ["/music/a.flac"])
        XCTAssertEqual(found.failures.map(\.path), [missing])
    }

    // MARK: The cache used as the library (was SongListOptions)

    /// A cache at `name` holding one analysed song for each of `files` (which exist or not).
    private func cache(_ name: String, files: [String]) throws -> String {
        let path = directory.file(name)
        let cache = try FeatureCache(path: path)
        for (index, file) in files.enumerated() {
            FileManager.default.createFile(atPath: file, contents: Data("not audio".utf8))
            let key = try XCTUnwrap(CacheKey.current(path: file, excerptSeconds: nil))
            try cache.store(.analyzed(track(file, offset: Float(index))), for: key)
        }
        return path
    }

    func testCachedLibraryHoldsTheSongsWhoseFilesAreStillThere() throws {
        let files = ["b.flac", "a.flac", "gone.flac"].map { directory.file($0) }
        let path = try cache("library.sqlite", files: files)
        try FileManager.default.removeItem(atPath: files[2])
        let library = try CachedLibrary(at: path)
        XCTAssertEqual(library.tracks.map(\.path), [files[1], files[0]])
        XCTAssertEqual(library.cache.path, path)
        // The one open cache is the one later songs are analysed into: it is writable.
        XCTAssertEqual(library.cache.mode, .readWrite)
    }

    func testCachedLibraryRefusesAMissingCacheWithoutCreatingIt() {
        let path = directory.file("none.sqlite")
        XCTAssertThrowsError(try CachedLibrary(at: path)) { error in
            guard case CachedLibrary.OpenError.unavailable(let named, _)? = error as? CachedLibrary.OpenError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(named, path)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testCachedLibraryOfSongsAllGoneIsEmptyAndSaysWhichCache() throws {
        let file = directory.file("gone.flac")
        let path = try cache("gone.sqlite", files: [file])
        try FileManager.default.removeItem(atPath: file)
        XCTAssertThrowsError(try CachedLibrary(at: path)) { error in
            guard case CachedLibrary.OpenError.empty(let named, _)? = error as? CachedLibrary.OpenError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(named, path)
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
    }

    // MARK: Format from the output's extension (was SongListOptions)

    func testSongListFormatFromTheOutputExtension() {
        let cases: [(String?, SongListDocument.Format)] = [
            ("list.m3u8", .m3u8), ("LIST.M3U", .m3u8), ("a/b.json", .json), ("x.CSV", .csv), ("notes.txt", .text),
            ("noextension", .text), ("-", .text), (nil, .text), ("dir.json/list", .text),
        ]
        for (path, format) in cases {
            XCTAssertEqual(SongListDocument.Format(outputPath: path), format, path ?? "nil")
        }
    }

    // MARK: Flattening playlists.json (was EvaluateCommand)

    func testAssignmentsListEveryTrackWithItsPlaylistInOrder() {
        func entry(_ name: String, _ paths: [String]) -> PlaylistDocument.Entry {
            PlaylistDocument.Entry(name: name, file: name + ".m3u8", tracks: paths.map {
                PlaylistDocument.Track(path: $0, title: nil, artist: nil, album: nil, durationSeconds: 1, distanceToCentroid: 0)
            })
        }
        let metrics = PlaylistDocument.Metrics(silhouette: nil, daviesBouldin: nil, calinskiHarabasz: nil, inertia: nil,
                                               agreement: nil, labelledTrackCount: nil)
        let document = PlaylistDocument(
            featureVersion: 1, k: 3, kScores: [], seed: 0, weights: [:], metrics: metrics, notes: [],
            playlists: [entry("one", ["a/1.flac", "a/2.flac"]), entry("two", []), entry("three", ["b/3.flac", "a/1.flac"])])
        let flat = ReferenceLabels.assignments(in: document)
        XCTAssertEqual(flat.paths, ["a/1.flac", "a/2.flac", "b/3.flac", "a/1.flac"])
        XCTAssertEqual(flat.clusters, [0, 0, 2, 2])

        // Scored against folder labels: a/ and b/ split exactly as playlists 0 and 2, but for the bridge.
        let labels = ReferenceLabels.fromFolders(flat.paths)
        let scored = ReferenceLabels.agreement(paths: flat.paths, clusters: flat.clusters, labels: labels)
        XCTAssertEqual(scored?.labelled, 4)
        XCTAssertEqual(labels[PathKey.of("a/2.flac")], "a")
    }

    func testLabelledCountComparesNormalisedPaths() {
        let labels = [PathKey.of("a/1.flac"): "one", "/music/b.flac": "two"]
        XCTAssertEqual(ReferenceLabels.labelledCount(["./a/1.flac", "/music/x/../b.flac", "c.flac", "a/1.flac"],
                                                     labels: labels), 3)
        XCTAssertEqual(ReferenceLabels.labelledCount(["c.flac"], labels: labels), 0)
        XCTAssertEqual(ReferenceLabels.labelledCount([], labels: labels), 0)
    }

    // MARK: One record type

    func testStreamedRecordIsTheCachedOutcome() {
        let missing = directory.file("missing.flac")
        final class Records: Sendable { let list = Mutex<[Atlas.Record]>([]) }
        let records = Records()
        Atlas.analyze(paths: [missing], jobs: 1) { record in records.list.withLock { $0.append(record) } }
        let collected = records.list.withLock { $0 }
        XCTAssertEqual(collected.count, 1)
        guard case let .failed(failure)? = collected.first else { return XCTFail("\(collected)") }
        XCTAssertEqual(failure.path, missing)
        // The same value the cache stores: a record can be stored as it comes.
        let outcome: CachedOutcome = collected[0]
        XCTAssertEqual(outcome, collected[0])
    }
}
