import Foundation
import TestSupport
import XCTest

/// `songatlas model install` and `model list`, run as a user would, into a
/// temporary models directory (by --models and by SONGATLAS_MODELS).
final class ModelCommandTests: XCTestCase {
    func testInstallThenList() throws {
        let wheel = try MusicnnWheelLocation.require().get()
        let directory = try TemporaryDirectory(prefix: "songatlas-models")
        defer { directory.remove() }

        let empty = try CommandRunner.run("songatlas", ["model", "list", "--models", directory.path])
        XCTAssertEqual(empty.status, 0)
        XCTAssertEqual(empty.standardOutput, "")
        XCTAssertTrue(empty.standardError.contains("no models installed in \(directory.path)"), empty.standardError)
        XCTAssertTrue(empty.standardError.contains("songatlas model install DIR/musicnn-0.1.0-py3-none-any.whl"), empty.standardError)

        let install = try CommandRunner.run("songatlas", ["model", "install", wheel.path, "--models", directory.path])
        XCTAssertEqual(install.status, 0, install.standardError)
        XCTAssertTrue(install.standardOutput.contains("installed musicnn-mtt (50 tags, 3.2 MB) to \(directory.path)/musicnn-mtt.weights"),
                      install.standardOutput)
        XCTAssertTrue(install.standardOutput.contains("installed musicnn-msd (50 tags, 3.2 MB)"), install.standardOutput)

        // SONGATLAS_MODELS selects the same directory.
        let list = try CommandRunner.run("songatlas", ["model", "list"], environment: ["SONGATLAS_MODELS": directory.path])
        XCTAssertEqual(list.status, 0, list.standardError)
        let lines = list.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, list.standardOutput)
        XCTAssertTrue(lines[0].hasPrefix("model        tags  size    file"), String(lines[0]))
        XCTAssertTrue(lines[1].hasPrefix("musicnn-mtt  50    3.2 MB  \(directory.path)/musicnn-mtt.weights"), String(lines[1]))
        XCTAssertTrue(lines[1].hasSuffix("ISC, Copyright (c) Music Technology Group, Universitat Pompeu Fabra 2019"), String(lines[1]))
        XCTAssertTrue(lines[2].hasPrefix("musicnn-msd"), String(lines[2]))
    }

    func testBadWheelIsOneLineNamingIt() throws {
        let directory = try TemporaryDirectory(prefix: "songatlas-models")
        defer { directory.remove() }
        let fake = directory.file("musicnn-0.1.0-py3-none-any.whl")
        try Data("not a zip".utf8).write(to: URL(fileURLWithPath: fake))
        let result = try CommandRunner.run("songatlas", ["model", "install", fake, "--models", directory.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.standardError.split(separator: "\n").count, 1, result.standardError)
        XCTAssertTrue(result.standardError.hasPrefix("songatlas: wheel \(fake) cannot be used (not a zip archive)"), result.standardError)
    }
}
