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
        // Commands see no installed embedding model unless a test gives one
        // (SONGATLAS_MODELS or --models), so results do not depend on what the
        // machine running the tests has installed.
        merged["SONGATLAS_MODELS"] = "/nonexistent/songatlas-tests-have-no-models"
        // Nor the user's cache folder: the default feature cache, previews and journal of this test process's
        // own, so test processes running in parallel (`swift test --parallel`) never share one.
        merged["XDG_CACHE_HOME"] = TestProcessCache.folder
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
