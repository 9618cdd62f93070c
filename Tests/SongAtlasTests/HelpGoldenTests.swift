import Foundation
import TestSupport
import XCTest

/// Every command's `--help`, compared with its golden file in `Golden/`.
///
/// Re-record on purpose with `SONGATLAS_RECORD_GOLDEN=1 swift test --filter HelpGoldenTests`,
/// then read the diff of `Tests/SongAtlasTests/Golden/` before committing it.
final class HelpGoldenTests: XCTestCase {
    static let golden = Golden.folder(besides: #filePath)

    /// Every command and subcommand, and the golden file of its help.
    static let commands: [(path: [String], file: String)] = [
        ([], "help.txt"),
        (["analyze"], "help-analyze.txt"),
        (["features"], "help-features.txt"),
        (["playlists"], "help-playlists.txt"),
        (["similar"], "help-similar.txt"),
        (["path"], "help-path.txt"),
        (["segment"], "help-segment.txt"),
        (["map"], "help-map.txt"),
        (["evaluate"], "help-evaluate.txt"),
        (["evaluate", "clusters"], "help-evaluate-clusters.txt"),
        (["evaluate", "segments"], "help-evaluate-segments.txt"),
        (["model"], "help-model.txt"),
        (["model", "install"], "help-model-install.txt"),
        (["model", "list"], "help-model-list.txt"),
        (["cache"], "help-cache.txt"),
        (["cache", "info"], "help-cache-info.txt"),
        (["cache", "list"], "help-cache-list.txt"),
        (["cache", "forget"], "help-cache-forget.txt"),
        (["cache", "prune"], "help-cache-prune.txt"),
        (["cache", "merge"], "help-cache-merge.txt"),
        (["duplicates"], "help-duplicates.txt"),
    ]

    func testEveryHelpMatchesItsGoldenFile() throws {
        for (path, file) in Self.commands {
            let result = try CommandRunner.run("songatlas", path + ["--help"])
            let name = (["songatlas"] + path).joined(separator: " ")
            XCTAssertEqual(result.status, 0, "\(name) --help: \(result.standardError)")
            XCTAssertEqual(result.standardError, "", "\(name) --help")
            Golden.assertMatches(result.standardOutput, file: file, in: Self.golden, "\(name) --help")
        }
    }

    /// A subcommand a help page lists has a row in the table, so a new command cannot go untested.
    func testTheTableHasEverySubcommandTheHelpLists() throws {
        let paths = Set(Self.commands.map(\.path))
        for (path, _) in Self.commands {
            let result = try CommandRunner.run("songatlas", path + ["--help"])
            for subcommand in Self.subcommands(inHelp: result.standardOutput) {
                XCTAssertTrue(paths.contains(path + [subcommand]),
                              "songatlas \((path + [subcommand]).joined(separator: " ")) has no row in the table")
            }
        }
        // The parse finds what the top-level help lists today.
        let top = try CommandRunner.run("songatlas", ["--help"])
        XCTAssertEqual(Self.subcommands(inHelp: top.standardOutput),
                       ["analyze", "features", "playlists", "similar", "path", "segment", "map", "evaluate", "model", "cache", "duplicates"])
    }

    /// Every golden file has a row in the table, so the table and the folder cannot drift apart.
    func testEveryGoldenFileHasARowInTheTable() throws {
        let used = Set(Self.commands.map(\.file))
        XCTAssertEqual(used.count, Self.commands.count, "two rows share a golden file")
        for name in try Golden.fileNames(in: Self.golden) where !used.contains(name) {
            XCTFail("Golden/\(name) is compared by no row of HelpGoldenTests.commands; remove it or add its row")
        }
    }

    /// The names listed under `SUBCOMMANDS:` in a help page (argument-parser's layout:
    /// two spaces, the name, then its abstract; continuation lines indented further).
    static func subcommands(inHelp help: String) -> [String] {
        var names: [String] = []
        var inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "SUBCOMMANDS:" { inSection = true; continue }
            guard inSection else { continue }
            if line.isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            names.append(String(line.dropFirst(2).prefix { $0 != " " }))
        }
        return names
    }
}
