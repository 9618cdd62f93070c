import AudioDecoding
import Export
import FilePaths
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// The never-overwrite-audio rule as the library gives it (``OutputRules/protectingAudio(replaceForeign:)``,
/// checked by ``OutputDestination``), and where relative paths in an output start from; no binary.
final class ThinOutputRulesTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "songatlas-thin-rules") }
    override func tearDown() { directory.remove() }

    func testAudioUnderAnyNameIsNeverReplacedEvenWithReplaceForeign() throws {
        let song = directory.file("report.m3u8")   // a song, misnamed
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 0.5), to: song, sampleRate: 22050, format: .wav16)
        let before = try Data(contentsOf: URL(fileURLWithPath: song))
        for replaceForeign in [false, true] {
            XCTAssertThrowsError(try OutputDestination.resolve(song, rules: .protectingAudio(replaceForeign: replaceForeign))) {
                XCTAssertEqual($0 as? OutputError, .audioFile(path: song), "replaceForeign \(replaceForeign)")
            }
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: song)), before)
        XCTAssertTrue(DecodedAudioProbe().isAudio(atPath: song))
    }

    func testAForeignTextFileIsReplacedOnlyWithReplaceForeign() throws {
        let notes = directory.file("notes.m3u8")
        try Data("my own list\n".utf8).write(to: URL(fileURLWithPath: notes))
        XCTAssertFalse(DecodedAudioProbe().isAudio(atPath: notes))
        XCTAssertThrowsError(try OutputDestination.resolve(notes, rules: .protectingAudio())) {
            XCTAssertEqual($0 as? OutputError, .foreignFile(path: notes))
        }
        XCTAssertNoThrow(try OutputDestination.resolve(notes, rules: .protectingAudio(replaceForeign: true)))
    }

    func testRelativePathsStartFromTheOutputFolderOrTheWorkingFolder() throws {
        let file = try OutputDestination.resolve(directory.file("lists/../list.m3u8"), rules: .protectingAudio())
        XCTAssertEqual(PathKey.of(file.folderForRelativePaths), PathKey.of(directory.path))
        let standardOutput = try OutputDestination.resolve("-", rules: .protectingAudio())
        XCTAssertEqual(standardOutput.folderForRelativePaths, FileManager.default.currentDirectoryPath)
    }
}
