import Foundation

/// Runs a built executable of this package and captures what it prints.
public struct CommandResult {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
}

public enum CommandRunner {
    /// The folder holding the package's built products (next to the test bundle).
    public static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    /// Runs product `name` with `arguments`, from `directory` (default: the repository root).
    public static func run(
        _ name: String, _ arguments: [String], in directory: URL = repositoryRoot,
        environment: [String: String] = [:], timeoutSeconds: Double = 300
    ) throws -> CommandResult {
        try runAbsolute(productsDirectory.appendingPathComponent(name).path, arguments, in: directory,
                        environment: environment, timeoutSeconds: timeoutSeconds)
    }

    /// Runs the executable at `path` with `arguments`.
    public static func runAbsolute(
        _ path: String, _ arguments: [String], in directory: URL = repositoryRoot,
        environment: [String: String] = [:], timeoutSeconds: Double = 300
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var merged = ProcessInfo.processInfo.environment
        merged["COLUMNS"] = "80"
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // A hung child (e.g. a page stuck in a script loop) is killed, so the test fails instead of hanging.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: watchdog)
        defer { watchdog.cancel() }
        // Read both pipes concurrently so neither can fill up and block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = error.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }
}

/// Compares `actual` with the golden file `name` in `folder`; with
/// `SONGATLAS_RECORD_GOLDEN=1` in the environment, rewrites the file instead.
/// Returns nil when they match (or were recorded), else a description of the difference.
public func goldenMismatch(_ actual: String, file name: String, in folder: URL) -> String? {
    let url = folder.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["SONGATLAS_RECORD_GOLDEN"] == "1" {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return nil
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        return "golden file \(url.path) is missing; record it with SONGATLAS_RECORD_GOLDEN=1"
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
