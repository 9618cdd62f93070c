import AudioDecoding
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `--cache` as a user might mistype it: pointed at a song or at the music
/// folder itself, the run refuses the cache, says so even with `-q`, leaves
/// the music byte-identical and still writes the playlists.
final class CacheCommandTests: XCTestCase {
    var directory: TemporaryDirectory!
    var music: String { directory.file("music") }

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: music + "/album", withIntermediateDirectories: true)
        for (index, frequency) in [220.0, 277, 330, 440].enumerated() {
            try AudioFileWriter.write(Signals.sine(frequency: frequency, seconds: 1), to: music + "/song\(index).wav",
                                      sampleRate: 22050)
        }
        try AudioFileWriter.write(Signals.drumLoop(bpm: 120, seconds: 1), to: music + "/album/drums.wav", sampleRate: 22050)
    }

    override func tearDown() { directory.remove() }

    func testACacheOnASongOrOnTheMusicFolderIsRefusedAndTheMusicIsUntouched() throws {
        let original = try snapshot(music)
        for (round, cache) in [music + "/song0.wav", music, music + "/"].enumerated() {
            let out = directory.file("out\(round)")
            let result = try CommandRunner.run("songatlas", ["playlists", music, "--cache", cache, "--out", out, "-k", "2", "-q"])
            XCTAssertEqual(result.status, 0, result.standardError)
            XCTAssertTrue(result.standardError.contains("feature cache \(cache): this is not a SongAtlas cache"),
                          result.standardError)
            XCTAssertTrue(result.standardError.contains("choose another --cache path"), result.standardError)
            XCTAssertTrue(result.standardError.contains("Going on without a cache"), result.standardError)
            XCTAssertEqual(try snapshot(music), original, "--cache \(cache) changed the music folder")
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/playlists.json"), "no playlists with --cache \(cache)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(),
                       ["music", "out0", "out1", "out2"])
    }

    func testAReadOnlyCacheIsUsedAndNotWritten() throws {
        let runner = try UnprivilegedRunner(folder: directory)
        guard runner.isUnprivileged else { throw XCTSkip("cannot run without root's permissions here (no runuser)") }
        chmod(music, 0o755)
        chmod(music + "/album", 0o755)
        let folder = directory.file("cache")
        let cache = folder + "/library.sqlite"
        let first = try CommandRunner.run("songatlas", ["playlists", music, "--cache", cache, "--out", directory.file("o1"),
                                                        "-k", "2"])
        XCTAssertEqual(first.status, 0, first.standardError)
        XCTAssertTrue(first.standardError.contains("analysed 5, cached 0"), first.standardError)
        try AudioFileWriter.write(Signals.sine(frequency: 550, seconds: 1), to: music + "/new.wav", sampleRate: 22050)
        chmod(music + "/new.wav", 0o644)
        chmod(cache, 0o444)
        chmod(folder, 0o555)
        defer { chmod(folder, 0o755) }
        let before = try snapshot(folder)

        let out = directory.file("o2")
        let second = try runner.run(["playlists", music, "--cache", cache, "--out", out, "-k", "2"])
        XCTAssertEqual(second.status, 0, second.standardError)
        XCTAssertTrue(second.standardError.contains("is read-only"), second.standardError)
        XCTAssertTrue(second.standardError.contains("using its 5 entries, new results are not stored"), second.standardError)
        XCTAssertTrue(second.standardError.contains("analysed 1, cached 5"), second.standardError)
        XCTAssertEqual(second.standardError.components(separatedBy: "feature cache").count, 2, second.standardError)
        XCTAssertEqual(try snapshot(folder), before)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/playlists.json"))
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
