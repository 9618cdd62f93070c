import Foundation
import TestSupport
import XCTest

/// Shell completion (`songatlas --generate-completion-script bash|zsh|fish`, from argument-parser)
/// completes the values of every option that has a fixed set: `--embedding`, `--algorithm`,
/// `--format` and the rest. Walks every command, so a new option is held to it too.
final class CompletionTests: XCTestCase {
    func testEveryOptionWithFixedValuesCompletesThem() throws {
        let dump = try HelpDump.load()
        var checked: Set<String> = []
        for command in dump.commands {
            for option in command.arguments where option.kind == "option" && !option.allValues.isEmpty {
                XCTAssertEqual(option.completionValues, option.allValues,
                               "\(command.name) \(option.flag): completion does not offer its values")
                checked.insert(option.flag)
            }
        }
        XCTAssertTrue(checked.isSuperset(of: ["--embedding", "--algorithm", "--format"]), "\(checked)")
    }

    func testEveryShellsScriptListsTheValues() throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try CommandRunner.run("songatlas", ["--generate-completion-script", shell])
            XCTAssertEqual(result.status, 0, "\(shell): \(result.standardError)")
            for value in ["mtt+msd", "agglomerative", "xspf", "audacity"] {
                XCTAssertTrue(result.standardOutput.contains(value), "\(shell) completion has no \(value)")
            }
        }
    }
}
