import Foundation
import XCTest

/// What a page's own self-test found, read back from headless Chromium.
public struct BrowserSelfTestResult {
    /// Script errors the page recorded; empty when it ran cleanly.
    public var errors: [String]
    /// How many songs the page drew.
    public var songs: Int
    /// The tooltip text shown for the first song, if any.
    public var tooltip: String?
}

/// Loads `page#selftest` in headless Chromium and returns what the page's own self-test found.
///
/// - Throws: `XCTSkip` when Chromium is not installed (scripts/setup installs the Debian package chromium).
public func browserSelfTest(_ page: String, file: StaticString = #filePath, line: UInt = #line) throws
    -> BrowserSelfTestResult
{
    guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
        FileManager.default.isExecutableFile(atPath: $0)
    }) else {
        throw XCTSkip("headless Chromium is not installed (scripts/setup installs the Debian package chromium); "
            + "the browser test did not run")
    }
    let result = try CommandRunner.runAbsolute(chromium, [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom",
        URL(fileURLWithPath: page).absoluteString + "#selftest"], timeoutSeconds: 60)
    let dump = result.standardOutput
    guard let element = dump.range(of: "id=\"selftest-result\""),
          let start = dump.range(of: ">", range: element.upperBound..<dump.endIndex),
          let end = dump.range(of: "</pre>", range: start.upperBound..<dump.endIndex)
    else {
        XCTFail("no self-test result in the page (status \(result.status)): \(result.standardError.suffix(500))",
                file: file, line: line)
        return BrowserSelfTestResult(errors: [], songs: 0, tooltip: nil)
    }
    // The page writes ASCII-only JSON, so the dump's HTML escaping cannot touch it.
    let text = String(dump[start.upperBound..<end.lowerBound])
    let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    return BrowserSelfTestResult(errors: json["errors"] as? [String] ?? ["unreadable errors"],
                                 songs: json["songs"] as? Int ?? -1, tooltip: json["tooltip"] as? String)
}
