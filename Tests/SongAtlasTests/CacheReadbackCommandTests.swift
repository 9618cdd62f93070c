import AudioDecoding
import Foundation
import GRDB
import Library
import TestSupport
import XCTest

/// Values read back from the cache, through every command that reads it: a
/// record with an absurd number is refused with one note naming its file, the
/// song is analysed again, and nothing traps. A command that only reads the
/// cache never makes one.
final class CacheReadbackCommandTests: XCTestCase {
    var directory: TemporaryDirectory!
    var music: String { directory.file("music") }
    var cache: String { directory.file("cache/library.sqlite") }
    var victim: String { music + "/song1.wav" }

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        var labels = "path,label\n"
        for (index, frequency) in [220.0, 277, 330, 440].enumerated() {
            try AudioFileWriter.write(Signals.sine(frequency: frequency, seconds: 1.5), to: music + "/song\(index).wav",
                                      sampleRate: 22050)
            labels += "song\(index).wav,\(index < 2 ? "low" : "high")\n"
        }
        try AudioFileWriter.write(Signals.drumLoop(bpm: 120, seconds: 1.5), to: music + "/drums.wav", sampleRate: 22050)
        labels += "drums.wav,drums\n"
        try labels.write(toFile: music + "/labels.csv", atomically: true, encoding: .utf8)
    }

    override func tearDown() { directory.remove() }

    /// Ways to damage one record, as a hostile edit or a bad disk would: (what, edit of the record as JSON,
    /// written back as the JSON records of schema 4 and older, which are still read).
    private var damages: [(name: String, edit: (inout [String: Any]) -> Void)] {
        func floats(_ values: [Float]) -> String {
            var data = Data()
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            return data.base64EncodedString()
        }
        return [
            ("duration 3e30", { $0["durationSeconds"] = 3e30 }),
            ("duration -1e308", { $0["durationSeconds"] = -1e308 }),
            ("NaN feature", { record in
                var values = [Float](repeating: 0.5, count: (record["summaryValues"] as? String).flatMap { Data(base64Encoded: $0) }.map { $0.count / 4 } ?? 1)
                values[0] = .nan
                record["summaryValues"] = floats(values)
            }),
            ("infinite feature", { record in
                var values = [Float](repeating: 0.5, count: (record["summaryValues"] as? String).flatMap { Data(base64Encoded: $0) }.map { $0.count / 4 } ?? 1)
                values[values.count - 1] = .infinity
                record["summaryValues"] = floats(values)
            }),
            ("wrong vector length", { $0["summaryValues"] = floats([Float](repeating: 0.5, count: 200)) }),
            ("negative count", { $0["nonFiniteSampleCount"] = -1 }),
        ]
    }

    /// Replaces the record of `path` in the cache by `edit` applied to it as JSON.
    private func damage(_ path: String, _ edit: (inout [String: Any]) -> Void) throws {
        var record = try self.record(path)
        edit(&record)
        try replaceRecord(of: path, with: try JSONSerialization.data(withJSONObject: record))
    }

    /// Replaces the stored bytes of the record of `path` by `change` applied to them.
    private func damageBytes(_ path: String, _ change: (Data) -> Data) throws {
        let queue = try DatabaseQueue(path: cache)
        let data = try queue.read { db in
            try XCTUnwrap(try Data.fetchOne(db, sql: "SELECT record FROM track WHERE path = ?", arguments: [path]))
        }
        try queue.close()
        try replaceRecord(of: path, with: change(data))
    }

    private func replaceRecord(of path: String, with data: Data) throws {
        let queue = try DatabaseQueue(path: cache)
        try queue.write { db in
            try db.execute(sql: "UPDATE track SET record = ? WHERE path = ?", arguments: [data, path])
        }
        try queue.close()
    }

    /// The record of `path` as stored (binary since cache schema 5), decoded and rendered as JSON.
    private func record(_ path: String) throws -> [String: Any] {
        let queue = try DatabaseQueue(path: cache)
        defer { try? queue.close() }
        let data = try queue.read { db in
            try XCTUnwrap(try Data.fetchOne(db, sql: "SELECT record FROM track WHERE path = ?", arguments: [path]))
        }
        let json = try JSONEncoder().encode(try CachedTrack.decode(data))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    }

    func testADamagedRecordIsReanalysedWithOneNoteByEveryCommandThatReadsTheCache() throws {
        let fill = try CommandRunner.run("songatlas", ["playlists", music, "--cache", cache, "--out", directory.file("fill"), "-k", "2"])
        XCTAssertEqual(fill.status, 0, fill.standardError)
        let other = music + "/song3.wav"
        let sound = try record(victim)
        let musicBefore = try snapshot(music)
        let commands: [(name: String, arguments: [String])] = [
            ("playlists", ["playlists", music, "--cache", cache, "-k", "2", "--out", directory.file("p")]),
            ("similar", ["similar", other, "--library", music, "--cache", cache, "-n", "3", "-o", directory.file("s.m3u8")]),
            ("path", ["path", music + "/song0.wav", other, "--library", music, "--cache", cache, "-n", "4",
                      "-o", directory.file("path.m3u8")]),
            ("map", ["map", music, "--cache", cache, "--out", directory.file("map.html")]),
            ("evaluate", ["evaluate", "clusters", "--compare", music, "--labels", music + "/labels.csv", "--cache", cache,
                          "-k", "2"]),
        ]
        // The JSON edits, then damage to the binary record itself: one bit flipped, or cut short.
        let binaryDamages: [(name: String, change: (Data) -> Data)] = [
            ("a flipped bit", { data in
                var flipped = data
                flipped[flipped.startIndex + flipped.count / 2] ^= 0x04
                return flipped
            }),
            ("a cut", { $0.dropLast(12) }),
        ]
        let allDamages: [(name: String, apply: () throws -> Void)] =
            damages.map { damage in (damage.name, { try self.damage(self.victim, damage.edit) }) }
            + binaryDamages.map { damage in (damage.name, { try self.damageBytes(self.victim, damage.change) }) }
        for (damageName, apply) in allDamages {
            for (name, arguments) in commands {
                let label = "\(name) with a record of \(damageName)"
                try apply()
                if name == "playlists" {
                    for output in ["p", "s.m3u8", "path.m3u8", "map.html"] { try? FileManager.default.removeItem(atPath: directory.file(output)) }
                }
                let result = try CommandRunner.run("songatlas", arguments)
                XCTAssertEqual(result.status, 0, "\(label): \(result.standardError)")
                let notes = result.standardError.components(separatedBy: "\n").filter { $0.contains("is damaged") }
                XCTAssertEqual(notes.count, 1, "\(label): \(result.standardError)")
                XCTAssertTrue(notes.first?.contains(victim) == true, "\(label): \(result.standardError)")
                XCTAssertFalse(result.standardError.contains("Fatal error"), "\(label): \(result.standardError)")
                // Analysed again and stored: the record is the sound one again.
                let stored = try record(victim)
                XCTAssertEqual(stored["durationSeconds"] as? Double, sound["durationSeconds"] as? Double, label)
                XCTAssertEqual(stored["summaryValues"] as? String, sound["summaryValues"] as? String, label)
                XCTAssertEqual(stored["nonFiniteSampleCount"] as? Int, 0, label)
            }
        }
        XCTAssertEqual(try snapshot(music), musicBefore, "the music folder changed")
        for output in ["s.m3u8", "path.m3u8"] {
            let playlist = try String(contentsOfFile: directory.file(output), encoding: .utf8)
            XCTAssertFalse(playlist.contains("#EXTINF:-1"), playlist)
            XCTAssertTrue(playlist.contains("#EXTINF:2,"), playlist)
        }
    }

    func testSimilarWithANewCachePathAndNoLibraryMakesNothing() throws {
        let path = directory.file("new/folder/library.sqlite")
        let result = try CommandRunner.run("songatlas", ["similar", music + "/song0.wav", "--cache", path])
        XCTAssertEqual(result.status, 1, result.standardError)
        let lines = result.standardError.split(separator: "\n").filter { !$0.contains("embedding model") }
        XCTAssertEqual(lines.count, 1, result.standardError)
        XCTAssertTrue(result.standardError.contains("does not exist"), result.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("new")))
    }

    func testACacheMadeReadOnlyIsNotWrittenAsRootAndWarnsOnce() throws {
        let first = try CommandRunner.run("songatlas", ["playlists", music, "--cache", cache, "--out", directory.file("o1"), "-k", "2"])
        XCTAssertEqual(first.status, 0, first.standardError)
        try AudioFileWriter.write(Signals.sine(frequency: 550, seconds: 1.5), to: music + "/new.wav", sampleRate: 22050)
        let folder = directory.file("cache")
        // A clean, closed cache: only the main file.
        let queue = try DatabaseQueue(path: cache)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        for suffix in ["-wal", "-shm"] { unlink(cache + suffix) }
        chmod(cache, 0o444)
        let before = try Data(contentsOf: URL(fileURLWithPath: cache))

        for arguments in [["playlists", music, "--cache", cache, "--out", directory.file("o2"), "-k", "2"],
                          ["similar", music + "/song0.wav", "--library", music, "--cache", cache, "-n", "2"]] {
            let result = try CommandRunner.run("songatlas", arguments)
            XCTAssertEqual(result.status, 0, result.standardError)
            XCTAssertEqual(result.standardError.components(separatedBy: "is read-only").count, 2,
                           "\(arguments[0]): \(result.standardError)")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: cache)), before, arguments[0])
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["library.sqlite"], arguments[0])
        }
    }

    /// Every file under `folder` with its bytes.
    private func snapshot(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: folder) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return files
    }
}
