import Foundation
import TestSupport
import XCTest

/// The live progress line: shown on a terminal (with a count and an ETA), never when standard error
/// is not a terminal, never with `-q`. The terminal is a pseudo-terminal from util-linux `script`.
final class ProgressLineTests: XCTestCase {
    static let script = "/usr/bin/script"

    /// Runs `songatlas arguments` with its standard error on a pseudo-terminal; returns what it printed.
    static func onTerminal(_ arguments: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: script) else { throw XCTSkip("util-linux script is not installed") }
        let executable = CommandRunner.productsDirectory.appendingPathComponent("songatlas").path
        let command = ([executable] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        let result = try CommandRunner.runAbsolute(script, ["-qec", command, "/dev/null"])
        XCTAssertEqual(result.status, 0, result.standardOutput + result.standardError)
        return result.standardOutput
    }

    func testSegmentingManyFilesShowsTheLineOnATerminalOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let files = ["SampleAudio/piano-01.flac", "SampleAudio/piano-02.flac", "SampleAudio/piano-03.flac"]
        let arguments = ["segment"] + files + ["--excerpt", "4", "--no-cache", "--replace-foreign"]

        let shown = try Self.onTerminal(arguments + ["--out", directory.file("a")])
        XCTAssertTrue(shown.contains("[3/3]"), shown)
        XCTAssertTrue(shown.contains("files/s, ETA "), shown)

        let quiet = try Self.onTerminal(arguments + ["--out", directory.file("b"), "-q"])
        XCTAssertFalse(quiet.contains("ETA"), quiet)

        let piped = try CommandRunner.run("songatlas", arguments + ["--out", directory.file("c")])
        XCTAssertEqual(piped.status, 0, piped.standardError)
        XCTAssertFalse(piped.standardError.contains("ETA"), piped.standardError)
        XCTAssertFalse(piped.standardError.contains("\r"), piped.standardError)
    }

    func testModelInstallShowsTheLineOnATerminalOnly() throws {
        let wheel = try MusicnnWheelLocation.require().get()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let shown = try Self.onTerminal(["model", "install", wheel.path, "--models", directory.file("a")])
        XCTAssertTrue(shown.contains("[4/4]"), shown)
        XCTAssertTrue(shown.contains("steps/s, ETA "), shown)
        XCTAssertTrue(shown.contains("installed musicnn-mtt"), shown)

        let quiet = try Self.onTerminal(["model", "install", wheel.path, "--models", directory.file("b"), "-q"])
        XCTAssertFalse(quiet.contains("ETA"), quiet)
        XCTAssertTrue(quiet.contains("installed musicnn-mtt"), quiet)

        let piped = try CommandRunner.run("songatlas", ["model", "install", wheel.path, "--models", directory.file("c")])
        XCTAssertEqual(piped.status, 0, piped.standardError)
        XCTAssertEqual(piped.standardError, "", "no progress line when standard error is not a terminal")
    }
}
