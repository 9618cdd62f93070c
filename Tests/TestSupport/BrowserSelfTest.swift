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
    /// Files the page downloaded, by name, with their text (the browser runs with a home folder of its own).
    public var downloads: [String: String] = [:]
    /// Everything the self-test reported, as JSON values (see `SongMapDrawing.selfTestScript`).
    public var report: [String: Any] = [:]

    /// The report's `key` as an array of integers; nil when it is absent or not one.
    public func integers(_ key: String) -> [Int]? { (report[key] as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue } }
    /// The report's `key` as text; nil when it is absent or not text.
    public func text(_ key: String) -> String? { report[key] as? String }
    /// The report's `key` as a number; nil when it is absent or not one.
    public func number(_ key: String) -> Double? { (report[key] as? NSNumber)?.doubleValue }
    /// The page's own timing `name` in milliseconds (`timings` in the report); nil when absent.
    public func milliseconds(_ name: String) -> Double? {
        ((report["timings"] as? [String: Any])?[name] as? NSNumber)?.doubleValue
    }
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
    // A home of its own: the profile and any download stay out of the user's, and the test reads the downloads.
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("songatlas-browser-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: home) }
    let result = try CommandRunner.runAbsolute(chromium, [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000", "--window-size=1280,800",
        "--autoplay-policy=no-user-gesture-required", "--dump-dom",
        URL(fileURLWithPath: page).absoluteString + "#selftest"], environment: ["HOME": home.path], timeoutSeconds: 90)
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
    var downloads: [String: String] = [:]
    let folder = home.appendingPathComponent("Downloads")
    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
        downloads[name] = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }
    return BrowserSelfTestResult(errors: json["errors"] as? [String] ?? ["unreadable errors"],
                                 songs: json["songs"] as? Int ?? -1, tooltip: json["tooltip"] as? String,
                                 downloads: downloads, report: json)
}
