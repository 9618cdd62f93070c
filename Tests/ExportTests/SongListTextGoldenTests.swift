import Export
import Foundation
import TestSupport
import XCTest

/// The text form of `similar` and `path` lists: which seed each song came from, why the order is
/// not by similarity, and each song's path when asked (`--paths`) or when two songs share a
/// display title. Compared with golden files in `Golden/` (re-record with
/// `SONGATLAS_RECORD_GOLDEN=1 swift test --filter SongListTextGoldenTests`).
final class SongListTextGoldenTests: XCTestCase {
    static let golden = Golden.folder(besides: #filePath)
    static let goldenFiles: Set<String> = [
        "similar-seeds.txt", "similar-seeds-paths.txt", "similar-same-title.txt", "path-paths.txt",
    ]

    /// Three seeds whose lists take turns, so similarity goes up and down.
    static let threeSeeds = SongListDocument(kind: .similar, features: .handcrafted, songs: [
        .init(path: "/music/calm/pad.flac", title: "Pad", artist: "Drift", album: "Calm", durationSeconds: 200, role: .seed),
        .init(path: "/music/loud/riff.flac", title: "Riff", artist: "Amp", album: "Loud", durationSeconds: 180, role: .seed),
        .init(path: "/music/beats/loop.flac", title: "Loop", artist: "Kit", album: "Beats", durationSeconds: 90, role: .seed),
        .init(path: "/music/calm/pad 2.flac", title: "Pad 2", artist: "Drift", album: "Calm", durationSeconds: 201,
              role: .similar, similarity: 0.8, distance: 0.4, seed: "/music/calm/pad.flac"),
        .init(path: "/music/loud/riff 2.flac", title: "Riff 2", artist: "Amp", album: "Loud", durationSeconds: 170,
              role: .similar, similarity: 0.95, distance: 0.2, seed: "/music/loud/riff.flac"),
        .init(path: "/music/beats/loop 2.flac", title: "Loop 2", artist: "Kit", album: "Beats", durationSeconds: 95,
              role: .similar, similarity: 0.5, distance: 0.8, seed: "/music/beats/loop.flac"),
        .init(path: "/elsewhere/hum.flac", title: "Hum", artist: "Other", album: nil, durationSeconds: 60,
              role: .similar, similarity: 0.6, distance: 0.7, seed: "/music/calm/pad.flac"),
    ])

    /// The newcomer's case: the top hit is a copy in Downloads with the same tags as the album's file.
    static let sameTitle = SongListDocument(kind: .similar, features: .embedding, songs: [
        .init(path: "/music/El Senator/Armygeddon.m4a", title: "Armygeddon", artist: "El Senator", album: "War",
              durationSeconds: 240, role: .seed),
        .init(path: "/home/me/Downloads/Armygeddon (copy).m4a", title: "Armygeddon", artist: "El Senator", album: "War",
              durationSeconds: 240, role: .similar, similarity: 0.99, distance: 0.01, seed: "/music/El Senator/Armygeddon.m4a"),
        .init(path: "/music/El Senator/Peace.m4a", title: "Peace", artist: "El Senator", album: "War",
              durationSeconds: 200, role: .similar, similarity: 0.7, distance: 0.6, seed: "/music/El Senator/Armygeddon.m4a"),
    ])

    static let path = SongListDocument(kind: .path, features: .handcrafted, songs: [
        .init(path: "/m/a/1.flac", title: "One", artist: "A", album: nil, durationSeconds: 1, role: .from),
        .init(path: "/m/b/2.flac", title: "Two", artist: "A", album: nil, durationSeconds: 1, role: .step,
              similarity: 0.8, distance: 0.5),
        .init(path: "/m/3.flac", title: nil, artist: nil, album: nil, durationSeconds: 1, role: .to,
              similarity: 0.1, distance: 1.6),
    ], steps: .init(mean: 1.05, largest: 1.6, even: 0.9, gapsAfter: []))

    func testSeveralSeedsGiveEachSongItsSeedAndSayWhyTheOrderIsNotBySimilarity() {
        Golden.assertMatches(Self.threeSeeds.rendered(.text, playlistFolder: "/music"), file: "similar-seeds.txt",
                             in: Self.golden)
        Golden.assertMatches(Self.threeSeeds.rendered(.text, playlistFolder: "/music", showingPaths: true),
                             file: "similar-seeds-paths.txt", in: Self.golden)
        let lines = Self.threeSeeds.rendered(.text).split(separator: "\n").map(String.init)
        // Each found song names the seed it is nearest to, by the seed's number.
        XCTAssertTrue(lines.contains { $0.hasSuffix("seed 1  Other - Hum") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasSuffix("seed 2  Amp - Riff 2") }, lines.joined(separator: "\n"))
        XCTAssertEqual(lines.filter { $0.contains("round robin") }.count, 1)
    }

    func testTwoSongsThatShareATitleShowTheirPaths() {
        let text = Self.sameTitle.rendered(.text, playlistFolder: "/home/me")
        Golden.assertMatches(text, file: "similar-same-title.txt", in: Self.golden)
        XCTAssertTrue(text.contains("El Senator - Armygeddon  (Downloads/Armygeddon (copy).m4a)"), text)
        XCTAssertTrue(text.contains("El Senator - Armygeddon  (/music/El Senator/Armygeddon.m4a)"), text)
        XCTAssertFalse(text.contains("Peace.m4a"), "a title of its own shows no path: \(text)")
    }

    func testPathsOnAPath() {
        Golden.assertMatches(Self.path.rendered(.text, playlistFolder: "/m", showingPaths: true), file: "path-paths.txt",
                             in: Self.golden)
    }

    /// One seed, sorted by similarity: the list reads as before, with no seed column and no order line.
    func testOneSeedSortedBySimilarityKeepsTheShortForm() {
        let text = Self.sameTitle.rendered(.text, playlistFolder: "/home/me")
        XCTAssertFalse(text.contains("round robin"), text)
        XCTAssertFalse(text.contains("seed 1"), text)
        XCTAssertTrue(text.hasPrefix("2 songs like El Senator - Armygeddon  (/music/El Senator/Armygeddon.m4a) "), text)
    }
}
