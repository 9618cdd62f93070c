import AudioDecoding
import Features
import Foundation
import GRDB
@testable import Library
import TestSupport
import XCTest

/// The feature cache never destroys what is not its own: whatever `path`
/// points at that SongAtlas did not make is refused and left byte-for-byte
/// as it was, with nothing new next to it; only a damaged cache of ours is
/// moved, under a new name, and nothing is ever deleted.
final class CacheSafetyTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() {
        chmod(directory.path, 0o755)
        directory.remove()
    }

    // MARK: Refused, untouched

    func testAnAudioFileIsRefusedAndUnchanged() throws {
        let song = directory.file("song.wav")
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 0.5), to: song, sampleRate: 22050)
        let error = try assertRefusedAndUntouched(song)
        XCTAssertEqual(error.reason, .notSQLite(detail: "it is not an SQLite database"))
        XCTAssertTrue(error.description.contains(song), error.description)
        XCTAssertTrue(error.description.contains("this is not a SongAtlas cache (it is not an SQLite database)"),
                      error.description)
    }

    func testAFolderWithFilesIsRefusedAndUnchanged() throws {
        let music = directory.file("lib")
        try FileManager.default.createDirectory(atPath: music + "/album", withIntermediateDirectories: true)
        try AudioFileWriter.write(Signals.sine(frequency: 330, seconds: 0.5), to: music + "/album/1.wav", sampleRate: 22050)
        try "notes".write(toFile: music + "/notes.txt", atomically: true, encoding: .utf8)
        XCTAssertEqual(try assertRefusedAndUntouched(music).reason, .folder)
        XCTAssertEqual(try assertRefusedAndUntouched(music + "/").reason, .folder)
    }

    func testAZeroByteFileIsRefusedAndUnchanged() throws {
        let empty = directory.file("library.sqlite")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        XCTAssertEqual(try assertRefusedAndUntouched(empty).reason, .notSQLite(detail: "it is an empty file"))
    }

    func testATextFileShorterThanAHeaderIsRefused() throws {
        let text = directory.file("library.sqlite")
        try "SQLite format 3".write(toFile: text, atomically: true, encoding: .utf8)
        XCTAssertEqual(try assertRefusedAndUntouched(text).reason, .notSQLite(detail: "it is not an SQLite database"))
    }

    func testAnotherProgramsDatabaseIsRefusedAndUnchanged() throws {
        for (name, applicationID) in [("other.sqlite", Int32(42)), ("plain.sqlite", 0)] {
            let other = directory.file(name)
            let queue = try DatabaseQueue(path: other)
            try queue.write { db in
                try db.execute(sql: "PRAGMA application_id = \(applicationID)")
                try db.execute(sql: "CREATE TABLE contact (name TEXT)")
                try db.execute(sql: "INSERT INTO contact VALUES ('Ada')")
            }
            try queue.close()
            XCTAssertEqual(try assertRefusedAndUntouched(other).reason, .foreignDatabase(applicationID: applicationID))
            let reopened = try DatabaseQueue(path: other)
            XCTAssertEqual(try reopened.read { try String.fetchAll($0, sql: "SELECT name FROM contact") }, ["Ada"])
        }
    }

    func testAFIFOIsRefusedWithoutBlocking() throws {
        let fifo = directory.file("library.sqlite")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        XCTAssertEqual(try assertRefusedAndUntouched(fifo).reason, .specialFile(kind: "a FIFO"))
    }

    func testASymbolicLinkToSomethingElseIsRefusedAndBothAreUnchanged() throws {
        let song = directory.file("song.wav")
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 0.5), to: song, sampleRate: 22050)
        let link = directory.file("cache.sqlite")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: song)
        XCTAssertEqual(try assertRefusedAndUntouched(link).reason, .notSQLite(detail: "it is not an SQLite database"))
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), song)

        let dangling = directory.file("dangling.sqlite")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: directory.file("nowhere"))
        XCTAssertEqual(try assertRefusedAndUntouched(dangling).reason,
                       .danglingSymlink(target: directory.file("nowhere")))
    }

    // MARK: Ours

    func testANewCacheIsWholeAndLeavesNoTemporaryFiles() throws {
        let path = directory.file("new/library.sqlite")
        let cache = try FeatureCache(path: path)
        XCTAssertEqual(cache.mode, .readWrite)
        XCTAssertEqual(cache.notes, [])
        XCTAssertNil(cache.rebuildNote)
        let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(100)
        XCTAssertEqual(Array(header.prefix(16)), Array("SQLite format 3\0".utf8))
        XCTAssertEqual(Array(header[68..<72]), [0x53, 0x6E, 0x41, 0x74])     // "SnAt"
        XCTAssertEqual(Array(header[60..<64]), [0, 0, 0, 5])                 // user_version: schema 5
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.file("new"))
        XCTAssertEqual(Set(names).subtracting(["library.sqlite-wal", "library.sqlite-shm"]), ["library.sqlite"])
    }

    func testASymbolicLinkToACacheIsFollowed() throws {
        let real = directory.file("real.sqlite")
        try FeatureCache(path: real).store(.failed(AnalysisFailure(path: "/music/a.wav", error: "first")), for: key("/music/a.wav"))
        let link = directory.file("link.sqlite")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let viaLink = try FeatureCache(path: link)
        XCTAssertEqual(viaLink.mode, .readWrite)
        XCTAssertEqual(viaLink.target, real)
        XCTAssertEqual(try viaLink.loadAll().count, 1)
        try viaLink.store(.failed(AnalysisFailure(path: "/music/b.wav", error: "second")), for: key("/music/b.wav"))
        XCTAssertEqual(try FeatureCache(path: real).loadAll().count, 2)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), real)
    }

    func testADamagedCacheIsSetAsideUnderNewNamesAndNothingIsDeleted() throws {
        let path = directory.file("library.sqlite")
        var damagedCopies: [Data] = []
        for round in 0..<2 {
            try FeatureCache(path: path).store(.failed(AnalysisFailure(path: "/music/\(round).wav", error: "round \(round)")), for: key("/music/\(round).wav"))
            try CacheDamage.damage(path)
            damagedCopies.append(try Data(contentsOf: URL(fileURLWithPath: path)))
            let rebuilt = try FeatureCache(path: path)
            XCTAssertTrue(rebuilt.rebuildNote?.contains("damaged") == true, rebuilt.rebuildNote ?? "nil")
            XCTAssertEqual(rebuilt.notes.first, rebuilt.rebuildNote)
            XCTAssertEqual(try rebuilt.loadAll().count, 0)
        }
        // Two damaged caches in a row (same second, same process): two distinct aside files, both intact.
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("library.sqlite.broken-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        XCTAssertEqual(aside.count, 2, "\(aside)")
        XCTAssertEqual(Set(try aside.map { try Data(contentsOf: URL(fileURLWithPath: directory.file($0))) }),
                       Set(damagedCopies))
    }

    func testACacheOfANewerSchemaIsRefusedAndLeftUntouched() throws {
        let path = directory.file("library.sqlite")
        try FeatureCache(path: path).rawExecute("PRAGMA user_version = 99")
        let namesBefore = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        let bytesBefore = try Data(contentsOf: URL(fileURLWithPath: path))
        for readOnly in [false, true] {
            XCTAssertThrowsError(try FeatureCache(path: path, readOnly: readOnly)) { error in
                XCTAssertEqual((error as? CacheError)?.reason,
                               .newerSchema(version: 99, supported: FeatureCache.schemaVersion))
                XCTAssertTrue("\(error)".contains("newer SongAtlas (cache schema 99"), "\(error)")
            }
        }
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: directory.path)), namesBefore)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytesBefore)
    }

    func testACacheOfAnOlderSchemaItCannotUpgradeIsSetAside() throws {
        let path = directory.file("library.sqlite")
        try FeatureCache(path: path).rawExecute("PRAGMA user_version = 1")
        let rebuilt = try FeatureCache(path: path)
        XCTAssertTrue(rebuilt.rebuildNote?.contains("schema 1,") == true, rebuilt.rebuildNote ?? "nil")
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("library.sqlite.broken-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        XCTAssertEqual(aside.count, 1)
        let old = try DatabaseQueue(path: directory.file(aside[0]))
        XCTAssertEqual(try old.read { try Int.fetchOne($0, sql: "PRAGMA user_version") }, 1)
    }

    func testAReadOnlyCacheGivesItsEntriesAndStoresNothing() throws {
        let path = directory.file("library.sqlite")
        try FeatureCache(path: path).store(.failed(AnalysisFailure(path: "/music/a.wav", error: "kept")), for: key("/music/a.wav"))
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let companions: Set = ["library.sqlite-wal", "library.sqlite-shm"]
        let namesBefore = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path)).subtracting(companions)
        let cache = try FeatureCache(path: path, readOnly: true)
        XCTAssertEqual(cache.mode, .readOnly)
        XCTAssertEqual(cache.notes.count, 1)
        XCTAssertTrue(cache.notes[0].contains("is read-only (opened read-only): using its 1 entries, new results are not stored"),
                      cache.notes[0])
        XCTAssertEqual(try cache.loadAll().count, 1)
        XCTAssertNoThrow(try cache.store(.failed(AnalysisFailure(path: "/music/b.wav", error: "new")), for: key("/music/b.wav")))
        XCTAssertEqual(try cache.remove(["/music/a.wav"]), 0)
        XCTAssertEqual(try cache.loadAll().count, 1)
        XCTAssertEqual(cache.notes.count, 1)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: directory.path)).subtracting(companions),
                       namesBefore)
        XCTAssertEqual(try FeatureCache(path: path).loadAll().keys.sorted(), ["/music/a.wav"])
    }

    func testAReadOnlyCacheServesTheAnalyzerWithoutWriteErrors() throws {
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        for (index, frequency) in [220.0, 330].enumerated() {
            try AudioFileWriter.write(Signals.sine(frequency: frequency, seconds: 0.5), to: music + "/\(index).wav",
                                      sampleRate: 22050)
        }
        let path = directory.file("cache/library.sqlite")
        _ = LibraryAnalyzer.analyze(paths: [music], cache: try FeatureCache(path: path), jobs: 2)
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 0.5), to: music + "/2.wav", sampleRate: 22050)
        try FileManager.default.removeItem(atPath: music + "/0.wav")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let result = LibraryAnalyzer.analyze(paths: [music], cache: try FeatureCache(path: path, readOnly: true), jobs: 2)
        XCTAssertEqual(result.tracks.count, 2)
        XCTAssertEqual(result.cachedCount, 1)
        XCTAssertEqual(result.analyzedCount, 1)
        XCTAssertEqual(result.removedCount, 0)      // the gone file's entry stays: nothing is written
        XCTAssertEqual(result.cacheNotes.count, 1, "\(result.cacheNotes)")
        XCTAssertTrue(result.cacheNotes[0].contains("is read-only"), result.cacheNotes[0])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertEqual(try FeatureCache(path: path).loadAll().count, 2)
    }

    func testAReadOnlyFileIsOpenedReadOnly() throws {
        guard getuid() != 0 else {
            throw XCTSkip("root ignores file permissions; CacheCommandTests covers this as nobody")
        }
        let path = directory.file("cache/library.sqlite")
        try FeatureCache(path: path).store(.failed(AnalysisFailure(path: "/music/a.wav", error: "kept")), for: key("/music/a.wav"))
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        chmod(path, 0o444)
        defer { chmod(path, 0o644) }
        let cache = try FeatureCache(path: path)
        XCTAssertEqual(cache.mode, .readOnly)
        XCTAssertTrue(cache.notes.first?.contains("the file is not writable") == true, "\(cache.notes)")
        XCTAssertEqual(try cache.loadAll().count, 1)
        try cache.store(.failed(AnalysisFailure(path: "/music/b.wav", error: "new")), for: key("/music/b.wav"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }

    func testABusyCacheIsNeitherMovedNorMarkedDamaged() throws {
        let path = directory.file("library.sqlite")
        try FeatureCache(path: path).store(.failed(AnalysisFailure(path: "/music/a.wav", error: "kept")), for: key("/music/a.wav"))
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0)
        let inode = status.st_ino

        // Another process, as far as SQLite can tell: its own connection holding the write lock.
        let other = try lockingConnection(path)
        try other.writeWithoutTransaction { try $0.execute(sql: "BEGIN EXCLUSIVE") }
        let cache = try FeatureCache(path: path, busyTimeoutSeconds: 0.1)
        XCTAssertEqual(cache.mode, .readOnly)
        XCTAssertNil(cache.rebuildNote)
        XCTAssertTrue(cache.notes.first?.contains("locked for more than 0.1 s") == true, "\(cache.notes)")
        XCTAssertEqual(try cache.loadAll().count, 1)
        XCTAssertNoThrow(try cache.store(.failed(AnalysisFailure(path: "/music/b.wav", error: "new")), for: key("/music/b.wav")))
        try other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        try other.close()

        XCTAssertEqual(stat(path, &status), 0)
        XCTAssertEqual(status.st_ino, inode)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("broken") },
                       [])
        let reopened = try FeatureCache(path: path)
        XCTAssertNil(reopened.rebuildNote)
        XCTAssertEqual(reopened.mode, .readWrite)
        XCTAssertEqual(try reopened.loadAll().keys.sorted(), ["/music/a.wav"])
    }

    func testAWriteThatFindsTheCacheBusyStopsWritingWithOneNote() throws {
        let path = directory.file("library.sqlite")
        let cache = try FeatureCache(path: path, busyTimeoutSeconds: 0.1)
        XCTAssertEqual(cache.mode, .readWrite)
        let other = try lockingConnection(path)
        try other.writeWithoutTransaction { try $0.execute(sql: "BEGIN EXCLUSIVE") }
        for index in 0..<3 {
            XCTAssertNoThrow(try cache.store(.failed(AnalysisFailure(path: "/music/\(index).wav", error: "busy")), for: key("/music/\(index).wav")))
        }
        XCTAssertEqual(cache.mode, .readOnly)
        XCTAssertEqual(cache.notes.count, 1, "\(cache.notes)")
        try other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        try other.close()
        let reopened = try FeatureCache(path: path)
        XCTAssertNil(reopened.rebuildNote)
        XCTAssertEqual(try reopened.loadAll().count, 0)
    }

    // MARK: Helpers

    /// A second connection to `path` that may keep a transaction open between accesses.
    private func lockingConnection(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    private func key(_ path: String) -> CacheKey {
        CacheKey(path: path, sizeBytes: 1, modifiedSeconds: 0, featureVersion: SongSummary.version, excerptSeconds: 0)
    }

    /// Opens `path` as a cache, expects a refusal of something that is not a
    /// cache, and checks that the whole test folder is as it was.
    @discardableResult
    private func assertRefusedAndUntouched(_ path: String, file: StaticString = #filePath,
                                           line: UInt = #line) throws -> CacheError {
        let before = try FolderSnapshot(directory.path)
        var refusal: CacheError?
        XCTAssertThrowsError(try FeatureCache(path: path), file: file, line: line) { refusal = $0 as? CacheError }
        XCTAssertEqual(try FolderSnapshot(directory.path), before, "the folder changed", file: file, line: line)
        let error = try XCTUnwrap(refusal, file: file, line: line)
        XCTAssertTrue(error.reason.isNotACache, "\(error)", file: file, line: line)
        return error
    }
}

/// Every entry under a folder: file contents, link destinations, folders and other kinds by name.
struct FolderSnapshot: Equatable {
    var entries: [String: String]

    init(_ folder: String) throws {
        entries = [:]
        let manager = FileManager.default
        for name in try manager.subpathsOfDirectory(atPath: folder) {
            let path = folder + "/" + name
            let kind = try manager.attributesOfItem(atPath: path)[.type] as? FileAttributeType
            switch kind {
            case .typeRegular?: entries[name] = "file " + (try Data(contentsOf: URL(fileURLWithPath: path))).base64EncodedString()
            case .typeSymbolicLink?: entries[name] = "link " + (try manager.destinationOfSymbolicLink(atPath: path))
            default: entries[name] = "\(kind?.rawValue ?? "?")"
            }
        }
    }
}

/// Damages a closed SongAtlas cache the way a bad disk might: the header stays
/// (so it is still recognisably ours), the first page's b-tree is overwritten.
enum CacheDamage {
    static func damage(_ path: String) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 3900))
    }
}
