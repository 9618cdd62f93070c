import Export
import Foundation
import TestSupport
import XCTest

/// `-o` never destroys what is at the path: files are replaced atomically, links
/// are written through, FIFOs and devices in place, folders refused.
final class OutputDestinationTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func temporaryLeftovers(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tmp") }
    }

    func testRegularFileIsReplacedWholeAndKeepsItsPermissions() throws {
        let path = directory.file("out.json")
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o600)
        // Another program's file: replaced only when foreign files may be.
        let destination = try OutputDestination.resolve(path, rules: OutputRules(replaceForeign: true))
        XCTAssertEqual(destination.kind, .file(path: path))
        try destination.write("new contents\n")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new contents\n")
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o600)
        XCTAssertEqual(try temporaryLeftovers(directory.path), [])
    }

    func testNewFileInMissingFoldersIsCreated() throws {
        let path = directory.file("a/b/out.csv")
        try OutputDestination.resolve(path).write("x\n")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "x\n")
    }

    func testSymbolicLinkIsWrittenThroughAndStaysALink() throws {
        let target = directory.file("real/target.txt")
        try FileManager.default.createDirectory(atPath: directory.file("real"), withIntermediateDirectories: true)
        try "before".write(toFile: target, atomically: false, encoding: .utf8)
        let bystander = directory.file("real/other.txt")
        try "leave me".write(toFile: bystander, atomically: false, encoding: .utf8)
        let link = directory.file("link.txt")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real/target.txt")

        try OutputDestination.resolve(link, rules: OutputRules(replaceForeign: true)).write("after")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "real/target.txt")
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "after")
        XCTAssertEqual(try String(contentsOfFile: bystander, encoding: .utf8), "leave me")
        XCTAssertEqual(try temporaryLeftovers(directory.file("real")), [])
    }

    func testDanglingLinkCreatesItsTarget() throws {
        let link = directory.file("dangling")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: directory.file("made.txt"))
        try OutputDestination.resolve(link).write("made")
        XCTAssertEqual(try String(contentsOfFile: directory.file("made.txt"), encoding: .utf8), "made")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), directory.file("made.txt"))
    }

    func testLinkLoopIsRefused() throws {
        try FileManager.default.createSymbolicLink(atPath: directory.file("a"), withDestinationPath: "b")
        try FileManager.default.createSymbolicLink(atPath: directory.file("b"), withDestinationPath: "a")
        XCTAssertThrowsError(try OutputDestination.resolve(directory.file("a"))) {
            XCTAssertEqual($0 as? OutputError, .symlinkLoop(path: directory.file("a")))
        }
    }

    func testFIFOIsWrittenInPlace() throws {
        let fifo = directory.file("pipe")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let destination = try OutputDestination.resolve(fifo)
        XCTAssertEqual(destination.kind, .inPlace(path: fifo))
        nonisolated(unsafe) var received = Data()
        let reader = Thread {
            received = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data()
        }
        reader.start()
        try destination.write("through the pipe\n")
        while reader.isExecuting || !reader.isFinished { usleep(1000) }
        XCTAssertEqual(String(decoding: received, as: UTF8.self), "through the pipe\n")
        var status = stat()
        XCTAssertEqual(lstat(fifo, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFIFO, "the FIFO was replaced")
    }

    func testCharacterDeviceIsWrittenInPlace() throws {
        // A private copy of /dev/null (root only), so a regression cannot hurt the machine's own.
        guard getuid() == 0 else { throw XCTSkip("making a character device needs root") }
        let device = directory.file("null")
        XCTAssertEqual(mknod(device, S_IFCHR | 0o666, dev_t((1 << 8) | 3)), 0)   // major 1, minor 3
        let destination = try OutputDestination.resolve(device)
        XCTAssertEqual(destination.kind, .inPlace(path: device))
        try destination.write("discarded")
        var status = stat()
        XCTAssertEqual(lstat(device, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFCHR, "the device was replaced")
        XCTAssertEqual(try temporaryLeftovers(directory.path), [])
    }

    func testDevAndProcPathsAreNeverReplaced() throws {
        XCTAssertEqual(try OutputDestination.resolve("/dev/null").kind, .inPlace(path: "/dev/null"))
        XCTAssertEqual(try OutputDestination.resolve("/dev/stdout").kind, .inPlace(path: "/dev/stdout"))
        // /proc/version cannot be written: refused (as a user) or fails in place (as root), never replaced.
        if let proc = try? OutputDestination.resolve("/proc/version") {
            XCTAssertEqual(proc.kind, .inPlace(path: "/proc/version"))
            XCTAssertThrowsError(try proc.write("x"))
        }
    }

    func testDashIsStandardOutput() throws {
        XCTAssertEqual(try OutputDestination.resolve("-").kind, .standardOutput)
    }

    func testFolderIsRefusedAndUntouched() throws {
        let folder = directory.file("music")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "song".write(toFile: folder + "/song.flac", atomically: false, encoding: .utf8)
        let before = try FolderSnapshot(directory.path)
        XCTAssertThrowsError(try OutputDestination.resolve(folder)) {
            XCTAssertEqual($0 as? OutputError, .isFolder(path: folder))
        }
        XCTAssertEqual(try FolderSnapshot(directory.path), before)
    }

    func testPathUnderAFileIsRefusedBeforeWriting() throws {
        try "x".write(toFile: directory.file("file"), atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try OutputDestination.resolve(directory.file("file/out.json")))
    }

    func testReadOnlyFileSystemIsRefusedAtResolve() throws {
        let (scratch, reason) = ScratchFileSystem.mount(sizeKilobytes: 64, readOnly: true)
        guard let scratch else { throw XCTSkip(reason) }
        defer { scratch.unmount() }
        XCTAssertThrowsError(try OutputDestination.resolve(scratch.path + "/out.json")) {
            guard case .notWritable = $0 as? OutputError else { return XCTFail("\($0)") }
        }
    }

    func testFullDiskLeavesTheOldFileAndNoTemporaryFile() throws {
        let (scratch, reason) = ScratchFileSystem.mount(sizeKilobytes: 256)
        guard let scratch else { throw XCTSkip(reason) }
        defer { scratch.unmount() }
        let path = scratch.path + "/report.json"
        try "the old report\n".write(toFile: path, atomically: false, encoding: .utf8)
        scratch.fill(leaveBytes: 0)
        let destination = try OutputDestination.resolve(path, rules: OutputRules(replaceForeign: true))
        XCTAssertThrowsError(try destination.write(Data(count: 1 << 20))) {
            guard case .writeFailed = $0 as? OutputError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "the old report\n")
        XCTAssertEqual(try temporaryLeftovers(scratch.path), [])
    }

    func testAbandonedStreamLeavesTheDestinationUntouched() throws {
        let path = directory.file("out.csv")
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        let writer = try OutputDestination.resolve(path, rules: OutputRules(replaceForeign: true)).openWriter()
        try writer.write("half of a new ")
        writer.abandon()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old\n")
        XCTAssertEqual(try temporaryLeftovers(directory.path), [])
    }
}
