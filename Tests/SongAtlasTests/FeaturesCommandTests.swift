import Features
import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `songatlas features` as a user runs it.
final class FeaturesCommandTests: XCTestCase {
    private func songatlas(_ arguments: String...) throws -> CommandResult {
        try CommandRunner.run("songatlas", arguments)
    }

    func testFeaturesCSV() throws {
        let result = try songatlas("features", "SampleAudio/piano-01.flac")
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.split(separator: "\n")
        XCTAssertEqual(String(lines[0]), (["time"] + FrameFeatureNames.all).joined(separator: ","))
        // 18 s at 22050 Hz, hop 512: 1 + 396900 / 512 frames.
        XCTAssertEqual(lines.count - 1, 1 + 18 * 22050 / 512)
        XCTAssertTrue(lines[1].hasPrefix("0.0,"))
        XCTAssertEqual(lines[1].split(separator: ",").count, 1 + FrameFeatureNames.count)
    }

    func testFeaturesJSONAndBadFile() throws {
        let json = try songatlas("features", "SampleAudio/dnb-01.flac", "--format", "json", "--excerpt", "2")
        XCTAssertEqual(json.status, 0, json.standardError)
        let document = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as! [String: Any]
        XCTAssertEqual(document["columns"] as? [String], FrameFeatureNames.all)
        XCTAssertEqual((document["frames"] as? [[Double]])?.count, 1 + 2 * 22050 / 512)

        let missing = try songatlas("features", "nope.flac")
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.standardError, "songatlas: nope.flac: no such file\n")
    }
}
