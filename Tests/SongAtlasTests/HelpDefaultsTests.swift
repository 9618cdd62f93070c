import Foundation
import TestSupport
import XCTest

/// Every option with a default shows it in its help.
///
/// Walks every command's options through `--experimental-dump-help` (so
/// commands added later are walked too). An option argument-parser knows a
/// default for (`var seed: UInt64 = 0`) must show `default: <value>` in the
/// printed help; an optional option (whose default is applied in code, such as
/// `--covariance`, diag) must say `default` in its own help text, unless
/// leaving it out turns something off: those are listed in
/// ``HelpDefaultsTests/absentMeansOff`` with the reason.
final class HelpDefaultsTests: XCTestCase {
    /// Options whose absence means "not done", so they have no default to show.
    static let absentMeansOff: [String: String] = [
        "--bridges": "without it no song is a bridge",
        "--highlight": "without it no highlight is chosen (given alone it means 30, which the help says)",
        "--labels": "without it nothing is scored",
        "--plot": "without it nothing is drawn",
        "--seed-song": "without it no playlist starts from a chosen song",
        "--out": "segment: without it one file goes to -o or standard output",
        "--reference": "required by evaluate segments (checked in validate)",
        "--estimate": "required by evaluate segments (checked in validate)",
        "--via": "without it the path has no waypoint",
        "--library": "repeated; its default is said in its help",
        "--shard": "analyze: without it every file is analysed",
        "--into": "required by cache merge",
        "--rebase": "cache merge: without it the paths are merged as they are",
    ]

    func testEveryOptionWithADefaultShowsIt() throws {
        let dump = try HelpDump.load()
        var walked = 0
        for command in dump.commands where command.shouldDisplay {
            // Wrapped lines joined again: "(default:" may end one line and "4.0)" start the next.
            let help = try CommandRunner.run("songatlas", command.path + ["--help"]).standardOutput
                .split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
            for option in command.arguments where option.kind == "option" && option.shouldDisplay {
                walked += 1
                if let value = option.defaultValue {
                    XCTAssertTrue(help.contains("default: \(value)"),
                                  "\(command.name) \(option.flag): its default \(value) is not shown in --help")
                } else if !option.abstract.lowercased().contains("default") && Self.absentMeansOff[option.flag] == nil {
                    XCTFail("\(command.name) \(option.flag): has no declared default and its help does not say "
                        + "what it is (\"\(option.abstract)\"); say \"default: …\", or list it in absentMeansOff with why")
                }
            }
        }
        XCTAssertGreaterThan(walked, 100, "the walk went through every command's options")
    }

    /// The walk sees what it must: `--covariance` has no declared default, so only its text can show it.
    func testTheWalkSeesOptionsWithoutADeclaredDefault() throws {
        let dump = try HelpDump.load()
        let playlists = try XCTUnwrap(dump.commands.first { $0.path == ["playlists"] })
        let covariance = try XCTUnwrap(playlists.arguments.first { $0.flag == "--covariance" })
        XCTAssertNil(covariance.defaultValue)
        XCTAssertTrue(covariance.abstract.contains("default: diag"), covariance.abstract)
        let seed = try XCTUnwrap(playlists.arguments.first { $0.flag == "--seed" })
        XCTAssertEqual(seed.defaultValue, "0")
    }
}
