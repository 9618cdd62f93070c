import Foundation
import SyntheticAudio
import TestSupport
import XCTest

/// What `model install` and `model list` read back: anything that is not a
/// regular zip file is refused with one line, deflate bombs are stopped at a
/// bounded size, and weights files that are damaged, missing or in an
/// unreadable folder are reported as such.
final class ModelReadbackCommandTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "songatlas-models") }
    override func tearDown() { directory.remove() }

    func testInstallRefusesWhatIsNotAZipFileAndStopsDeflateBombs() throws {
        let wheels = directory.file("wheels")
        let models = directory.file("models")
        let entries = try HostileWheels.write(in: wheels)
        XCTAssertGreaterThanOrEqual(entries.count, 5)
        let before = try snapshot(wheels)
        let bombSize = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: wheels + "/bomb.whl")[.size] as? Int)
        XCTAssertLessThan(bombSize, 10_000_000)
        for entry in entries {
            let path = wheels + "/" + entry.name
            let result = try CommandRunner.run("songatlas", ["model", "install", path, "--models", models], timeoutSeconds: 120)
            XCTAssertEqual(result.status, 1, "\(entry.name): \(result.standardError)")
            XCTAssertEqual(result.standardOutput, "", entry.name)
            XCTAssertEqual(result.standardError.split(separator: "\n").count, 1, "\(entry.name): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("wheel \(path) cannot be used"), "\(entry.name): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains(entry.expectedMessage), "\(entry.name): \(result.standardError)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: models), "\(entry.name) made the models folder")
        }
        XCTAssertEqual(try snapshot(wheels), before, "model install changed a file it was given")
    }

    func testTheBombInflatesToMoreThanAGibibyte() {
        // Checks the corpus itself: 13 bits per 258 bytes, so a few MB stand for > 1 GiB.
        let repeats = HostileWheels.bombRepeats
        XCTAssertGreaterThan(1 + 258 * repeats, 1 << 30)
        XCTAssertLessThan(HostileWheels.deflateBomb(repeats: 8).count, 20)
    }

    func testListReportsDamagedMissingAndUnreadable() throws {
        let wheel = try MusicnnWheelLocation.require().get()
        let models = directory.file("models")
        let install = try CommandRunner.run("songatlas", ["model", "install", wheel.path, "--models", models])
        XCTAssertEqual(install.status, 0, install.standardError)
        let mtt = models + "/musicnn-mtt.weights", msd = models + "/musicnn-msd.weights"

        // MTT removed, MSD present: MTT is missing, MSD is listed.
        let mttBytes = try Data(contentsOf: URL(fileURLWithPath: mtt))
        try FileManager.default.removeItem(atPath: mtt)
        let missing = try CommandRunner.run("songatlas", ["model", "list", "--models", models])
        XCTAssertEqual(missing.status, 0, missing.standardError)
        XCTAssertTrue(missing.standardError.contains("musicnn-mtt is not installed"), missing.standardError)
        XCTAssertFalse(missing.standardError.contains("no models installed"), missing.standardError)
        XCTAssertTrue(missing.standardOutput.contains("musicnn-msd"), missing.standardOutput)
        XCTAssertFalse(missing.standardOutput.contains("musicnn-mtt"), missing.standardOutput)

        // Truncated, and one byte flipped in the middle: damaged, with the reinstall line.
        for (what, bytes) in [("truncated", mttBytes.prefix(mttBytes.count / 2)),
                              ("flipped", { var copy = mttBytes; copy[copy.count / 2] ^= 0x40; return copy }())] {
            try Data(bytes).write(to: URL(fileURLWithPath: mtt))
            let damaged = try CommandRunner.run("songatlas", ["model", "list", "--models", models])
            XCTAssertEqual(damaged.status, 0, damaged.standardError)
            XCTAssertTrue(damaged.standardError.contains("musicnn-mtt is damaged"), "\(what): \(damaged.standardError)")
            XCTAssertTrue(damaged.standardError.contains("reinstall with `pip download musicnn==0.1.0 --no-deps -d DIR`, then `songatlas model install"), "\(what): \(damaged.standardError)")
            XCTAssertFalse(damaged.standardOutput.contains("musicnn-mtt"), "\(what): \(damaged.standardOutput)")
            XCTAssertTrue(damaged.standardOutput.contains("musicnn-msd"), "\(what): \(damaged.standardOutput)")
        }
        _ = msd

        // A models path that cannot be read as a folder: said so, naming it and the system's reason.
        let file = directory.file("plain-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let unreadable = try CommandRunner.run("songatlas", ["model", "list", "--models", file + "/models"])
        XCTAssertEqual(unreadable.status, 1, unreadable.standardError)
        XCTAssertTrue(unreadable.standardError.contains(file + "/models"), unreadable.standardError)
        XCTAssertTrue(unreadable.standardError.contains("Not a directory"), unreadable.standardError)
        XCTAssertFalse(unreadable.standardError.contains("no models installed"), unreadable.standardError)
    }

    /// Every entry under `folder` with its bytes (regular files) or its kind (anything else, never read).
    private func snapshot(_ folder: String) throws -> [String: Data] {
        var entries: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: folder) {
            var status = stat()
            XCTAssertEqual(lstat(folder + "/" + name, &status), 0)
            entries[name] = status.st_mode & S_IFMT == S_IFREG
                ? try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
                : Data("kind \(status.st_mode & S_IFMT)".utf8)
        }
        return entries
    }
}
