import AudioDecoding
import Foundation
import Library
import SongAtlas
import TestSupport
import XCTest

/// `songatlas analyze` over a folder with a song at a 4,000-byte path and
/// one past the system's `PATH_MAX`.
final class LongPathCommandTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "songatlas-longpath") }

    override func tearDownWithError() throws {
        try LongPathTree.remove(directory.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path), "the long tree was left behind")
    }

    /// Writes a two-second tone into a new folder chain under `music/<letter>`,
    /// at a path of `fileBytes` bytes; returns the chain.
    private func song(fileBytes: Int, letter: Character, frequency: Double) throws -> LongPathTree {
        let folder = directory.file("music/\(letter)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let tree = try LongPathTree(under: folder, fileName: "song.wav", fileBytes: fileBytes, letter: letter)
        let staged = directory.file("staged-\(letter).wav")
        try AudioFileWriter.write(Signals.sine(frequency: frequency, seconds: 2), to: staged, sampleRate: 22050)
        try tree.moveIn(staged, as: "song.wav")
        return tree
    }

    func testAnalyzeReadsTheLongPathAndReportsTheTooLongOne() throws {
        let long = try song(fileBytes: 4000, letter: "a", frequency: 440)
        let tooLong = try song(fileBytes: LongPathTree.pathLimitBytes + 500, letter: "b", frequency: 550)
        let short = directory.file("music/c.wav")
        try AudioFileWriter.write(Signals.sine(frequency: 660, seconds: 2), to: short, sampleRate: 22050)

        let result = try CommandRunner.run("songatlas", ["analyze", directory.file("music"), "--format", "json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(result.standardOutput.utf8))
        XCTAssertEqual(report.tracks.map(\.path), [long.path + "/song.wav", short])
        XCTAssertTrue(report.tracks.allSatisfy { track in track.summary.values.allSatisfy(\.isFinite) })

        // One failure: the first folder of the second chain whose path reaches the limit.
        XCTAssertEqual(report.failures.count, 1)
        let failure = try XCTUnwrap(report.failures.first)
        XCTAssertTrue(failure.path.hasPrefix(directory.file("music/b/")), failure.path)
        XCTAssertTrue(tooLong.path.hasPrefix(failure.path + "/"), "a folder of the too-long chain is named")
        XCTAssertGreaterThanOrEqual(failure.path.utf8.count, LongPathTree.pathLimitBytes)
        let reason = "path is longer than the system's limit of 4096 bytes (PATH_MAX); move or rename the folder"
        XCTAssertEqual(failure.error, reason)
        XCTAssertTrue(result.standardError.contains(reason), result.standardError)
        XCTAssertFalse(result.standardError.contains("symbolic link"), result.standardError)
        XCTAssertFalse(result.standardError.contains("filename too long"), result.standardError)
        XCTAssertTrue(result.standardError.contains("analysed 2, failed 1"), result.standardError)
    }
}
