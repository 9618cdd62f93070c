import Foundation
import TestSupport
import XCTest

/// Every example in every command's help can be copied and pasted: each is one
/// command line (`songatlas …`, or the `pip download` a model needs) short enough not to wrap at 80 columns, or continued
/// with ` \` and an indented next line, and the rendered `--help` shows it
/// exactly as written (argument-parser wrapped none of it).
final class HelpExampleTests: XCTestCase {
    /// The widest example line that argument-parser prints unwrapped at `COLUMNS=80`.
    static let width = 80

    func testEveryExampleIsACommandThatDoesNotWrap() throws {
        let dump = try HelpDump.load()
        var examplesSeen = 0
        for command in dump.commands {
            for line in Self.exampleLines(in: command.discussion) {
                examplesSeen += 1
                XCTAssertLessThanOrEqual(line.count, Self.width,
                                         "\(command.name): example longer than \(Self.width) columns wraps when shown: \(line)")
            }
            for problem in Self.continuationProblems(Self.exampleLines(in: command.discussion)) {
                XCTFail("\(command.name): \(problem)")
            }
        }
        XCTAssertGreaterThan(examplesSeen, 10, "the walk found the examples")
    }

    /// The help as printed holds each example line unchanged: nothing was wrapped or re-indented.
    func testTheRenderedHelpShowsEveryExampleUnwrapped() throws {
        let dump = try HelpDump.load()
        for command in dump.commands where command.shouldDisplay {
            let written = Self.exampleLines(in: command.discussion)
            guard !written.isEmpty else { continue }
            let help = try CommandRunner.run("songatlas", command.path + ["--help"])
            XCTAssertEqual(help.status, 0, "\(command.name) --help")
            XCTAssertEqual(Self.exampleLines(in: help.standardOutput), written,
                           "\(command.name) --help shows its examples differently from how they are written")
        }
    }

    /// The rule itself: a wrapped line, a line too long and a dangling ` \` are all caught.
    func testTheRuleCatchesBrokenExamples() {
        let good = ["  songatlas map SampleAudio --out map.html \\", "      --topology hexagonal --grid 8x6"]
        XCTAssertEqual(Self.continuationProblems(good), [])
        let wrapped = ["  songatlas segment song.flac --format audacity -o song-labels.txt --plot", "song.html"]
        XCTAssertEqual(Self.continuationProblems(wrapped).count, 1)
        let dangling = ["  songatlas map SampleAudio \\"]
        XCTAssertEqual(Self.continuationProblems(dangling).count, 1)
        let prose = ["  songatlas model install        (the wheel scripts/setup downloads)"]
        XCTAssertEqual(Self.continuationProblems(prose).count, 1)
        let text = "Intro.\n\nExamples:\n  songatlas a\n  songatlas b \\\n    --c\n\nAfter."
        XCTAssertEqual(Self.exampleLines(in: text), ["  songatlas a", "  songatlas b \\", "    --c"])
    }

    /// The lines of every `Example:`/`Examples:` block in `text`, up to the next empty line.
    static func exampleLines(in text: String) -> [String] {
        var lines: [String] = []
        var inExamples = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "Examples:" || line == "Example:" { inExamples = true; continue }
            guard inExamples else { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { inExamples = false; continue }
            lines.append(line)
        }
        return lines
    }

    /// What is wrong with a block of example lines: a line that is neither a command indented by two spaces nor the
    /// indented continuation of a line ending in ` \`, a ` \` with nothing after it, or a comment
    /// in parentheses that a shell would take as part of the command.
    static func continuationProblems(_ lines: [String]) -> [String] {
        var problems: [String] = []
        var continues = false
        for line in lines {
            if continues {
                if !line.hasPrefix("    ") {
                    problems.append("the line after a ` \\` is not an indented continuation: \(line)")
                }
            } else if !line.hasPrefix("  ") || line.hasPrefix("   ") {
                problems.append("not a command indented by two spaces (wrapped?): \(line)")
            }
            if line.contains("  (") { problems.append("a comment a shell would run as part of the command: \(line)") }
            continues = line.hasSuffix(" \\")
        }
        if continues { problems.append("the last example ends in ` \\` with no line after it") }
        return problems
    }
}
