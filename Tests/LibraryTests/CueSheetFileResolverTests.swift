@testable import Library
import TestSupport
import XCTest

/// ``CueSheetFileResolver`` and ``CueSheet/read(path:)`` on real folders: case, backslashes, `.wav` → `.flac`, faults.
final class CueSheetFileResolverTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func touch(_ relative: String) throws {
        let path = directory.file(relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
    }

    private func resolve(_ name: String) throws -> String {
        try CueSheetFileResolver.resolve(name: name, sheetFolder: directory.path)
    }

    func testExactThenCaseInsensitiveThenBackslashes() throws {
        try touch("Album Image.FLAC")
        try touch("Disc 1/Track 01.flac")
        XCTAssertEqual(try resolve("Album Image.FLAC"), directory.file("Album Image.FLAC"))
        XCTAssertEqual(try resolve("album image.flac"), directory.file("Album Image.FLAC"))
        XCTAssertEqual(try resolve("DISC 1\\track 01.FLAC"), directory.file("Disc 1/Track 01.flac"))
        XCTAssertEqual(try resolve("disc 1/TRACK 01.flac"), directory.file("Disc 1/Track 01.flac"))
        XCTAssertEqual(try resolve("C:\\Rips\\Album\\album image.flac"), directory.file("Album Image.FLAC"),
                       "a Windows absolute name keeps its last component")
    }

    func testNamedWavIsTheOnlyAudioFileWithItsStem() throws {
        try touch("album.flac")
        try touch("album.log")
        XCTAssertEqual(try resolve("Album.wav"), directory.file("album.flac"))
        try touch("album.ape")
        XCTAssertThrowsError(try resolve("Album.wav")) { error in
            XCTAssertEqual(error as? CueSheetError.Fault, .ambiguousFile(name: "Album.wav",
                                                                          candidates: [directory.file("album.ape"), directory.file("album.flac")]))
        }
        try touch("other.wav")
        XCTAssertEqual(try resolve("other.wav"), directory.file("other.wav"), "a named file that exists is taken as it is")
    }

    func testMissingAndAmbiguousNames() throws {
        XCTAssertThrowsError(try resolve("nothing.flac")) { error in
            XCTAssertEqual(error as? CueSheetError.Fault, .missingFile(name: "nothing.flac"))
        }
        try touch("Song.flac")
        try touch("SONG.flac")
        XCTAssertEqual(try resolve("Song.flac"), directory.file("Song.flac"), "an exact match wins")
        XCTAssertThrowsError(try resolve("song.flac")) { error in
            XCTAssertEqual(error as? CueSheetError.Fault, .ambiguousFile(name: "song.flac",
                                                                          candidates: [directory.file("SONG.flac"), directory.file("Song.flac")]))
        }
        try FileManager.default.createDirectory(atPath: directory.file("folder.flac"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try resolve("folder.flac"), "a folder is no audio file")
    }

    func testReadsAWindows1252SheetFromDiskAndResolvesItsFiles() throws {
        try touch("Café.flac")
        var bytes = Array("PERFORMER \"Motörhead\"\r\nFILE \"CAF".utf8) + [0xC9] + Array(".wav\" WAVE\r\n".utf8)
        bytes += Array("  TRACK 01 AUDIO\r\n    TITLE \"".utf8) + [0x93, 0x41, 0x94] + Array("\"\r\n    INDEX 01 00:00:00\r\n".utf8)
        bytes[bytes.firstIndex(of: 0xC3)!...bytes.firstIndex(of: 0xC3)! + 1] = [0xF6]    // ö as one Windows-1252 byte
        let sheetPath = directory.file("album.cue")
        XCTAssertTrue(FileManager.default.createFile(atPath: sheetPath, contents: Data(bytes)))
        let sheet = try CueSheet.read(path: sheetPath)
        XCTAssertEqual(sheet.encoding, .windows1252)
        XCTAssertEqual(sheet.performer, "Motörhead")
        XCTAssertEqual(sheet.tracks.first?.title, "\u{201C}A\u{201D}")
        XCTAssertEqual(sheet.files.first?.path, directory.file("Café.flac"), "CAFÉ.wav: case folded, then the stem's only audio file")
    }

    func testReadFaultsNameTheSheet() throws {
        let sheetPath = directory.file("album.cue")
        XCTAssertThrowsError(try CueSheet.read(path: sheetPath)) { error in
            guard case .unreadable? = (error as? CueSheetError)?.fault else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".hasPrefix(sheetPath + ": cannot read the sheet"), "\(error)")
        }
        try "FILE \"gone.flac\" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n".write(toFile: sheetPath, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CueSheet.read(path: sheetPath)) { error in
            XCTAssertEqual(error as? CueSheetError, CueSheetError(sheet: sheetPath, line: 1, fault: .missingFile(name: "gone.flac")))
            XCTAssertEqual("\(error)", "\(sheetPath): line 1: FILE \"gone.flac\" names no file beside the sheet")
        }
        let before = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        XCTAssertEqual(before, ["album.cue"], "reading writes nothing")
    }
}

extension CueSheetFileResolverTests {
    func testFoldersThatLeadNowhereFallBackToTheNameBesideTheSheet() throws {
        try touch("album.flac")
        XCTAssertEqual(try resolve("\\\\server\\share\\Album.flac"), directory.file("album.flac"))
        XCTAssertEqual(try resolve("Rips/Album.wav"), directory.file("album.flac"))
        XCTAssertEqual(try resolve("/nowhere/at/all/album.flac"), directory.file("album.flac"))
    }
}
