import AudioDecoding
@testable import Library
import TestSupport
import XCTest

/// The scanner with paths past libsndfile's old 1,024-byte buffer, near the
/// system's `PATH_MAX`, and beyond it.
final class LongPathTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "songatlas-longpath") }

    override func tearDownWithError() throws {
        // `rm -r` and FileManager cannot reach past PATH_MAX; the tree is removed by relative operations.
        try LongPathTree.remove(directory.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path), "the long tree was left behind")
    }

    /// An audio file (one byte: the scanner does not decode) at exactly `fileBytes` bytes, under `folder`.
    private func placeFile(under folder: String, fileBytes: Int, letter: Character) throws -> LongPathTree {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let tree = try LongPathTree(under: folder, fileName: "song.wav", fileBytes: fileBytes, letter: letter)
        let source = directory.file("source-\(letter).wav")
        XCTAssertTrue(FileManager.default.createFile(atPath: source, contents: Data("x".utf8)))
        try tree.moveIn(source, as: "song.wav")
        return tree
    }

    func testFilesAtElevenHundredAndFourThousandBytesAreFound() throws {
        let short = try placeFile(under: directory.file("a"), fileBytes: 1100, letter: "p")
        let long = try placeFile(under: directory.file("b"), fileBytes: 4000, letter: "q")
        let longest = try placeFile(under: directory.file("c"), fileBytes: LongPathTree.pathLimitBytes - 1, letter: "r")
        let result = AudioFileScanner.scanFolders([directory.path])
        XCTAssertEqual(result.problems, [])
        XCTAssertEqual(result.files, [short.path + "/song.wav", long.path + "/song.wav", longest.path + "/song.wav"])
        XCTAssertEqual(result.files.map(\.utf8.count), [1100, 4000, LongPathTree.pathLimitBytes - 1])
    }

    func testTooLongSubtreeIsReportedAndTheRestIsFound() throws {
        // "a": a folder chain that goes past PATH_MAX, with a song at its bottom.
        let deep = try placeFile(under: directory.file("a"), fileBytes: LongPathTree.pathLimitBytes + 900, letter: "p")
        // "b": a song whose folder is within the limit but whose own path is not.
        let edge = try placeFile(under: directory.file("b"), fileBytes: LongPathTree.pathLimitBytes, letter: "q")
        // "c": a song at a long but valid path, and "d.wav" at a short one.
        let valid = try placeFile(under: directory.file("c"), fileBytes: 4000, letter: "r")
        XCTAssertTrue(FileManager.default.createFile(atPath: directory.file("d.wav"), contents: Data("x".utf8)))

        let result = AudioFileScanner.scanFolders([directory.path])
        XCTAssertEqual(result.files, [valid.path + "/song.wav", directory.file("d.wav")])

        // The first folder of the deep chain whose path reaches the limit is reported once, not entered.
        var reported = directory.file("a")
        for component in deep.components {
            reported += "/" + component
            if reported.utf8.count >= LongPathTree.pathLimitBytes { break }
        }
        XCTAssertGreaterThanOrEqual(reported.utf8.count, LongPathTree.pathLimitBytes)
        XCTAssertLessThan(reported.utf8.count, deep.path.utf8.count)
        XCTAssertEqual(result.problems.map(\.path), [reported, edge.path + "/song.wav"])
        let reason = "path is longer than the system's limit of \(LongPathTree.pathLimitBytes) bytes (PATH_MAX); "
            + "move or rename the folder"
        XCTAssertEqual(result.problems.map(\.reason), [reason, reason])
        XCTAssertFalse(result.problems.contains { $0.reason.contains("symbolic link") })
    }

    func testNamedPathBeyondTheLimitIsReportedAsTooLong() throws {
        let tooLong = directory.path + "/" + String(repeating: "x/", count: LongPathTree.pathLimitBytes / 2) + "song.wav"
        let missing = directory.file("missing.wav")
        let result = AudioFileScanner.scanFolders([tooLong, missing])
        XCTAssertEqual(result.files, [])
        XCTAssertEqual(result.problems.map(\.reason), [DecodingError.pathTooLongReason(), "no such file or folder"])
    }
}
