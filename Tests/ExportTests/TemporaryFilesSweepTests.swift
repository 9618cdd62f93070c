@testable import Export
import Foundation
import TestSupport
import XCTest

/// The signal handler's sweep (``TemporaryFiles/removeAll()``) is final: no temporary file can be
/// created after it, so none is left behind while the process winds down (the window that once left
/// a whole `.songatlas-…-map.svg.tmp` after SIGTERM during `map`).
final class TemporaryFilesSweepTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func temporaryFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.file("out")).filter { $0.hasSuffix(".tmp") }
    }

    func testNothingCanBeCreatedAfterTheSweep() throws {
        try FileManager.default.createDirectory(atPath: directory.file("out"), withIntermediateDirectories: true)
        let files = TemporaryFiles(journalFolder: directory.file("pending"))
        let before = try files.create(in: directory.file("out"), for: "map.html")
        close(before.descriptor)
        files.removeAll()
        XCTAssertFalse(FileManager.default.fileExists(atPath: before.path))
        XCTAssertThrowsError(try files.create(in: directory.file("out"), for: "map.svg")) {
            XCTAssertEqual($0 as? OutputError, .interrupted)
        }
        XCTAssertEqual(try temporaryFiles(), [])
    }

    /// A writer creating files on one thread while the sweep runs on another, as the main thread
    /// does while the signal handler's thread stops the process: whatever the interleaving, nothing
    /// the writer created is left once the sweep has run.
    func testASweepDuringCreationLeavesNothing() throws {
        try FileManager.default.createDirectory(atPath: directory.file("out"), withIntermediateDirectories: true)
        let folder = directory.file("out")
        for round in 0..<20 {
            let files = TemporaryFiles(journalFolder: directory.file("pending-\(round)"))
            let started = DispatchSemaphore(value: 0)
            let done = DispatchSemaphore(value: 0)
            Thread {
                for index in 0..<400 {
                    if index == 20 { started.signal() }
                    // Written whole and closed, never discarded: the process is about to end.
                    guard let file = try? files.create(in: folder, for: "map.svg") else { break }
                    _ = OutputWriter.writeAll(Data("<svg/>".utf8), to: file.descriptor)
                    close(file.descriptor)
                }
                done.signal()
            }.start()
            started.wait()
            files.removeAll()
            done.wait()
            XCTAssertEqual(try temporaryFiles().count, 0, "round \(round): temporary files created after the sweep")
        }
    }
}
