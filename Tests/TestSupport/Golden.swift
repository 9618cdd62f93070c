import Foundation
import XCTest

/// Golden files: expected outputs committed next to the tests that compare with them.
///
/// One switch re-records every golden file on purpose: run the tests with
/// `SONGATLAS_RECORD_GOLDEN=1` in the environment, then read the diff before
/// committing it (the manner of argument-parser's `ArgumentParserTestHelpers`).
public enum Golden {
    /// The environment variable that turns comparing into recording.
    public static let recordVariable = "SONGATLAS_RECORD_GOLDEN"

    /// True when this run rewrites golden files instead of comparing with them.
    public static var isRecording: Bool { ProcessInfo.processInfo.environment[recordVariable] == "1" }

    /// The folder `Golden` next to the test source file `testFile` (pass `#filePath`).
    public static func folder(besides testFile: String) -> URL {
        URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    /// The names of the files in `folder` (no subfolders, no hidden files), sorted.
    public static func fileNames(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Fails the test when `actual` differs from golden file `name` in `folder`
    /// (or records it, see ``Golden``).
    public static func assertMatches(
        _ actual: String, file name: String, in folder: URL, _ context: @autoclosure () -> String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        if let mismatch = goldenMismatch(actual, file: name, in: folder) {
            let prefix = context()
            XCTFail(prefix.isEmpty ? mismatch : "\(prefix): \(mismatch)", file: file, line: line)
        }
    }
}

/// Compares `actual` with the golden file `name` in `folder`; with
/// `SONGATLAS_RECORD_GOLDEN=1` in the environment, rewrites the file instead.
/// Returns nil when they match (or were recorded), else a description of the difference.
public func goldenMismatch(_ actual: String, file name: String, in folder: URL) -> String? {
    let url = folder.appendingPathComponent(name)
    if Golden.isRecording {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return nil
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        return "golden file \(url.path) is missing; record it with \(Golden.recordVariable)=1"
    }
    if expected == actual { return nil }
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(expectedLines.count, actualLines.count) {
        let left = index < expectedLines.count ? String(expectedLines[index]) : "<end>"
        let right = index < actualLines.count ? String(actualLines[index]) : "<end>"
        if left != right { return "\(name) line \(index + 1):\n  expected: \(left)\n  actual:   \(right)" }
    }
    return "\(name) differs"
}
