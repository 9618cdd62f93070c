import Foundation
import TestSupport
import XCTest

/// `model install` and `model list` tell someone who has only the binary how to get the models:
/// the one `pip download` line, then `songatlas model install DIR/<wheel>`, and where the models go;
/// never only `scripts/setup`, which such a user does not have.
final class HelpModelInstallTests: XCTestCase {
    static let pipLine = "pip download musicnn==0.1.0 --no-deps -d DIR"
    static let installLine = "songatlas model install DIR/musicnn-0.1.0-py3-none-any.whl"

    func testHelpGivesThePipLineTheInstallLineAndWhereModelsGo() throws {
        let help = try CommandRunner.run("songatlas", ["model", "install", "--help"])
        XCTAssertEqual(help.status, 0)
        let examples = HelpExampleTests.exampleLines(in: help.standardOutput)
        XCTAssertEqual(examples, ["  " + Self.pipLine, "  " + Self.installLine])
        XCTAssertTrue(help.standardOutput.contains("~/.local/share/songatlas/models"), help.standardOutput)
    }

    func testInstallWithoutAWheelSaysHowToGetOne() throws {
        let missing = "/nonexistent/songatlas-help-model-install/musicnn-0.1.0-py3-none-any.whl"
        let result = try CommandRunner.run("songatlas", ["model", "install", "--models", "/nonexistent/models"],
                                           environment: ["SONGATLAS_WHEEL": missing])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains(missing), result.standardError)
        XCTAssertTrue(result.standardError.contains(Self.pipLine), result.standardError)
        XCTAssertTrue(result.standardError.contains(Self.installLine), result.standardError)
        XCTAssertFalse(result.standardError.contains("scripts/setup"), result.standardError)
        XCTAssertEqual(result.standardError.split(separator: "\n").count, 1, "one line: \(result.standardError)")
    }

    func testListWithNoModelsSaysHowToInstallThem() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = try CommandRunner.run("songatlas", ["model", "list", "--models", folder.url.path])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.standardError.contains(Self.pipLine), result.standardError)
        XCTAssertTrue(result.standardError.contains(Self.installLine), result.standardError)
        XCTAssertFalse(result.standardError.contains("scripts/setup"), result.standardError)
    }
}
