import AudioDecoding
import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// `analyze --shard I/N` in separate processes, then `cache merge`: the merged cache holds what one
/// process would have written, record for record, and a later run analyses nothing.
final class ShardMergeTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// A small library under `folder`: nine short songs in two folders, an album image with a
    /// two-track cue sheet, and a file that cannot be decoded (a failure record).
    private func makeLibrary(_ folder: String) throws {
        for sub in ["", "/Jazz", "/Rock/Live"] {
            try FileManager.default.createDirectory(atPath: folder + sub, withIntermediateDirectories: true)
        }
        let places = ["", "/Jazz", "/Rock/Live"]
        for (index, frequency) in [220.0, 247, 262, 294, 330, 349, 392, 440, 494].enumerated() {
            let samples = index % 3 == 0 ? Signals.drumLoop(bpm: 90 + Double(index) * 10, seconds: 1)
                : Signals.sine(frequency: frequency, seconds: 1)
            try AudioFileWriter.write(samples, to: folder + places[index % 3] + "/song \(index).wav", sampleRate: 22050)
        }
        try AudioFileWriter.write(Signals.sine(frequency: 523, seconds: 4), to: folder + "/Jazz/Album.wav", sampleRate: 22050)
        let sheet = "TITLE \"Album\"\nFILE \"Album.wav\" WAVE\n"
            + "  TRACK 01 AUDIO\n    TITLE \"One\"\n    INDEX 01 00:00:00\n"
            + "  TRACK 02 AUDIO\n    TITLE \"Two\"\n    INDEX 01 00:02:00\n"
        try sheet.write(toFile: folder + "/Jazz/Album.cue", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: folder + "/Rock/broken.flac", contents: Data("not audio".utf8))
    }

    /// Runs `songatlas` and fails the test on a non-zero status.
    @discardableResult
    private func songatlas(_ arguments: [String], status: Int32 = 0) throws -> CommandResult {
        let result = try CommandRunner.run("songatlas", arguments, in: URL(fileURLWithPath: directory.path))
        XCTAssertEqual(result.status, status, "songatlas \(arguments.joined(separator: " ")): \(result.standardError)")
        return result
    }

    /// Analyses `folder` as shard i of 3 into `prefix-i.sqlite`, each in its own process; returns the shard paths.
    private func makeShards(of folder: String, prefix: String) throws -> [String] {
        var kept = 0
        var shards: [String] = []
        for index in 1...3 {
            let shard = directory.file("\(prefix)-\(index).sqlite")
            let run = try songatlas(["analyze", folder, "--embedding", "none", "--shard", "\(index)/3", "--cache", shard,
                                     "-o", directory.file("\(prefix)-\(index).json")])
            // Eleven files: nine songs, the album image (its two tracks go together) and the broken file.
            let tally = try XCTUnwrap(run.standardError.firstMatch(of: /shard \d\/3: (\d+) of 11 files; analysed/),
                                      run.standardError)
            kept += Int(tally.1)!
            shards.append(shard)
        }
        XCTAssertEqual(kept, 11, "the three shards together hold every file once")
        return shards
    }

    /// Every record of the cache at `path` (opened read-only), without the time it was written.
    private func records(_ path: String) throws -> [CacheRecordInfo] {
        try FeatureCache(path: path, readOnly: true, creating: false).records().map { record in
            var record = record
            record.analyzedAt = nil
            return record
        }.sorted { ($0.path, $0.track) < ($1.path, $1.track) }
    }

    /// What each record decodes to, by (path, track): the analyses and failures themselves.
    private func outcomes(_ path: String) throws -> [String: String] {
        let cache = try FeatureCache(path: path, readOnly: true, creating: false)
        var outcomes: [String: String] = [:]
        for (path, entry) in try cache.loadAll() { outcomes[path] = "\(entry.key) \(entry.outcome)" }
        for (slot, entry) in try cache.loadCueTracks() { outcomes["\(slot.path)#\(slot.track)"] = "\(entry.key) \(entry.outcome)" }
        return outcomes
    }

    private func bytes(_ paths: [String]) throws -> [Data] {
        try paths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    }

    func testThreeShardsMergedEqualOneProcessAndPlaylistsThenAnalyseNothing() throws {
        let music = directory.file("music")
        try makeLibrary(music)
        let shards = try makeShards(of: music, prefix: "shard")
        let whole = directory.file("whole.sqlite")
        try songatlas(["analyze", music, "--embedding", "none", "--cache", whole, "-o", directory.file("whole.json")])

        let before = try bytes(shards)
        let merged = directory.file("merged.sqlite")
        let merge = try songatlas(["cache", "merge"] + shards + ["--into", merged])
        XCTAssertEqual(merge.standardOutput, "merged 12 records from 3 shards into \(merged) (0 newer kept, 0 refused)\n")
        XCTAssertEqual(try bytes(shards), before, "cache merge changed a shard")
        for shard in shards {
            for suffix in ["-wal", "-shm"] {
                XCTAssertFalse(FileManager.default.fileExists(atPath: shard + suffix), "cache merge made \(shard)\(suffix)")
            }
        }

        let expected = try records(whole)
        XCTAssertEqual(expected.count, 12)   // nine songs, two cue tracks, one failure
        XCTAssertEqual(expected.count { $0.track != 0 }, 2)
        XCTAssertEqual(expected.count { $0.state.name == "failed" }, 1)
        XCTAssertEqual(try records(merged), expected)
        XCTAssertEqual(try outcomes(merged), try outcomes(whole))
        XCTAssertEqual(try outcomes(merged).count, 12)

        let playlists = try songatlas(["playlists", music, "--embedding", "none", "--cache", merged, "-k", "2",
                                       "--out", directory.file("playlists")])
        XCTAssertTrue(playlists.standardError.contains("analysed 0, cached 12"), playlists.standardError)

        // Merged again: every record is already there, as new as the shard's.
        let again = try songatlas(["cache", "merge"] + shards + ["--into", merged])
        XCTAssertEqual(again.standardOutput, "merged 0 records from 3 shards into \(merged) (12 newer kept, 0 refused)\n")
    }

    func testShardsSharingOneCacheKeepEachOthersRecordsCueTracksIncluded() throws {
        let music = directory.file("music")
        try makeLibrary(music)
        // A second album image, in another shard than Jazz/Album.wav's (FNV-1a 64 of the path relative to
        // PATH, mod 3, plus 1): a shard holding cue tracks of its own must not take the other's for stale.
        XCTAssertEqual(ShardSelection.shard(ofRelativePath: "Jazz/Album.wav", count: 3), 3)
        XCTAssertEqual(ShardSelection.shard(ofRelativePath: "Album.wav", count: 3), 1)
        try AudioFileWriter.write(Signals.sine(frequency: 587, seconds: 4), to: music + "/Album.wav", sampleRate: 22050)
        let sheet = "FILE \"Album.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n"
            + "  TRACK 02 AUDIO\n    INDEX 01 00:02:00\n"
        try sheet.write(toFile: music + "/Album.cue", atomically: true, encoding: .utf8)
        let shared = directory.file("shared.sqlite")
        for index in [3, 1, 2] {
            try songatlas(["analyze", music, "--embedding", "none", "--shard", "\(index)/3", "--cache", shared,
                           "-o", directory.file("shared-\(index).json")])
        }
        // Every shard's run leaves the others' records, both images' cue tracks among them.
        let kept = try records(shared)
        XCTAssertEqual(kept.count, 14, kept.map { "\($0.path)#\($0.track)" }.joined(separator: ", "))
        XCTAssertEqual(kept.count { $0.track != 0 }, 4)
    }

    func testShardsMadeUnderOneFolderMergeUnderAnotherWithRebase() throws {
        let hostA = directory.file("hostA/music")
        try makeLibrary(hostA)
        let shards = try makeShards(of: hostA, prefix: "a")
        // The same music, seen by the machine that merges under another name (dates and sizes kept).
        try FileManager.default.createDirectory(atPath: directory.file("hostB"), withIntermediateDirectories: true)
        let hostB = directory.file("hostB/music")
        try FileManager.default.moveItem(atPath: hostA, toPath: hostB)
        // A sibling whose name starts like the old folder is not rebased.
        let merged = directory.file("merged.sqlite")
        try songatlas(["cache", "merge"] + shards + ["--into", merged, "--rebase", "\(hostA)=\(hostB)",
                                                     "--rebase", "\(hostA)x=/elsewhere"])
        let paths = try records(merged).map(\.path)
        XCTAssertEqual(paths.count, 12)
        XCTAssertTrue(paths.allSatisfy { $0.hasPrefix(hostB + "/") }, "\(paths)")
        let playlists = try songatlas(["playlists", hostB, "--embedding", "none", "--cache", merged, "-k", "2",
                                       "--out", directory.file("playlists")])
        XCTAssertTrue(playlists.standardError.contains("analysed 0, cached 12"), playlists.standardError)
        // The cue tracks point at the album where it is now.
        let list = try songatlas(["cache", "list", "--cache", merged, "--format", "csv"])
        XCTAssertFalse(list.standardOutput.contains(hostA + "/"), list.standardOutput)
        let analyzed = try songatlas(["analyze", hostB, "--embedding", "none", "--cache", merged,
                                      "-o", directory.file("b.json")])
        XCTAssertTrue(analyzed.standardError.contains("12 from the cache"), analyzed.standardError)
        let report = try String(contentsOfFile: directory.file("b.json"), encoding: .utf8)
        XCTAssertFalse(report.contains("hostA"), "a rebased cue track still names the old folder")
        // Without --rebase the shards' files are where they were: their records do not serve hostB.
        let plain = directory.file("plain.sqlite")
        try songatlas(["cache", "merge"] + shards + ["--into", plain])
        let unrebased = try songatlas(["playlists", hostB, "--embedding", "none", "--cache", plain, "-k", "2",
                                       "--out", directory.file("playlists2")])
        XCTAssertTrue(unrebased.standardError.contains("analysed 12, cached 0"), unrebased.standardError)
    }

    func testAForeignFileIsRefusedAndTheOtherShardsMerge() throws {
        let music = directory.file("music")
        try makeLibrary(music)
        let shards = try makeShards(of: music, prefix: "shard")
        let text = directory.file("notes.sqlite")
        try "not a cache".write(toFile: text, atomically: true, encoding: .utf8)
        let merged = directory.file("merged.sqlite")
        let before = try bytes(shards + [text])
        let merge = try songatlas(["cache", "merge", shards[0], text, shards[1], shards[2], "--into", merged], status: 1)
        XCTAssertEqual(merge.standardOutput, "merged 12 records from 3 shards into \(merged) (0 newer kept, 0 refused)\n")
        XCTAssertEqual(merge.standardError, "songatlas: refused: feature cache \(text): this is not a SongAtlas cache "
            + "(it is not an SQLite database); it was left untouched; not merged\n")
        XCTAssertEqual(try bytes(shards + [text]), before)
        XCTAssertEqual(try records(merged).count, 12)
        // The target itself is not read as a shard.
        let itself = try songatlas(["cache", "merge", merged, "--into", merged], status: 1)
        XCTAssertTrue(itself.standardError.contains("it is the cache being merged into"), itself.standardError)
    }

    func testBadShardAndRebaseValuesAreRefusedNamingThem() throws {
        for (value, message) in [("0/3", "the shard I must be between 1 and N (3)"), ("1/10001", "between 1 and 10000"),
                                 ("two", "'two' is not I/N")] {
            let run = try songatlas(["analyze", directory.path, "--shard", value], status: 64)
            XCTAssertTrue(run.standardError.contains(message), run.standardError)
        }
        let run = try songatlas(["cache", "merge", "a.sqlite", "--into", "b.sqlite", "--rebase", "music=/srv"], status: 64)
        XCTAssertTrue(run.standardError.contains("--rebase music=/srv: both folders must be absolute paths"), run.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("b.sqlite")))
    }

    /// `--format jsonl`, the export for engines past one machine: the JSON document's tracks, one a line,
    /// then its failures; shards' files concatenate into the whole library's.
    func testJSONLinesHoldTheDocumentsRecordsOneALineAndShardsConcatenate() throws {
        let music = directory.file("music")
        try makeLibrary(music)
        try songatlas(["analyze", music, "--embedding", "none", "--no-cache", "-o", directory.file("all.json")])
        let document = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: directory.file("all.json")))) as? [String: Any])
        let tracks = try XCTUnwrap(document["tracks"] as? [[String: Any]])
        let errors = try XCTUnwrap(document["errors"] as? [[String: Any]])
        XCTAssertEqual(tracks.count, 11)
        XCTAssertEqual(errors.count, 1)

        var lines: [String] = []
        for index in 1...3 {
            let file = directory.file("shard-\(index).jsonl")
            try songatlas(["analyze", music, "--embedding", "none", "--no-cache", "--shard", "\(index)/3",
                           "--format", "jsonl", "-o", file])
            let text = try String(contentsOfFile: file, encoding: .utf8)
            XCTAssertTrue(text.isEmpty || text.hasSuffix("}\n"), text)
            lines += text.split(separator: "\n").map(String.init)
        }
        let records = try lines.map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? NSDictionary, line)
        }
        XCTAssertEqual(records.count, 12)
        let byPath = { (record: NSDictionary) in "\(record["path"] ?? "")#\(record["track"] ?? "")" }
        XCTAssertEqual(Set(records.filter { $0["error"] == nil }.map(byPath)),
                       Set(tracks.map { byPath($0 as NSDictionary) }))
        for track in tracks {
            XCTAssertTrue(records.contains(track as NSDictionary), "\(track["path"] ?? "") differs from its JSON record")
        }
        XCTAssertEqual(records.filter { $0["error"] != nil }.count, 1)
    }
}
