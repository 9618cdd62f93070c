import Foundation
import TestSupport
import XCTest

/// Another Swift package can depend on SongAtlas by version and make playlists with it.
///
/// Runs `scripts/test-client-package`: it tags a snapshot of this working
/// tree as a version in a local git repository, builds a throw-away client
/// package that asks for `from: "99.0.0"` of it, and runs the client on
/// SampleAudio/. SwiftPM refuses a versioned dependency with unsafe flags, so
/// this fails if one comes back into Package.swift. The first run builds
/// SongAtlas a second time (several minutes); later runs reuse
/// `.build/client-package` and are incremental.
final class ClientPackageTests: XCTestCase {
    func testClientPackageDependsOnSongAtlasByVersionAndMakesPlaylists() throws {
        let script = repositoryRoot.appendingPathComponent("scripts/test-client-package").path
        let result = try CommandRunner.runAbsolute("/bin/bash", [script], timeoutSeconds: 1800)
        if result.status == 77 {
            throw XCTSkip(result.standardError.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let report = "stdout:\n\(result.standardOutput)\nstderr:\n\(result.standardError)"
        XCTAssertEqual(result.status, 0, report)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("resolved SongAtlas 99.0.") && $0.contains("by version") }, report)
        let last = try XCTUnwrap(lines.last, report)
        XCTAssertTrue(last.hasPrefix("client-package: ok, "), report)
        XCTAssertTrue(last.contains("playlists of 18 songs"), report)
    }
}
