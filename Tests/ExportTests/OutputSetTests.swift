@testable import Export
import Foundation
import TestSupport
import XCTest

/// Output sets land whole, remove only what SongAtlas wrote and left unchanged,
/// and take turns on one folder.
final class OutputSetTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func names(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    private func commit(_ files: [String: String], to folder: String, name: String = "playlists") throws
        -> OutputSet.CommitReport
    {
        let set = try OutputSet(folder: folder, name: name)
        for (file, text) in files.sorted(by: { $0.key < $1.key }) { try set.add(file, text) }
        return try set.commit()
    }

    func testFilesOfThePreviousSetAreRemovedOnlyWhileUnchanged() throws {
        let out = directory.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "mine".write(toFile: out + "/notes.txt", atomically: false, encoding: .utf8)
        try commit(["a.m3u8": "A", "b.m3u8": "B", "c.m3u8": "C", "playlists.json": "{}"], to: out)
        XCTAssertEqual(try names(out), [".songatlas-playlists.manifest.json", ".songatlas.lock", "a.m3u8", "b.m3u8",
                                        "c.m3u8", "notes.txt", "playlists.json"])

        // A person edits c.m3u8; the next run writes only a and the JSON.
        try "C, edited".write(toFile: out + "/c.m3u8", atomically: false, encoding: .utf8)
        let report = try commit(["a.m3u8": "A2", "playlists.json": "{2}"], to: out)
        XCTAssertEqual(report.removed, ["b.m3u8"])
        XCTAssertEqual(report.keptChanged, ["c.m3u8"])
        XCTAssertEqual(try String(contentsOfFile: out + "/a.m3u8", encoding: .utf8), "A2")
        XCTAssertEqual(try String(contentsOfFile: out + "/c.m3u8", encoding: .utf8), "C, edited")
        XCTAssertEqual(try String(contentsOfFile: out + "/notes.txt", encoding: .utf8), "mine")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/b.m3u8"))
    }

    func testAHandEditedManifestNeverDeletesOutsideItsSet() throws {
        let music = directory.file("music")
        let out = music + "/playlists"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "audio".write(toFile: music + "/song.flac", atomically: false, encoding: .utf8)
        try commit(["a.m3u8": "A"], to: out)
        // Entries that name the folder, its parent, a path, and a hidden file.
        let manifest = out + "/.songatlas-playlists.manifest.json"
        var text = try String(contentsOfFile: manifest, encoding: .utf8)
        for name in ["..", ".", "../song.flac", "/etc/hostname", ".songatlas.lock"] {
            text = text.replacingOccurrences(of: "\"files\" : [", with: """
                "files" : [{"name": "\(name)", "device": 0, "inode": 0, "sizeBytes": 0, "modifiedSeconds": 0, "modifiedNanoseconds": 0},
                """)
        }
        try text.write(toFile: manifest, atomically: false, encoding: .utf8)
        let before = try FolderSnapshot(music)
        try commit(["a.m3u8": "A"], to: out)
        var after = try FolderSnapshot(music).entries
        var expected = before.entries
        // Only the manifest itself is rewritten.
        after["playlists/.songatlas-playlists.manifest.json"] = nil
        expected["playlists/.songatlas-playlists.manifest.json"] = nil
        XCTAssertEqual(after, expected)
    }

    func testFullDiskLeavesThePreviousSetWhole() throws {
        let (scratch, reason) = ScratchFileSystem.mount(sizeKilobytes: 512)
        guard let scratch else { throw XCTSkip(reason) }
        defer { scratch.unmount() }
        let out = scratch.path + "/out"
        try commit(["01.m3u8": "one", "02.m3u8": "two", "playlists.json": "{\"k\": 2}"], to: out)
        let before = try FolderSnapshot(out)
        scratch.fill(leaveBytes: 8192)
        let big = String(repeating: "x", count: 64 * 1024)
        XCTAssertThrowsError(try commit(["01.m3u8": big, "02.m3u8": big, "03.m3u8": big, "playlists.json": big],
                                        to: out)) {
            guard case .writeFailed = $0 as? OutputError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(try FolderSnapshot(out), before)
    }

    func testARunWaitsForAnotherRunWritingTheSameFolder() throws {
        let out = directory.file("out")
        try commit(["a.m3u8": "A"], to: out)
        // Another process's lock: an open file description of our own holds it just the same.
        let holder = open(out + "/.songatlas.lock", O_RDWR)
        XCTAssertEqual(flock(holder, LOCK_EX), 0)
        let waiting = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var message = ""
        nonisolated(unsafe) var failure: Error?
        DispatchQueue.global().async {
            do {
                let set = try OutputSet(folder: out, name: "playlists")
                try set.add("b.m3u8", "B")
                try set.commit(waiting: { message = $0; waiting.signal() })
            } catch {
                failure = error
            }
            finished.signal()
        }
        XCTAssertEqual(waiting.wait(timeout: .now() + 60), .success, "the second run did not wait")
        XCTAssertTrue(message.contains("another songatlas run"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/b.m3u8"), "it wrote while the lock was held")
        flock(holder, LOCK_UN)
        close(holder)
        XCTAssertEqual(finished.wait(timeout: .now() + 60), .success)
        XCTAssertNil(failure)
        XCTAssertEqual(try names(out).filter { !$0.hasPrefix(".") }, ["b.m3u8"])
    }

    func testLeftoversOfKilledRunsGoAndOtherFilesStay() throws {
        let out = directory.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let deadPID = Int32.max - 1     // above any pid_max: no such process
        let leftovers = [".songatlas-\(deadPID)-0123456789abcdef-map.json.tmp",
                         ".map.json.\(deadPID).\(UUID().uuidString).tmp"]
        let others = [".notes.tmp", ".songatlas-\(deadPID)-nothex-map.json.tmp", ".x.\(deadPID).not-a-uuid.tmp",
                      ".songatlas-\(getpid())-0123456789abcdef-mine.tmp"]
        for name in leftovers + others {
            try "x".write(toFile: out + "/" + name, atomically: false, encoding: .utf8)
        }
        try commit(["a.m3u8": "A"], to: out)
        let present = Set(try names(out))
        for name in leftovers { XCTAssertFalse(present.contains(name), name) }
        for name in others { XCTAssertTrue(present.contains(name), name) }
    }

    func testJournalledTemporaryFilesOfAKilledProcessAreRemovedAnywhere() throws {
        let folder = directory.file("elsewhere")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let journalFolder = directory.file("journal")
        try FileManager.default.createDirectory(atPath: journalFolder, withIntermediateDirectories: true)
        let saved = TemporaryFiles.journalFolder
        TemporaryFiles.journalFolder = journalFolder
        defer { TemporaryFiles.journalFolder = saved }

        let deadPID = Int32.max - 1
        let temporary = folder + "/.songatlas-\(deadPID)-00000000000000ff-map.html.tmp"
        let notOurs = folder + "/keep.html"
        for path in [temporary, notOurs] { try "x".write(toFile: path, atomically: false, encoding: .utf8) }
        try "\(temporary)\n\(notOurs)\n".write(toFile: journalFolder + "/\(deadPID)", atomically: false, encoding: .utf8)
        TemporaryFiles.removeLeftovers()
        XCTAssertFalse(FileManager.default.fileExists(atPath: temporary))
        XCTAssertTrue(FileManager.default.fileExists(atPath: notOurs))
        XCTAssertEqual(try names(journalFolder), [])
    }

    func testDifferentSetNamesNeverShareAManifest() throws {
        let out = directory.file("out")
        // Names that a lossy cleaning would make equal ("my map" and "my_map").
        try commit(["my map.html": "first"], to: out, name: "map-my map")
        try commit(["my_map.html": "second"], to: out, name: "map-my_map")
        XCTAssertEqual(try String(contentsOfFile: out + "/my map.html", encoding: .utf8), "first")
        XCTAssertEqual(try String(contentsOfFile: out + "/my_map.html", encoding: .utf8), "second")
        XCTAssertNotEqual(OutputSet.fileNameSafe("map-my map"), OutputSet.fileNameSafe("map-my_map"))
        let long = String(repeating: "ü", count: 200)
        XCTAssertLessThanOrEqual(OutputSet.fileNameSafe(long).utf8.count, 120)
        XCTAssertNotEqual(OutputSet.fileNameSafe(long), OutputSet.fileNameSafe(long + "x"))
    }

    func testAFileDatedCenturiesAheadIsKeptNotACrash() throws {
        let out = directory.file("out")
        try commit(["a.m3u8": "A", "b.m3u8": "B"], to: out)
        // 2300-01-01: past what nanoseconds since 1970 can hold in an Int64.
        var times = [timespec(tv_sec: 10_413_792_000, tv_nsec: 0), timespec(tv_sec: 10_413_792_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, out + "/b.m3u8", &times, 0), 0)
        let report = try commit(["a.m3u8": "A2"], to: out)
        XCTAssertEqual(report.keptChanged, ["b.m3u8"])
        XCTAssertEqual(try String(contentsOfFile: out + "/b.m3u8", encoding: .utf8), "B")
    }

    func testAFileWhereTheFolderShouldBeIsRefusedAtOnce() throws {
        try "x".write(toFile: directory.file("out"), atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try OutputSet(folder: directory.file("out"), name: "playlists"))
        XCTAssertEqual(try String(contentsOfFile: directory.file("out"), encoding: .utf8), "x")
    }

    func testAbandonedSetLeavesNothing() throws {
        let out = directory.file("out")
        try commit(["a.m3u8": "A"], to: out)
        let before = try FolderSnapshot(out)
        do {
            let set = try OutputSet(folder: out, name: "playlists")
            try set.add("a.m3u8", "changed")
            try set.add("b.m3u8", "new")
            set.abandon()
        }
        XCTAssertEqual(try FolderSnapshot(out), before)
    }
}
