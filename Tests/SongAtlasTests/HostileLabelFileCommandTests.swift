import Export
import Foundation
import TestSupport
import XCTest

/// Bad label files, reference CSVs and playlists.json handed to `evaluate` (issue 23): each case
/// checks the exit status, the one-line message, and that nothing in the folder around changed.
final class HostileLabelFileCommandTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        try "0\t10\tA\n10\t20\tB\n".write(toFile: directory.file("estimate.txt"), atomically: true, encoding: .utf8)
        try "a bystander\n".write(toFile: directory.file("notes.txt"), atomically: true, encoding: .utf8)
    }

    override func tearDown() { directory.remove() }

    /// Runs `arguments` and checks status, the whole of standard error, an empty standard output and an unchanged folder.
    private func assertRefused(_ arguments: [String], status: Int32 = 1, message: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try FolderSnapshot(directory.url.path)
        let result = try CommandRunner.run("songatlas", arguments, timeoutSeconds: 120)
        XCTAssertEqual(result.status, status, result.standardError, file: file, line: line)
        XCTAssertEqual(result.standardError, message + "\n", file: file, line: line)
        XCTAssertEqual(result.standardOutput, "", file: file, line: line)
        XCTAssertEqual(try FolderSnapshot(directory.url.path), before, "the folder changed", file: file, line: line)
    }

    private func evaluateSegments(reference contents: Data, name: String = "reference.txt",
                                  message: (String) -> String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = directory.file(name)
        try contents.write(to: URL(fileURLWithPath: path))
        try assertRefused(["evaluate", "segments", "--reference", path, "--estimate", directory.file("estimate.txt")],
                          message: "songatlas: " + message(path), file: file, line: line)
    }

    func testTimesOutOfBoundsAreRefused() throws {
        try evaluateSegments(reference: Data("0\t10\tA\n10\t1e308\tB\n".utf8)) { "\($0):2: end 1e+308 s is past the limit of 1000000 s" }
        try evaluateSegments(reference: Data("0\t1e9\tA\n".utf8)) { "\($0):1: end 1000000000.0 s is past the limit of 1000000 s" }
        try evaluateSegments(reference: Data("0\t1e8\tA\n".utf8)) { "\($0):1: end 100000000.0 s is past the limit of 1000000 s" }
        try evaluateSegments(reference: Data("0\tnan\tA\n".utf8)) { "\($0):1: end nan is not a finite number of seconds" }
        try evaluateSegments(reference: Data("-2\t10\tA\n".utf8)) { "\($0):1: start -2.0 is negative" }
        try evaluateSegments(reference: Data("0\t10\tA\n20\t30\tB\n12\t15\tC\n".utf8)) {
            "\($0):3: interval 12.0–15.0 is not sorted: it starts before line 2"
        }
    }

    func testFilesThatAreNotLabelFilesAreRefused() throws {
        try evaluateSegments(reference: Data([0x30, 0x09, 0x31, 0x00, 0xFF, 0xFE, 0x0A])) {
            "\($0): not a text file (a NUL byte at offset 3)"
        }
        try evaluateSegments(reference: Data()) { "\($0): no intervals" }
        try evaluateSegments(reference: Data(String(repeating: "9", count: 3_000_000).utf8)) {
            "\($0):1: the line is longer than 65536 bytes"
        }
        try evaluateSegments(reference: Data("{\"path\": \"a\", \"method\": \"m\", \"sections\": [{\"start\": 0, \"end\": \"inf\", \"label\": \"A\", \"confidence\": 1}]}".utf8),
                             name: "reference.json") {
            "\($0): not a segmentation JSON written by songatlas (missing durationSeconds)"
        }
        // 65 MiB (sparse, so the test writes almost nothing): refused from its size, before a byte is read.
        let large = directory.file("large.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: large, contents: Data("0\t1\tA\n".utf8)))
        XCTAssertEqual(truncate(large, off_t(65 << 20)), 0)
        try assertRefused(["evaluate", "segments", "--reference", large, "--estimate", directory.file("estimate.txt")],
                          message: "songatlas: \(large): \(65 << 20) bytes is too large; at most \(64 << 20) bytes are read")
        try assertRefused(["evaluate", "segments", "--reference", "/dev/zero", "--estimate", directory.file("estimate.txt")],
                          message: "songatlas: /dev/zero: a character device, not a regular file")
        let fifo = directory.file("labels.fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        try assertRefused(["evaluate", "segments", "--reference", directory.file("estimate.txt"), "--estimate", fifo],
                          message: "songatlas: \(fifo): a FIFO (named pipe), not a regular file")
    }

    /// A reference reaching 999 999 s is allowed: scored from its sections, with the same scores as a short one.
    func testLongReferenceIsScoredFromItsSections() throws {
        let reference = directory.file("long.txt")
        try "0\t333333\tA\n333333\t999999\tB\n".write(toFile: reference, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run("songatlas", ["evaluate", "segments", "--reference", reference,
                                                         "--estimate", reference, "--json"], timeoutSeconds: 120)
        XCTAssertEqual(result.status, 0, result.standardError)
        let scores = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as! [String: Any]
        let pairwise = try XCTUnwrap(scores["pairwise"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(pairwise["precision"] as? Double), 1, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(scores["entropyF"] as? Double), 1, accuracy: 1e-12)
    }

    private func playlistsJSON(duration: Double) throws -> String {
        let path = directory.file("playlists.json")
        let document = PlaylistDocument(
            featureVersion: 2, k: 1, kScores: [], seed: 0, weights: [:],
            metrics: .init(silhouette: .nan, daviesBouldin: nil, calinskiHarabasz: nil, inertia: nil, agreement: nil,
                           labelledTrackCount: nil),
            notes: [], playlists: [.init(name: "1", file: "1.m3u8", tracks: [
                .init(path: directory.file("a.flac"), title: nil, artist: nil, album: nil, durationSeconds: duration, distanceToCentroid: .nan),
                .init(path: directory.file("b.flac"), title: nil, artist: nil, album: nil, durationSeconds: 20, distanceToCentroid: 1)])])
        try JSONOutput.encoder().encode(document).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testReferenceCSVsThatAreNotFilesAreRefused() throws {
        let playlists = try playlistsJSON(duration: 30)
        try assertRefused(["evaluate", "clusters", playlists, "--labels", "/dev/zero"],
                          message: "Error: /dev/zero: a character device, not a regular file")
        let binary = directory.file("labels.csv")
        try Data([0x61, 0x2C, 0x62, 0x00]).write(to: URL(fileURLWithPath: binary))
        try assertRefused(["evaluate", "clusters", playlists, "--labels", binary],
                          message: "Error: \(binary): not a text file (a NUL byte at offset 3)")
    }

    /// A playlists.json holding NaN (written as "nan") reads back and is scored; one with a duration of 1e308 is refused.
    func testPlaylistsJSONWithNaNReadsBackAndBadDurationsAreRefused() throws {
        let labels = directory.file("labels.csv")
        try "path,label\na.flac,x\nb.flac,y\n".write(toFile: labels, atomically: true, encoding: .utf8)
        let good = try playlistsJSON(duration: 30)
        let result = try CommandRunner.run("songatlas", ["evaluate", "clusters", good, "--labels", labels])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.hasPrefix("tracks scored: 2 of 2\n"), result.standardOutput)
        let bad = try playlistsJSON(duration: 1e308)
        try assertRefused(["evaluate", "clusters", bad, "--labels", labels],
                          message: "songatlas: \(bad): playlist 1, track 1: durationSeconds 1e+308 is not a duration "
                              + "from 0 to 1000000 s")
    }
}
