import AudioDecoding
@testable import Library
import TestSupport
import XCTest

final class ScannerTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func touch(_ relative: String) throws {
        let path = directory.file(relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
    }

    func testWalksFoldersInOrderAndSkipsHiddenAndNonAudio() throws {
        for name in ["b/2.flac", "b/1.MP3", "a.wav", ".hidden/x.flac", "c/.secret.ogg", "notes.txt", "cover.jpg", "d/e/f.opus"] {
            try touch(name)
        }
        let (files, problems) = AudioFileScanner.scan([directory.path])
        XCTAssertEqual(files.map { String($0.dropFirst(directory.path.count + 1)) }, ["a.wav", "b/1.MP3", "b/2.flac", "d/e/f.opus"])
        XCTAssertEqual(problems, [])
    }

    func testSymlinkLoopEndsAndLinkedFilesAreListedOnce() throws {
        try touch("music/song.flac")
        try FileManager.default.createSymbolicLink(atPath: directory.file("music/loop"), withDestinationPath: directory.file("music"))
        try FileManager.default.createSymbolicLink(atPath: directory.file("music/alias.flac"),
                                                   withDestinationPath: directory.file("music/song.flac"))
        try FileManager.default.createSymbolicLink(atPath: directory.file("music/broken.flac"),
                                                   withDestinationPath: directory.file("nowhere.flac"))
        let (files, problems) = AudioFileScanner.scan([directory.file("music")])
        XCTAssertEqual(files.count, 1, "\(files)")
        XCTAssertEqual(problems.map(\.reason), ["broken symbolic link"])
    }

    /// Creates `name` (raw bytes) in `folder`, as a file or a folder.
    private func create(rawName: [UInt8], in folder: String, folder isFolder: Bool) {
        let path = Array(folder.utf8) + [UInt8(ascii: "/")] + rawName
        (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { name in
            if isFolder {
                XCTAssertEqual(mkdir(name.baseAddress!, 0o755), 0)
            } else {
                let descriptor = open(name.baseAddress!, O_CREAT | O_WRONLY, 0o644)
                XCTAssertGreaterThanOrEqual(descriptor, 0)
                close(descriptor)
            }
        }
    }

    func testNamesThatAreNotUTF8AreReportedNotMangled() throws {
        try touch("music/ok.flac")
        let music = directory.file("music")
        create(rawName: Array("caf".utf8) + [0xE9] + Array(".flac".utf8), in: music, folder: false)   // Latin-1 "café"
        create(rawName: Array("cover".utf8) + [0xFF] + Array(".jpg".utf8), in: music, folder: false)  // not audio: ignored
        create(rawName: Array("Bj".utf8) + [0xF6] + Array("rk".utf8), in: music, folder: true)        // Latin-1 "Björk"
        let (files, problems) = AudioFileScanner.scan([music])
        XCTAssertEqual(files, [music + "/ok.flac"])
        XCTAssertEqual(problems.map(\.path), [music + "/Bj\\xF6rk", music + "/caf\\xE9.flac"])
        XCTAssertTrue(problems.allSatisfy { $0.reason.contains("not valid UTF-8") })
        XCTAssertTrue(problems[0].reason.hasPrefix("folder not scanned"))
    }

    func testEscapingKeepsValidSequencesAndEscapesTheRest() {
        XCTAssertEqual(AudioFileScanner.escaped(Array("ünï 🎵".utf8)), "ünï 🎵")
        XCTAssertEqual(AudioFileScanner.escaped([0x61, 0xE9, 0x62]), "a\\xE9b")
        // A truncated multi-byte sequence, then a valid one.
        XCTAssertEqual(AudioFileScanner.escaped([0xE2, 0x82] + Array("€".utf8)), "\\xE2\\x82€")
    }

    func testFIFOIsReportedNotOpened() throws {
        let path = directory.file("pipe.flac")
        XCTAssertEqual(mkfifo(path, 0o644), 0)
        let (files, problems) = AudioFileScanner.scan([directory.path, path])
        XCTAssertEqual(files, [])
        XCTAssertEqual(problems.map(\.reason), ["not a regular file", "not a regular file"])
    }

    func testMissingPathAndDirectFilesOfAnyExtension() throws {
        try touch("track.data")
        let (files, problems) = AudioFileScanner.scan([directory.file("track.data"), directory.file("missing")])
        XCTAssertEqual(files, [directory.file("track.data")])
        XCTAssertEqual(problems, [AudioFileScanner.Problem(path: directory.file("missing"), reason: "no such file or folder")])
    }

    func testUnreadableFolderIsReportedAndTheScanGoesOn() throws {
        guard getuid() != 0 else { throw XCTSkip("root reads every folder; permission errors cannot be provoked") }
        try touch("locked/a.flac")
        try touch("open/b.flac")
        chmod(directory.file("locked"), 0)
        defer { chmod(directory.file("locked"), 0o755) }
        let (files, problems) = AudioFileScanner.scan([directory.path])
        XCTAssertEqual(files, [directory.file("open/b.flac")])
        XCTAssertEqual(problems.map(\.reason), ["permission denied"])
    }
}
