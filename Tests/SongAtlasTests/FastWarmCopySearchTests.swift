import Features
import Foundation
@testable import Library
@testable import SongAtlas
import TestSupport
import XCTest

/// The one-copy search remembered in the cache (``DuplicateFinder/rememberedSearch(_:fileSize:)``): what it
/// returns equals a fresh ``DuplicateFinder/search(_:space:fileSize:waveformExcerpt:)`` of the same tracks, on
/// the run that stores it, on the run that reuses it (without reading a fingerprint), and after the library
/// changes (songs added, a kept copy removed, a record replaced, a file grown); and its digest changes
/// whenever an input of the search does.
final class FastWarmCopySearchTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("music"), withIntermediateDirectories: true)
    }
    override func tearDown() { directory.remove() }

    /// A seeded generator (SplitMix64), so every run makes the same library.
    private struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    /// A song at `index` in the test folder (an empty file: its size is 0 unless written), with a seeded
    /// summary, length and fingerprint; a copy of `original` when given (a few bits flipped, 2 items of offset).
    private func song(_ index: Int, copying original: TrackAnalysis? = nil, using generator: inout Seeded) throws -> TrackAnalysis {
        let path = directory.file("music/\(index).flac")
        if !FileManager.default.fileExists(atPath: path) {
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        }
        if let original {
            var track = original
            track.path = path
            track.title = "Song \(index)"
            track.durationSeconds += 0.05
            let values = [UInt32.random(in: 0...UInt32.max, using: &generator), 7]
                + original.fingerprint!.values.dropLast(2).map { $0 ^ (Bool.random(using: &generator) ? 1 << 5 : 0) }
            track.fingerprint = AudioFingerprint(values: values, fingerprintedSeconds: original.fingerprint!.fingerprintedSeconds)
            return track
        }
        let width = SummaryLayout.current.dimensionCount
        let duration = Double.random(in: 60...200, using: &generator)
        var track = TrackAnalysis(
            path: path, title: "Song \(index)", artist: "Artist \(index / 4)", album: "Album \(index / 4)",
            format: "FLAC/PCM_16", durationSeconds: duration, sampleRate: 44100, channelCount: 2, analyzedSeconds: duration,
            summary: SongSummary(values: (0..<width).map { _ in Float.random(in: 0...100, using: &generator) }))
        let count = Int(min(duration, AudioFingerprint.computedSeconds) / AudioFingerprint.itemSeconds)
        track.fingerprint = AudioFingerprint(values: (0..<count).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) },
                                             fingerprintedSeconds: min(duration, AudioFingerprint.computedSeconds))
        return track
    }

    /// `count` songs from `first`, every fourth a copy of the one before.
    private func songs(_ first: Int, count: Int, using generator: inout Seeded) throws -> [TrackAnalysis] {
        var made: [TrackAnalysis] = []
        for index in first..<(first + count) {
            made.append(try song(index, copying: index % 4 == 3 ? made.last : nil, using: &generator))
        }
        return made
    }

    private func store(_ tracks: [TrackAnalysis], in cache: FeatureCache) throws {
        try cache.store(tracks.map { track in
            (.analyzed(track), try XCTUnwrap(CacheKey.current(path: track.path, excerptSeconds: nil)))
        })
    }

    /// The library as a warm run reads it: a new cache instance, every fingerprint left in its record.
    private func reload() throws -> (cache: FeatureCache, tracks: [TrackAnalysis]) {
        let cache = try FeatureCache(path: directory.file("cache.sqlite"))
        return (cache, try Atlas.cachedTracks(cache))
    }

    /// The fresh search of the same songs, from tracks whose fingerprints are in memory.
    private func fresh(_ tracks: [TrackAnalysis], fileSize: (String) -> Int64? = DuplicateFinder.fileSize) -> DuplicateSearch {
        DuplicateFinder.search(tracks.map { track in
            var copy = track
            copy.fingerprint = track.fingerprint
            return copy
        }, fileSize: fileSize)
    }

    private func rowCount(_ cache: FeatureCache) throws -> Int {
        try cache.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM copySearch") ?? 0 }
    }

    func testTheRememberedSearchEqualsAFreshOneAndIsReusedWithoutReadingFingerprints() throws {
        var generator = Seeded(state: 25)
        let library = try songs(0, count: 40, using: &generator)
        try store(library, in: try FeatureCache(path: directory.file("cache.sqlite")))

        let first = try reload()
        let stored = DuplicateFinder.rememberedSearch(first.tracks)
        XCTAssertEqual(stored.groups.count, 10, "every fourth song is a copy of the one before")
        XCTAssertEqual(stored, fresh(first.tracks))
        XCTAssertEqual(try rowCount(first.cache), 1)

        let second = try reload()
        XCTAssertTrue(second.tracks.allSatisfy { $0.fingerprintSlot.isPending }, "a warm read leaves fingerprints in their records")
        let reused = DuplicateFinder.rememberedSearch(second.tracks)
        XCTAssertTrue(second.tracks.allSatisfy { $0.fingerprintSlot.isPending }, "a reused search reads no fingerprint")
        XCTAssertEqual(reused, stored)
        XCTAssertEqual(reused.groups.map { $0.keep.path }, stored.groups.map { $0.keep.path })
        XCTAssertEqual(reused, fresh(second.tracks))
        XCTAssertEqual(Atlas.oneCopy(second.tracks).tracks.map(\.path), Atlas.oneCopy(first.tracks).tracks.map(\.path))
    }

    func testAfterTheLibraryChangesTheRememberedSearchStillEqualsAFreshOne() throws {
        var generator = Seeded(state: 26)
        let library = try songs(0, count: 24, using: &generator)
        try store(library, in: try FeatureCache(path: directory.file("cache.sqlite")))
        _ = DuplicateFinder.rememberedSearch(try reload().tracks)

        // Songs added, among them copies of songs already there.
        var added = try songs(24, count: 8, using: &generator)
        added.append(try song(40, copying: library[0], using: &generator))
        try store(added, in: try FeatureCache(path: directory.file("cache.sqlite")))
        var warm = try reload()
        let afterAdding = DuplicateFinder.rememberedSearch(warm.tracks)
        XCTAssertEqual(afterAdding, fresh(warm.tracks))
        let joined = afterAdding.groups.first { ([$0.keep] + $0.copies).contains { $0.path == library[0].path } }
        XCTAssertEqual(joined.map { Set(([$0.keep] + $0.copies).map(\.path)) }, [library[0].path, added.last!.path],
                       "the new copy makes a group with its recording")

        // The kept copy of a group removed (its file and its record).
        let kept = try XCTUnwrap(afterAdding.groups.first).keep.path
        try FileManager.default.removeItem(atPath: kept)
        try warm.cache.remove([kept])
        warm = try reload()
        let afterRemoving = DuplicateFinder.rememberedSearch(warm.tracks)
        XCTAssertEqual(afterRemoving, fresh(warm.tracks))
        XCTAssertFalse(afterRemoving.groups.contains { ([$0.keep] + $0.copies).contains { $0.path == kept } })

        // A copy analysed again as a different recording (its record replaced): its group goes.
        let copy = library[3]
        var changed = try song(3, using: &generator)
        changed.path = copy.path
        try store([changed], in: warm.cache)
        warm = try reload()
        let afterReplacing = DuplicateFinder.rememberedSearch(warm.tracks)
        XCTAssertEqual(afterReplacing, fresh(warm.tracks))
        XCTAssertFalse(afterReplacing.groups.contains { ([$0.keep] + $0.copies).contains { $0.path == copy.path } })
        XCTAssertEqual(try rowCount(warm.cache), 4, "one remembered search per library seen")
    }

    func testTheKeptCopyIsChosenAgainWithTheFilesSizesNow() throws {
        var generator = Seeded(state: 27)
        let library = try songs(0, count: 8, using: &generator)
        try store(library, in: try FeatureCache(path: directory.file("cache.sqlite")))
        // The copy (song 3) is the larger file at first, then the original (song 2).
        let copyFirst: (String) -> Int64? = { $0.hasSuffix("/3.flac") ? 2_000_000 : 1_000_000 }
        let originalFirst: (String) -> Int64? = { $0.hasSuffix("/2.flac") ? 3_000_000 : 1_000_000 }
        let stored = DuplicateFinder.rememberedSearch(try reload().tracks, fileSize: copyFirst)
        let warm = try reload()
        let reused = DuplicateFinder.rememberedSearch(warm.tracks, fileSize: originalFirst)
        XCTAssertTrue(warm.tracks.allSatisfy { $0.fingerprintSlot.isPending }, "the remembered search was reused")
        XCTAssertEqual(stored.groups.first { $0.copies.contains { $0.path == library[2].path } }?.keep.path, library[3].path)
        XCTAssertEqual(reused.groups.first { $0.copies.contains { $0.path == library[3].path } }?.keep.path, library[2].path)
        XCTAssertEqual(reused, fresh(warm.tracks, fileSize: originalFirst))
    }

    func testTheDigestChangesWhenAnyInputOfTheSearchChanges() throws {
        var generator = Seeded(state: 28)
        let library = try songs(0, count: 6, using: &generator)
        let digest = DuplicateFinder.searchDigest(library)
        XCTAssertEqual(DuplicateFinder.searchDigest(library), digest, "the same tracks give the same digest")
        XCTAssertEqual(digest.count, 32)
        var changes: [(String, [TrackAnalysis])] = []
        func changed(_ name: String, _ change: (inout TrackAnalysis) -> Void) {
            var tracks = library
            change(&tracks[2])
            changes.append((name, tracks))
        }
        changed("path") { $0.path += "x" }
        changed("length") { $0.durationSeconds = $0.durationSeconds.nextUp }
        changed("header note") { $0.durationNote = "header says 9 s" }
        changed("damaged samples") { $0.nonFiniteSampleCount = 1 }
        changed("format") { $0.format = "MPEG/MP3" }
        changed("sample rate") { $0.sampleRate = 48000 }
        changed("summary") { $0.summary.values[5] = $0.summary.values[5].nextUp }
        changed("fingerprint item") { $0.fingerprint?.values[10] ^= 1 }
        changed("fingerprint seconds") { $0.fingerprint?.fingerprintedSeconds += 1 }
        changed("no fingerprint") { $0.fingerprint = nil }
        changed("cue track") {
            $0.cueTrack = CueSheetTrack(audioPath: $0.path, sheetPath: $0.path + ".cue", isEmbedded: false, trackNumber: 2,
                                        startSample: 0, endSample: 44100, sampleRate: 44100)
        }
        changes.append(("order", [library[1], library[0]] + library[2...]))
        changes.append(("a song fewer", Array(library.dropLast())))
        var digests: Set<String> = [digest]
        for (name, tracks) in changes {
            XCTAssertTrue(digests.insert(DuplicateFinder.searchDigest(tracks)).inserted, "\(name) does not change the digest")
        }
        // A fingerprint still in its record counts by its record's stamp: another record, another digest.
        try store(library, in: try FeatureCache(path: directory.file("cache.sqlite")))
        let warm = try reload().tracks
        let warmDigest = DuplicateFinder.searchDigest(warm)
        var other = library[2]
        other.fingerprint?.values[0] ^= 1
        try store([other], in: try FeatureCache(path: directory.file("cache.sqlite")))
        XCTAssertNotEqual(DuplicateFinder.searchDigest(try reload().tracks), warmDigest)
        XCTAssertEqual(DuplicateFinder.searchDigest(try reload().tracks), DuplicateFinder.searchDigest(try reload().tracks))
    }
}
