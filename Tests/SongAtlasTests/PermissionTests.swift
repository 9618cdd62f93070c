import AudioDecoding
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// Unreadable files and folders, as a user without permission meets them.
/// As root every file is readable, so the command runs as `nobody` through
/// `runuser`; as any other user it runs directly.
final class PermissionTests: XCTestCase {
    func testUnreadableFileAndFolderAreReportedAndTheRunGoesOn() throws {
        let directory = try TemporaryDirectory()
        defer {
            chmod(directory.file("music/locked-folder"), 0o755)
            directory.remove()
        }
        let music = directory.file("music")
        try FileManager.default.createDirectory(atPath: music + "/locked-folder", withIntermediateDirectories: true)
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 1), to: music + "/good.wav", sampleRate: 22050)
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 1), to: music + "/locked.wav", sampleRate: 22050)
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 1), to: music + "/locked-folder/inner.wav",
                                  sampleRate: 22050)
        chmod(directory.path, 0o755)
        chmod(music, 0o755)
        chmod(music + "/good.wav", 0o644)
        chmod(music + "/locked.wav", 0o000)
        chmod(music + "/locked-folder", 0o000)

        let executable = CommandRunner.productsDirectory.appendingPathComponent("songatlas").path
        let result: CommandResult
        if getuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else {
                throw XCTSkip("running as root without runuser: permission errors cannot be provoked")
            }
            // nobody must be able to reach the executable and the test folder.
            guard access(executable, X_OK) == 0 else { throw XCTSkip("executable not reachable") }
            result = try CommandRunner.runAbsolute("/usr/sbin/runuser", ["-u", "nobody", "--", executable, "analyze",
                                                                         "--format", "csv", music])
            if result.standardError.contains("Permission denied") && result.standardOutput.isEmpty {
                throw XCTSkip("nobody cannot run the test build here: \(result.standardError)")
            }
        } else {
            result = try CommandRunner.run("songatlas", ["analyze", "--format", "csv", music])
        }
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("good.wav,,,,WAV/FLOAT"), result.standardOutput)
        XCTAssertTrue(result.standardError.contains("locked.wav: permission denied"), result.standardError)
        XCTAssertTrue(result.standardError.contains("locked-folder: permission denied"), result.standardError)
        XCTAssertTrue(result.standardError.contains("analysed 1, failed 2"), result.standardError)
    }
}
