import Foundation
import SongAtlas
import TestSupport
import XCTest

/// `songatlas evaluate clusters` and `songatlas evaluate segments` on their own; the runs that
/// evaluate what `playlists` and `segment` just wrote stay with those commands.
final class EvaluateCommandTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testBadReferenceNamesTheLine() throws {
        try "0\t10\tA\n8\t20\tB\n".write(toFile: directory.file("ref.lab"), atomically: true, encoding: .utf8)
        let result = try CommandRunner.run("songatlas", [
            "evaluate", "segments", "--reference", directory.file("ref.lab"), "--estimate", directory.file("ref.lab")])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.standardError,
                       "songatlas: \(directory.file("ref.lab")):2: interval 8.0–20.0 overlaps line 1, which ends at 10.0\n")
    }
}
