import Clustering
import Export
import Foundation
import TestSupport
import XCTest

// Shared by the song map page's browser tests: a synthetic map of any size, and the checks of what the
// page's self-test did with it.

/// A synthetic map of `songCount` songs spread over a square plane of at least 70×70 units (about four
/// songs per unit beyond 20,000 songs), each with its ten nearest songs on the plane as neighbours (found
/// through 1×1 buckets), and its playlist entry as a playlist in `playlistFolder` would hold it.
func syntheticSongMap(songCount: Int, playlistFolder: String) -> (drawing: SongMapDrawing, songs: [SongMapDocument.Song]) {
    var generator = SeededGenerator(seed: 3)
    let side = max(70, Int(Double(songCount / 4).squareRoot()))
    let cells = (0..<(side * side)).map { index in
        SongMapDrawing.Cell(x: Double(index / side), y: Double(index % side), height: generator.nextUnit())
    }
    var songs = (0..<songCount).map { index in
        SongMapDocument.Song(path: "/music/\(index).flac", title: "Song \(index)", artist: "Artist \(index % 97)",
                             cluster: index % 9, unit: 0, gridX: 0, gridY: 0,
                             x: generator.nextUnit() * Double(side - 1), y: generator.nextUnit() * Double(side - 1), durationSeconds: 180)
    }
    // Positions in flat arrays (reading a whole song per comparison is slow in a debug build), and each
    // song's ten nearest kept in order as the candidates come: the ten first of all candidates sorted by
    // (distance, index).
    let xs = songs.map(\.x), ys = songs.map(\.y)
    var buckets: [Int: [Int]] = [:]
    func bucket(_ x: Double, _ y: Double) -> Int { Int(x) * 1000 + Int(y) }
    for index in songs.indices { buckets[bucket(xs[index], ys[index]), default: []].append(index) }
    for index in songs.indices {
        var nearest: [(distance: Double, song: Int)] = []
        for dx in -2...2 {
            for dy in -2...2 {
                for other in buckets[bucket(xs[index], ys[index]) + dx * 1000 + dy] ?? [] where other != index {
                    let distance = (xs[other] - xs[index]).magnitude + (ys[other] - ys[index]).magnitude
                    func before(_ kept: (distance: Double, song: Int)) -> Bool {
                        distance < kept.distance || (distance == kept.distance && other < kept.song)
                    }
                    if nearest.count == 10, !before(nearest[9]) { continue }
                    var at = nearest.count
                    while at > 0, before(nearest[at - 1]) { at -= 1 }
                    nearest.insert((distance, other), at: at)
                    if nearest.count > 10 { nearest.removeLast() }
                }
            }
        }
        songs[index].neighbours = nearest.map {
            SongMapDocument.Neighbour(song: $0.song, similarity: exp(-($0.distance / 3) * ($0.distance / 3)),
                                      distance: $0.distance)
        }
    }
    // One playlist of every song, cut into each song's two lines: the same text as one playlist per song,
    // with the playlist folder resolved once.
    let playlist = M3U8Playlist(entries: songs.map {
        M3U8Playlist.Entry(path: $0.path, durationSeconds: 180,
                           displayTitle: SongTitle.display(title: $0.title, artist: $0.artist, path: $0.path))
    }).rendered(playlistFolder: playlistFolder, relativeRoot: nil)
    let lines = playlist.split(separator: "\n", omittingEmptySubsequences: false)
    let entries = songs.indices.map { String(lines[1 + 2 * $0]) + "\n" + String(lines[2 + 2 * $0]) + "\n" }
    let drawing = SongMapDrawing(title: "Large", hexagonal: false, cells: cells, songs: songs,
                                 sources: songs.map { "file://" + $0.path }, clusterNames: (0..<9).map { "Playlist \($0)" },
                                 playlistEntries: entries)
    return (drawing, songs)
}

