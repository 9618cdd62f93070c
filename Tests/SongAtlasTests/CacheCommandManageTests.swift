import AudioDecoding
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `songatlas cache info/list/forget/prune` and `analyze --cache` as a user runs them: they change
/// only the cache, refuse a file that is not one, and a second `analyze` comes from the cache.
final class CacheCommandManageTests: XCTestCase {
    var directory: TemporaryDirectory!
    var music: String { directory.file("music") }
    var cache: String { directory.file("cache/library.sqlite") }

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: music + "/album", withIntermediateDirectories: true)
        for (index, frequency) in [220.0, 330, 440].enumerated() {
            try AudioFileWriter.write(Signals.sine(frequency: frequency, seconds: 1), to: music + "/song\(index).wav",
                                      sampleRate: 22050)
        }
        try AudioFileWriter.write(Signals.drumLoop(bpm: 120, seconds: 1), to: music + "/album/drums.wav", sampleRate: 22050)
        try Data("not audio".utf8).write(to: URL(fileURLWithPath: music + "/album/broken.wav"))
    }

    override func tearDown() { directory.remove() }

    private func songatlas(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.run("songatlas", arguments)
    }

    private struct Listing: Decodable {
        struct Record: Decodable {
            var path: String
            var state: String
            var origin: String
            var models: [String]
            var analyzedAt: String?
        }
        var records: [Record]
    }

    func testASecondAnalyzeComesFromTheCacheWithTheSameReport() throws {
        let first = try songatlas(["analyze", music, "--cache", cache])
        XCTAssertEqual(first.status, 0, first.standardError)
        XCTAssertTrue(first.standardError.hasSuffix("songatlas: analysed 4, failed 1\n"), first.standardError)
        let second = try songatlas(["analyze", music, "--cache", cache])
        XCTAssertEqual(second.status, 0, second.standardError)
        XCTAssertTrue(second.standardError.contains("analysed 4, failed 1, 5 from the cache"), second.standardError)
        XCTAssertEqual(second.standardOutput, first.standardOutput)
        let uncached = try songatlas(["analyze", music, "--no-cache"])
        XCTAssertEqual(uncached.standardOutput, first.standardOutput)
        XCTAssertFalse(uncached.standardError.contains("from the cache"), uncached.standardError)

        // A file changed since is analysed again; a file gone is dropped from the cache.
        try FileManager.default.removeItem(atPath: music + "/song2.wav")
        let third = try songatlas(["analyze", music, "--cache", cache, "--format", "csv"])
        XCTAssertTrue(third.standardError.contains("analysed 3, failed 1, 4 from the cache, dropped 1 gone from the cache"),
                      third.standardError)
    }

    func testInfoListForgetPrune() throws {
        XCTAssertEqual(try songatlas(["analyze", music, "--cache", cache, "-q"]).status, 0)

        let info = try songatlas(["cache", "info", "--cache", cache])
        XCTAssertEqual(info.status, 0, info.standardError)
        XCTAssertTrue(info.standardOutput.contains("cache     \(cache)"), info.standardOutput)
        XCTAssertTrue(info.standardOutput.contains("schema    5"), info.standardOutput)
        XCTAssertTrue(info.standardOutput.contains("records   5: 4 analysed, 1 failed"), info.standardOutput)
        XCTAssertTrue(info.standardOutput.contains("origin    5 library"), info.standardOutput)
        XCTAssertTrue(info.standardOutput.contains("models    4 without an embedding"), info.standardOutput)
        XCTAssertTrue(info.standardOutput.contains("failures  1 ('songatlas cache prune' removes them)"), info.standardOutput)
        let infoJSON = try songatlas(["cache", "info", "--cache", cache, "--format", "json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(infoJSON.standardOutput.utf8)) as? [String: Any])
        XCTAssertEqual(object["records"] as? Int, 5)
        XCTAssertEqual(object["failures"] as? Int, 1)
        XCTAssertEqual(object["schema"] as? Int, 5)

        let list = try songatlas(["cache", "list", music + "/album", "--cache", cache, "--format", "json"])
        XCTAssertEqual(list.status, 0, list.standardError)
        let listing = try JSONDecoder().decode(Listing.self, from: Data(list.standardOutput.utf8))
        XCTAssertEqual(listing.records.map(\.path), [music + "/album/broken.wav", music + "/album/drums.wav"])
        XCTAssertEqual(listing.records.map(\.state), ["failed", "analysed"])
        XCTAssertEqual(listing.records.map(\.origin), ["library", "library"])
        XCTAssertTrue(listing.records.allSatisfy { $0.analyzedAt?.hasSuffix("Z") == true })
        let csv = try songatlas(["cache", "list", "--cache", cache, "--format", "csv"])
        XCTAssertEqual(csv.standardOutput.split(separator: "\n").count, 6, csv.standardOutput)
        XCTAssertTrue(csv.standardOutput.hasPrefix("path,state,origin,models,analyzedAt"), csv.standardOutput)

        let musicBefore = try snapshot(music)
        let forget = try songatlas(["cache", "forget", music + "/album", "--cache", cache])
        XCTAssertEqual(forget.status, 0, forget.standardError)
        XCTAssertEqual(forget.standardOutput, "forgot 2 records in \(cache)\n")
        try FileManager.default.removeItem(atPath: music + "/song0.wav")
        let prune = try songatlas(["cache", "prune", "--cache", cache])
        XCTAssertEqual(prune.status, 0, prune.standardError)
        XCTAssertEqual(prune.standardOutput,
                       "removed 1 record of files that are gone and 0 failure records from \(cache)\n")
        let rest = try songatlas(["cache", "list", "--cache", cache, "--format", "json"])
        XCTAssertEqual(try JSONDecoder().decode(Listing.self, from: Data(rest.standardOutput.utf8)).records.map(\.path),
                       [music + "/song1.wav", music + "/song2.wav"])
        var expected = musicBefore
        expected["song0.wav"] = nil
        XCTAssertEqual(try snapshot(music), expected, "cache commands never touch a music file")
    }

    func testEveryCacheCommandRefusesAFileThatIsNotACacheAndLeavesItAlone() throws {
        let song = music + "/song0.wav"
        let text = directory.file("notes.sqlite")
        try Data("SQLite? no, my notes".utf8).write(to: URL(fileURLWithPath: text))
        for target in [song, text, music] {
            let before = try snapshot(directory.path)
            for arguments in [["info"], ["list"], ["forget", music], ["prune"]] {
                let result = try songatlas(["cache"] + arguments + ["--cache", target])
                XCTAssertEqual(result.status, 1, "\(arguments) \(target): \(result.standardError)")
                XCTAssertTrue(result.standardError.contains("this is not a SongAtlas cache"), result.standardError)
                XCTAssertTrue(result.standardError.contains("it was left untouched"), result.standardError)
            }
            XCTAssertEqual(try snapshot(directory.path), before, "a cache command changed something at \(target)")
        }
        // A missing cache is an error, and none is made.
        let missing = try songatlas(["cache", "info", "--cache", cache])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.contains("does not exist"), missing.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("cache")))
    }

    /// Every file under `folder` (relative path) with its bytes.
    private func snapshot(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: folder) {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder)
            files[name] = isFolder.boolValue ? Data("folder".utf8) : try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return files
    }
}
