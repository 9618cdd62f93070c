import Export
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `songatlas playlists` on a folder that already holds its playlists: update, changed settings, recluster,
/// a playlist file a person edited, each note once.
final class PlaylistUpdateCommandTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// Three sources of SampleAudio in a music folder of their own: two songs of each now, the third later.
    func music() throws -> (folder: String, later: [String]) {
        let folder = directory.file("music")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var later: [String] = []
        for source in ["piano", "dnb", "ambient"] {
            for number in 1...3 {
                let name = "\(source)-0\(number).flac"
                let from = repositoryRoot.appendingPathComponent("SampleAudio/\(name)").path
                let to = number == 3 ? directory.file(name) : folder + "/" + name
                try FileManager.default.copyItem(atPath: from, toPath: to)
                if number == 3 { later.append(name) }
            }
        }
        return (folder, later)
    }

    func run(_ folder: String, _ extra: [String] = []) throws -> CommandResult {
        try CommandRunner.run("songatlas", ["playlists", folder, "--out", directory.file("out"), "--cache",
                                            directory.file("cache.sqlite"), "--embedding", "none", "-k", "3"] + extra)
    }

    func document() throws -> PlaylistDocument {
        try PlaylistDocument.read(directory.file("out/playlists.json"))
    }

    func testAnUpdateKeepsThePlaylistsAndSaysWhatChanged() throws {
        let (folder, later) = try music()
        let first = try run(folder)
        XCTAssertEqual(first.status, 0, first.standardError)
        XCTAssertTrue(first.standardOutput.contains("k=3 asked; 3 playlists written"), first.standardOutput)
        let before = try document()
        XCTAssertEqual(before.playlists.map(\.id), [1, 2, 3])
        let files = try Set(FileManager.default.contentsOfDirectory(atPath: directory.file("out")))

        // One song goes, three arrive.
        for name in later { try FileManager.default.moveItem(atPath: directory.file(name), toPath: folder + "/" + name) }
        try FileManager.default.removeItem(atPath: folder + "/piano-01.flac")
        let update = try run(folder)
        XCTAssertEqual(update.status, 0, update.standardError)
        let after = try document()
        XCTAssertEqual(after.changes?.mode, .update)
        XCTAssertEqual(after.playlists.map(\.id), before.playlists.map(\.id))
        XCTAssertEqual(after.playlists.map(\.name), before.playlists.map(\.name))
        XCTAssertEqual(try Set(FileManager.default.contentsOfDirectory(atPath: directory.file("out"))), files)
        let added = after.changes?.added.map { "\(String($0.name.prefix(2))) +\($0.songs)" }.joined(separator: ", ") ?? ""
        XCTAssertEqual(after.changes?.addedSongs, 3)
        XCTAssertTrue(update.standardOutput.hasPrefix("kept 3 playlists: +3 songs (\(added)), −1 gone, 0 moved\n"),
                      update.standardOutput)
        // Every placed song kept its playlist and its place in the order; the files hold what the document says.
        for (old, entry) in zip(before.playlists, after.playlists) {
            let placed = Set(old.tracks.map(\.path))
            XCTAssertEqual(entry.tracks.map(\.path).filter { placed.contains($0) },
                           old.tracks.map(\.path).filter { !$0.hasSuffix("/piano-01.flac") })
            let m3u = try String(contentsOfFile: directory.file("out/" + entry.file), encoding: .utf8)
            XCTAssertEqual(m3u.split(separator: "\n").filter { !$0.hasPrefix("#") }.count, entry.tracks.count)
        }
        // --json says the same.
        let json = try run(folder, ["--json", "-q"])
        let printed = try JSONOutput.decoder().decode(PlaylistDocument.self, from: Data(json.standardOutput.utf8))
        XCTAssertEqual(printed.changes, PlaylistDocument.Changes(mode: .update, keptPlaylists: 3))
    }

    func testChangedSettingsAskForARecluster() throws {
        let (folder, _) = try music()
        XCTAssertEqual(try run(folder).status, 0)
        let before = try document()
        let refused = try run(folder, ["--algorithm", "agglomerative"])
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.standardError.contains("holds playlists made with other settings: --algorithm "
            + "agglomerative (ward) (the set has kmeans)"), refused.standardError)
        XCTAssertTrue(refused.standardError.contains("run again with --recluster"), refused.standardError)
        XCTAssertEqual(try document().playlists.map(\.updated), before.playlists.map(\.updated), "nothing written")

        let reclustered = try run(folder, ["--algorithm", "agglomerative", "--recluster"])
        XCTAssertEqual(reclustered.status, 0, reclustered.standardError)
        XCTAssertTrue(reclustered.standardOutput.hasPrefix("reclustered (--recluster): 3 playlists kept their id, name "
            + "and file"), reclustered.standardOutput)
        let after = try document()
        XCTAssertEqual(Set(after.playlists.map(\.file)), Set(before.playlists.map(\.file)))
        XCTAssertEqual(after.algorithm, "agglomerative (ward)")
    }

    func testAPlaylistFileAPersonEditedIsLeftAloneAndNamed() throws {
        let (folder, later) = try music()
        XCTAssertEqual(try run(folder).status, 0)
        let before = try document()
        let edited = directory.file("out/" + before.playlists[0].file)
        let mine = try String(contentsOfFile: edited, encoding: .utf8) + "# my own line\n"
        try mine.write(toFile: edited, atomically: false, encoding: .utf8)
        for name in later { try FileManager.default.moveItem(atPath: directory.file(name), toPath: folder + "/" + name) }

        let update = try run(folder)
        XCTAssertEqual(update.status, 0, update.standardError)
        XCTAssertTrue(update.standardOutput.contains("left alone (changed, renamed or removed since SongAtlas wrote "
            + "them): \(before.playlists[0].file)"), update.standardOutput)
        XCTAssertEqual(try String(contentsOfFile: edited, encoding: .utf8), mine)
        XCTAssertEqual(try document().changes?.leftAlone, [before.playlists[0].file])
        // The other playlists were written with their new songs.
        let other = try document().playlists[1]
        let m3u = try String(contentsOfFile: directory.file("out/" + other.file), encoding: .utf8)
        XCTAssertEqual(m3u.split(separator: "\n").filter { !$0.hasPrefix("#") }.count, other.tracks.count)
    }

    func testTheMapColoursItsDotsByTheKeptPlaylists() throws {
        let (folder, later) = try music()
        XCTAssertEqual(try run(folder).status, 0)
        // A song added since the playlists were made is coloured apart.
        try FileManager.default.moveItem(atPath: directory.file(later[0]), toPath: folder + "/" + later[0])
        let map = try CommandRunner.run("songatlas", [
            "map", folder, "--out", directory.file("map/map.html"), "--playlists", directory.file("out"),
            "--cache", directory.file("cache.sqlite"), "--embedding", "none", "--grid", "3x3", "-q"])
        XCTAssertEqual(map.status, 0, map.standardError)
        let document = try JSONDecoder().decode(SongMapDocument.self,
                                                from: Data(contentsOf: URL(fileURLWithPath: directory.file("map/map.json"))))
        let kept = try self.document()
        XCTAssertEqual(document.clusters, kept.playlists.map(\.name) + [Atlas.outsideKeptPlaylists])
        for song in document.songs {
            let playlist = kept.playlists.firstIndex { $0.tracks.contains { $0.path == song.path } }
            XCTAssertEqual(song.cluster, playlist ?? kept.playlists.count, song.path)
        }
        // The clustering options apply when the map clusters for itself.
        let own = try CommandRunner.run("songatlas", [
            "map", folder, "--out", directory.file("own/map.html"), "-k", "2", "--min-size", "1",
            "--cache", directory.file("cache.sqlite"), "--embedding", "none", "--grid", "3x3", "-q"])
        XCTAssertEqual(own.status, 0, own.standardError)
        let clustered = try JSONDecoder().decode(SongMapDocument.self,
                                                 from: Data(contentsOf: URL(fileURLWithPath: directory.file("own/map.json"))))
        XCTAssertEqual(clustered.clusters.count, 2)
    }
}