/// Checks what a song map page's self-test did (``SongMapDrawing/selfTestScript``): the song under the
/// pointer is the one a scan of every song finds nearest (the page finds it through its grid index) and
/// the tooltip is that song's; a click at the first song's dot selects it and lists its neighbours; a walk
/// to the first of them; a path to the last song; and a lasso around the left half saved as a playlist.
func checkSongMapSelfTest(_ browser: BrowserSelfTestResult, document: SongMapDocument, pageFolder: String,
                          file: StaticString = #filePath, line: UInt = #line) throws {
    let songs = document.songs
    let hovered = try XCTUnwrap(browser.number("hovered").map(Int.init), "nothing hovered", file: file, line: line)
    XCTAssertEqual(browser.number("hoverNearest"), Double(hovered), "the grid index and a scan disagree", file: file, line: line)
    if songs.indices.contains(hovered) {
        let song = songs[hovered]
        let name = (song.artist ?? "").isEmpty ? song.displayTitle : "\(song.artist!) – \(song.displayTitle)"
        XCTAssertEqual(browser.tooltip?.hasPrefix(name + "\n"), true, "tooltip \(browser.tooltip ?? "nil")", file: file, line: line)
    } else {
        XCTFail("hovered song \(hovered) of \(songs.count)", file: file, line: line)
    }
    XCTAssertEqual(browser.number("clicked"), 0, "the click at the first song's dot selects it", file: file, line: line)
    // Keys: '+' zooms in by 1/0.8; Enter in the search box opens the first match.
    XCTAssertEqual(browser.number("keyZoom") ?? 0, 1 / 0.8, accuracy: 1e-6, "zoom by key", file: file, line: line)
    XCTAssertEqual(browser.number("searchEnter"), browser.number("searchEnterExpected"), file: file, line: line)
    XCTAssertGreaterThanOrEqual(browser.number("searchEnter") ?? -1, 0, file: file, line: line)
    // Resized, the canvases hold the stage's width in device pixels.
    let resize = browser.report["resize"] as? [String: Any] ?? [:]
    XCTAssertEqual(resize["canvas"] as? Int, resize["expected"] as? Int, "overlay canvas after a resize: \(resize)", file: file, line: line)
    XCTAssertEqual(resize["dots"] as? Int, resize["expected"] as? Int, "dot canvas after a resize: \(resize)", file: file, line: line)
    XCTAssertEqual(browser.integers("neighbours"), songs[0].neighbours.map(\.song), file: file, line: line)
    if let nearest = songs[0].neighbours.first {
        XCTAssertTrue(browser.text("neighbourText")?.contains(String(format: "similarity %.2f", nearest.similarity)) == true,
                      browser.text("neighbourText") ?? "nil", file: file, line: line)
        XCTAssertEqual(browser.number("walked"), Double(nearest.song), file: file, line: line)
    }
    let from = Int(browser.number("pathFrom") ?? -1), to = Int(browser.number("pathTo") ?? -1)
    let path = try XCTUnwrap(browser.integers("path"), "no path: \(browser.text("pathNote") ?? "")", file: file, line: line)
    XCTAssertEqual(path.first, from, file: file, line: line)
    XCTAssertEqual(path.last, to, file: file, line: line)
    XCTAssertEqual(browser.number("pathPoints"), Double(path.count), "the line goes through every song of the path",
                   file: file, line: line)
    for (a, b) in zip(path, path.dropFirst()) {
        XCTAssertTrue(songs[a].neighbours.contains { $0.song == b } || songs[b].neighbours.contains { $0.song == a },
                      "step \(a) → \(b) is not between neighbours", file: file, line: line)
    }
    // The self-test drew a rectangle (lassoRight is its intended right edge); mouse events carry whole
    // pixels, so the songs inside are those inside the rectangle the page reports it drew.
    let right = try XCTUnwrap(browser.number("lassoRight"), file: file, line: line)
    let corners = try XCTUnwrap(browser.report["lasso"] as? [[Double]], file: file, line: line)
    let xs = corners.map { $0[0] }, ys = corners.map { $0[1] }
    let inside = songs.indices.filter {
        songs[$0].x > xs.min()! && songs[$0].x < xs.max()! && songs[$0].y > ys.min()! && songs[$0].y < ys.max()!
    }
    XCTAssertEqual(xs.max()!, right, accuracy: 0.5, "the lasso's right edge", file: file, line: line)
    XCTAssertFalse(inside.isEmpty, file: file, line: line)
    let picked = browser.integers("picked") ?? []
    XCTAssertEqual(picked.count, inside.count, file: file, line: line)
    XCTAssertEqual(Array(Set(picked).symmetricDifference(inside).sorted().prefix(10)), [],
                   "songs picked or left out wrongly (lasso right edge \(right)): "
                    + Set(picked).symmetricDifference(inside).sorted().prefix(5).map { "\(songs[$0].x),\(songs[$0].y)" }
                    .joined(separator: " "), file: file, line: line)
    // Relative paths in map.json are relative to where songatlas ran.
    func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : repositoryRoot.path + "/" + path }
    let expected = M3U8Playlist(entries: inside.map {
        M3U8Playlist.Entry(path: absolute(songs[$0].path), durationSeconds: songs[$0].durationSeconds ?? -1,
                           displayTitle: SongTitle.display(title: songs[$0].title, artist: songs[$0].artist, path: songs[$0].path))
    }).rendered(playlistFolder: pageFolder, relativeRoot: nil)
    XCTAssertTrue(browser.text("download") == expected, "the saved playlist differs from M3U8Playlist's:\n"
                    + String((browser.text("download") ?? "nil").prefix(400)), file: file, line: line)
    // The file the browser saved, when it finished before the browser closed.
    if let saved = browser.downloads["selection.m3u8"] {
        XCTAssertTrue(saved == expected, "the downloaded file differs: " + String(saved.prefix(400)), file: file, line: line)
    }
}
