import Foundation
import SongAtlas

/// Standard error, and whether it is a terminal.
enum Terminal {
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// A progress reporter for batch analysis, or nil when it should stay quiet
    /// (asked to, or standard error is not a terminal).
    static func progressReporter(quiet: Bool) -> (@Sendable (BatchProgress) -> Void)? {
        guard !quiet && standardErrorIsTerminal else { return nil }
        let line = ProgressLine()
        return { line.update($0) }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes `text` to `path` atomically, or to standard output when `path` is nil.
    static func emit(_ text: String, to path: String?) throws {
        if let path {
            try AtomicFile.write(text, to: path)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// Ctrl-C (and SIGTERM) handling for long runs: the first signal asks the
/// workers to finish the files in flight and stop; a second one exits at once.
enum InterruptHandler {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if Interruption.shared.isRequested { exit(130) }
                Interruption.shared.request()
                Terminal.printError("\nsongatlas: interrupted; finishing the files in flight (press Ctrl-C again to quit now)")
            }
            source.resume()
            sources.append(source)
        }
    }
}

/// A one-line progress display on standard error: count, rate, ETA, current file.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = Date.distantPast

    func update(_ progress: BatchProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard progress.completed == progress.total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let rate = progress.elapsedSeconds > 0 ? Double(progress.completed) / progress.elapsedSeconds : 0
        let remaining = rate > 0 ? Double(progress.total - progress.completed) / rate : 0
        let name = URL(fileURLWithPath: progress.currentPath).lastPathComponent
        let shortName = name.count > 40 ? "…" + name.suffix(39) : name
        let line = String(format: "[%d/%d] %.1f files/s, ETA %@  %@",
                          progress.completed, progress.total, rate, Self.duration(remaining), shortName)
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        if progress.completed == progress.total { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600 ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
