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
        XCTAssertFalse(update.standardError.contains("not part of this run's set"), "named once, by the summary")
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

    func testAHandEditedDocumentIsNotTrustedButKeptAndTheSetIsMadeAgain() throws {
        let (folder, _) = try music()
        XCTAssertEqual(try run(folder).status, 0)
        let before = try document()
        let json = directory.file("out/playlists.json")
        let edited = try String(contentsOfFile: json, encoding: .utf8)
            .replacingOccurrences(of: before.playlists[0].name, with: "my own name")
        try edited.write(toFile: json, atomically: false, encoding: .utf8)
        // The user also renamed a playlist file: the renamed file stays as it is, its old name is listed.
        let renamed = directory.file("out/mine.m3u8")
        try FileManager.default.moveItem(atPath: directory.file("out/" + before.playlists[1].file), toPath: renamed)
        let mine = try String(contentsOfFile: renamed, encoding: .utf8)

        let again = try run(folder)
        XCTAssertEqual(again.status, 0, again.standardError)
        XCTAssertTrue(again.standardOutput.hasPrefix("new playlists: playlists.json was changed since SongAtlas wrote it "
            + "(kept as playlists.edited.json), so the set was not trusted\n"), again.standardOutput)
        XCTAssertTrue(again.standardOutput.contains("left alone (changed, renamed or removed since SongAtlas wrote them): "
            + before.playlists[1].file), again.standardOutput)
        XCTAssertEqual(try String(contentsOfFile: directory.file("out/playlists.edited.json"), encoding: .utf8), edited)
        XCTAssertEqual(try String(contentsOfFile: renamed, encoding: .utf8), mine)
        let after = try document()
        XCTAssertEqual(after.changes?.mode, .new)
        XCTAssertEqual(after.playlists.count, 3)
        XCTAssertFalse(after.playlists.map(\.name).contains("my own name"))
        XCTAssertFalse(after.playlists.map(\.file).contains(before.playlists[1].file), "the renamed file's name is not reused")
        // The new set is SongAtlas's own again: the next run updates it.
        let next = try run(folder)
        XCTAssertEqual(next.status, 0, next.standardError)
        XCTAssertTrue(next.standardOutput.hasPrefix("kept 3 playlists: +0 songs"), next.standardOutput)
    }

    func testAManifestThatNoLongerMatchesIsNotTrustedAndNoFileOfThePersonIsRemoved() throws {
        let (folder, _) = try music()
        XCTAssertEqual(try run(folder).status, 0)
        let before = try document()
        // Every size in the manifest edited: no file matches its record any more.
        let manifest = directory.file("out/.songatlas-playlists.manifest.json")
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        let regex = try NSRegularExpression(pattern: "\"sizeBytes\" *: *[0-9]+")
        let changed = regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                                     withTemplate: "\"sizeBytes\" : 1")
        XCTAssertNotEqual(changed, text)
        try changed.write(toFile: manifest, atomically: false, encoding: .utf8)
        let files = try before.playlists.map { try String(contentsOfFile: directory.file("out/" + $0.file), encoding: .utf8) }

        let again = try run(folder, ["-k", "2", "--recluster"])
        XCTAssertEqual(again.status, 0, again.standardError)
        XCTAssertTrue(again.standardOutput.contains("playlists.json was changed since SongAtlas wrote it"), again.standardOutput)
        for (playlist, text) in zip(before.playlists, files) {
            XCTAssertEqual(try String(contentsOfFile: directory.file("out/" + playlist.file), encoding: .utf8), text,
                           "\(playlist.file) is not as the manifest records it, so it is the person's")
        }
        let after = try document()
        XCTAssertEqual(after.playlists.count, 2)
        XCTAssertTrue(Set(after.playlists.map(\.file)).isDisjoint(with: before.playlists.map(\.file)))
        XCTAssertEqual(after.changes?.leftAlone, before.playlists.map(\.file).sorted())
    }

    func testTwoUpdatesOfOneFolderTakeTurnsAndTheSecondReadsTheSetUnderTheLock() throws {
        let (folder, _) = try music()
        XCTAssertEqual(try run(folder).status, 0)
        // This test holds the folder's lock, as a first run writing would.
        let out = directory.file("out")
        let descriptor = open(out + "/.songatlas.lock", O_RDWR | O_CREAT, 0o644)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        XCTAssertEqual(flock(descriptor, LOCK_EX), 0)
        let process = Process()
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("songatlas")
        process.arguments = ["playlists", folder, "--out", out, "--cache", directory.file("cache.sqlite"),
                             "--embedding", "none", "-k", "3"]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["SONGATLAS_MODELS": "/nonexistent/songatlas-tests-have-no-models"]) { $1 }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Wait until the second run says it waits for the lock.
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains("waiting for it to finish") {
            let chunk = error.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += chunk
        }
        XCTAssertTrue(String(decoding: said, as: UTF8.self).contains("waiting for it to finish"))
        // Meanwhile the first run leaves the folder empty: the second must see that, not the set it found before.
        for name in try FileManager.default.contentsOfDirectory(atPath: out) where name != ".songatlas.lock" {
            try FileManager.default.removeItem(atPath: out + "/" + name)
        }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        _ = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(String(decoding: printed, as: UTF8.self).hasPrefix("k=3 asked; 3 playlists written"),
                      String(decoding: printed, as: UTF8.self))
        XCTAssertEqual(try document().changes?.mode, .new)
    }

    func testAnAgglomerativeUpdateKeepsItsTreeAndSaysTheNewSongsAreNotInIt() throws {
        let (folder, later) = try music()
        let first = try run(folder, ["--algorithm", "agglomerative"])
        XCTAssertEqual(first.status, 0, first.standardError)
        func tree() throws -> DendrogramDocument {
            try JSONOutput.decoder().decode(DendrogramDocument.self,
                                            from: Data(contentsOf: URL(fileURLWithPath: directory.file("out/dendrogram.json"))))
        }
        let before = try tree()
        XCTAssertEqual(before.leaves.count, 6)
        for name in later { try FileManager.default.moveItem(atPath: directory.file(name), toPath: folder + "/" + name) }

        let update = try run(folder, ["--algorithm", "agglomerative"])
        XCTAssertEqual(update.status, 0, update.standardError)
        XCTAssertTrue(update.standardOutput.hasPrefix("kept 3 playlists: +3 songs"), update.standardOutput)
        XCTAssertTrue(update.standardError.contains("dendrogram.json and dendrogram.svg show the 6 songs as they were "
            + "clustered; the 3 songs added since are not in the tree"), update.standardError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("out/dendrogram.svg")))
        let after = try tree()
        XCTAssertEqual(after.merges, before.merges)
        // Each leaf still names the playlist that holds its song.
        let playlists = try document().playlists
        for leaf in after.leaves {
            let playlist = try XCTUnwrap(leaf.playlist, leaf.path)
            XCTAssertTrue(playlists[playlist].tracks.contains { $0.path == leaf.path }, leaf.path)
        }
    }
}
