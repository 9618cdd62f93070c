import AudioDecoding
import Clustering
import Export
import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// `songatlas playlists` killed with SIGKILL at random moments: the cache
/// still opens, no output is half-written, the next run finishes with the
/// playlists of an uninterrupted run, and the music is never touched.
final class KillSafetyTests: XCTestCase {
    func testSIGKILLAtRandomPointsLosesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        for index in 0..<24 {
            let samples = index % 3 == 0 ? Signals.noise(seconds: 4, seed: UInt64(index))
                : index % 3 == 1 ? Signals.sine(frequency: 110 * Double(index % 7 + 1), seconds: 4)
                : Signals.drumLoop(bpm: 80 + Double(index) * 3, seconds: 4)
            try AudioFileWriter.write(samples, to: music + String(format: "/track-%02d.wav", index), sampleRate: 22050)
        }
        func snapshot() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: music) {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: music + "/" + name))
            }
            return files
        }
        let original = try snapshot()
        let executable = CommandRunner.productsDirectory.appendingPathComponent("songatlas").path
        func arguments(cache: String, out: String) -> [String] {
            ["playlists", music, "--cache", cache, "--out", out, "-k", "3", "--seed", "1", "--quiet", "--jobs", "2"]
        }
        func playlists(_ folder: String) throws -> [[String]] {
            let document = try JSONDecoder().decode(
                PlaylistDocument.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/playlists.json")))
            return document.playlists.map { [$0.name] + $0.tracks.map(\.path) }
        }

        // The uninterrupted run.
        let reference = try CommandRunner.run("songatlas", arguments(cache: directory.file("reference.sqlite"),
                                                                     out: directory.file("reference")))
        XCTAssertEqual(reference.status, 0, reference.standardError)
        let expected = try playlists(directory.file("reference"))

        let cache = directory.file("cache.sqlite")
        let out = directory.file("out")
        var generator = SeededGenerator(seed: 2026)
        for round in 0..<20 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments(cache: cache, out: out)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(generator.nextUnit() * 700_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            // The cache opens as it is (no rebuild), and what was written is whole.
            let reopened = try FeatureCache(path: cache)
            XCTAssertNil(reopened.rebuildNote, "round \(round): \(reopened.rebuildNote ?? "")")
            _ = try reopened.loadAll()
            if FileManager.default.fileExists(atPath: out + "/playlists.json") {
                XCTAssertEqual(try playlists(out), expected, "round \(round): a finished run's playlists differ")
                for file in try FileManager.default.contentsOfDirectory(atPath: out) where file.hasSuffix(".m3u8") {
                    let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
                    XCTAssertTrue(text.hasPrefix("#EXTM3U\n") && text.hasSuffix("\n"), "round \(round): \(file) is cut")
                }
            }
            XCTAssertEqual(try snapshot(), original, "round \(round): the music changed")
        }

        let final = try CommandRunner.run("songatlas", arguments(cache: cache, out: out))
        XCTAssertEqual(final.status, 0, final.standardError)
        XCTAssertEqual(try playlists(out), expected)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
        XCTAssertEqual(try snapshot(), original)
    }
}
