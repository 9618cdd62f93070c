import AudioDecoding
import FilePaths
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
        let path = RawPath.bytes(folder) + [UInt8(ascii: "/")] + rawName
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

    func testNamesThatAreNotUTF8AreFoundWithTheirBytes() throws {
        try touch("music/ok.flac")
        let music = directory.file("music")
        let cafe = Array("caf".utf8) + [0xE9] + Array(".flac".utf8)                                   // Latin-1 "café"
        create(rawName: cafe, in: music, folder: false)
        create(rawName: Array("cover".utf8) + [0xFF] + Array(".jpg".utf8), in: music, folder: false)  // not audio: counted
        let bjork = Array("Bj".utf8) + [0xF6] + Array("rk".utf8)                                     // Latin-1 "Björk"
        create(rawName: bjork, in: music, folder: true)
        create(rawName: Array("J".utf8) + [0xF3, 0x67, 0x61] + Array(".M4A".utf8),
               in: music + "/" + RawPath.string(bjork), folder: false)
        let scan = AudioFileScanner.scanFolders([music])
        XCTAssertEqual(scan.problems, [])
        XCTAssertEqual(scan.files.count, 3, "\(scan.files)")
        XCTAssertEqual(scan.files.map { RawPath.bytes($0) }, [
            Array(music.utf8) + Array("/".utf8) + bjork + Array("/J".utf8) + [0xF3, 0x67, 0x61] + Array(".M4A".utf8),
            Array(music.utf8) + Array("/".utf8) + cafe,
            Array(music.utf8) + Array("/ok.flac".utf8),
        ])
        XCTAssertEqual(scan.files.map(RawPath.display), [music + "/Bj\\xF6rk/J\\xF3ga.M4A", music + "/caf\\xE9.flac",
                                                          music + "/ok.flac"])
        XCTAssertEqual(scan.otherFiles.countsByExtension, [".jpg": 1])
    }

    func testOtherFilesAreCountedByExtensionAndAudioMatchesAnyCase() throws {
        let audio = ["a.FLAC", "b.Mp3", "c.m4a", "d.WMA", "e.wv", "f.mka", "g.ape", "h.dsf", "i.webm", "j.aiff"]
        let others = ["cover.jpg", "back.JPG", "scan.jpg", "notes.txt", "booklet.pdf", "list.m3u", "list.m3u8",
                      "radio.pls", "disc.cue", "README", "x/folder.png"]
        for name in audio + others { try touch(name) }
        let scan = AudioFileScanner.scanFolders([directory.path])
        XCTAssertEqual(scan.files.map { ($0 as NSString).lastPathComponent }, audio)
        XCTAssertEqual(scan.problems, [])
        XCTAssertEqual(scan.otherFiles.count, others.count)
        XCTAssertEqual(scan.otherFiles.countsByExtension, [
            ".jpg": 3, ".txt": 1, ".pdf": 1, ".m3u": 1, ".m3u8": 1, ".pls": 1, ".cue": 1,
            OtherFiles.noExtension: 1, ".png": 1,
        ])
        XCTAssertEqual(scan.otherFiles.summary(kinds: 3),
                       "skipped 11 other files (3 .jpg, 1 (no extension), 1 .cue, 6 more of 6 other kinds)")
    }

    func testTheSummaryGroupsThousands() {
        var other = OtherFiles()
        for index in 0..<1203 {
            other.add("/m/\(index)." + (index < 1100 ? "jpg" : index < 1190 ? "txt" : "pdf"))
        }
        XCTAssertEqual(other.summary(), "skipped 1,203 other files (1,100 .jpg, 90 .txt, 13 .pdf)")
        XCTAssertEqual(OtherFiles.grouped(1_234_567), "1,234,567")
        XCTAssertNil(OtherFiles().summary())
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
