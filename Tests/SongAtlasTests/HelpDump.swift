import Foundation
import TestSupport
import XCTest

/// The command tree as `songatlas --experimental-dump-help` describes it
/// (argument-parser's `ToolInfoV0` JSON): every command and subcommand with
/// its raw discussion and its arguments, read without linking the parser.
///
/// The help tests walk this tree rather than a list of their own, so a
/// command added later (by any branch) is covered the day it exists.
struct HelpDump {
    /// One argument, option or flag of a command.
    struct Argument {
        /// `positional`, `option` or `flag`.
        var kind: String
        /// The long name without dashes (`covariance`), else the short one (`n`), else the value name.
        var name: String
        /// The name as typed: `--covariance`, `-n`.
        var flag: String
        var abstract: String
        /// The default argument-parser knows (a declared `= value`), nil for optional options.
        var defaultValue: String?
        var isOptional: Bool
        var isRepeating: Bool
        var shouldDisplay: Bool
        /// The values the parser lists for it (an enum's cases), empty when free.
        var allValues: [String]
        /// The values shell completion offers (`completionKind.list`), empty when none.
        var completionValues: [String]
    }

    /// One command: its path below `songatlas` (`["evaluate", "clusters"]`), texts and arguments.
    struct Command {
        var path: [String]
        var abstract: String
        var discussion: String
        var arguments: [Argument]
        var shouldDisplay: Bool

        /// `songatlas evaluate clusters`.
        var name: String { (["songatlas"] + path).joined(separator: " ") }
    }

    /// Every command, depth first, the top-level one first; argument-parser's own `help` left out.
    var commands: [Command]

    /// Runs the built `songatlas --experimental-dump-help` and reads its JSON.
    static func load(file: StaticString = #filePath, line: UInt = #line) throws -> HelpDump {
        let result = try CommandRunner.run("songatlas", ["--experimental-dump-help"])
        XCTAssertEqual(result.status, 0, result.standardError, file: file, line: line)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
        guard let root = (object as? [String: Any])?["command"] as? [String: Any] else {
            throw CocoaError(.coderReadCorrupt)
        }
        var commands: [Command] = []
        collect(root, path: [], into: &commands)
        return HelpDump(commands: commands)
    }

    private static func collect(_ node: [String: Any], path: [String], into commands: inout [Command]) {
        let arguments = (node["arguments"] as? [[String: Any]] ?? []).map(argument)
        commands.append(Command(path: path, abstract: node["abstract"] as? String ?? "",
                                discussion: node["discussion"] as? String ?? "", arguments: arguments,
                                shouldDisplay: node["shouldDisplay"] as? Bool ?? true))
        for child in node["subcommands"] as? [[String: Any]] ?? [] {
            guard let name = child["commandName"] as? String, name != "help" else { continue }
            collect(child, path: path + [name], into: &commands)
        }
    }

    private static func argument(_ node: [String: Any]) -> Argument {
        let names = node["names"] as? [[String: Any]] ?? []
        let long = names.first { $0["kind"] as? String == "long" }?["name"] as? String
        let short = names.first { $0["kind"] as? String == "short" }?["name"] as? String
        let valueName = node["valueName"] as? String ?? ""
        let completion = (node["completionKind"] as? [String: Any])?["list"] as? [String: Any]
        return Argument(
            kind: node["kind"] as? String ?? "",
            name: long ?? short ?? valueName,
            flag: long.map { "--" + $0 } ?? short.map { "-" + $0 } ?? "<\(valueName)>",
            abstract: node["abstract"] as? String ?? "",
            defaultValue: node["defaultValue"] as? String,
            isOptional: node["isOptional"] as? Bool ?? false,
            isRepeating: node["isRepeating"] as? Bool ?? false,
            shouldDisplay: node["shouldDisplay"] as? Bool ?? true,
            allValues: node["allValues"] as? [String] ?? [],
            completionValues: completion?["values"] as? [String] ?? [])
    }
}
