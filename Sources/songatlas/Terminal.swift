import ArgumentParser
import DSP
import Export
import FilePaths
import Foundation
import Library
import SongAtlas
import Synchronization

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

    /// With `--verbose`, lists the files a scan passed over as not audio, one per line.
    static func printOtherFiles(_ otherFiles: OtherFiles, verbose: Bool) {
        guard verbose else { return }
        for path in otherFiles.paths { printError("songatlas: not audio, skipped: \(RawPath.display(path))") }
    }

    /// Resolves `-o`: standard output when nil or `-`. Call it before the work, so a bad path fails at once.
    ///
    /// What may be replaced is ``OutputDestination``'s rule (``OutputRules``): an existing audio
    /// file (judged by its content) or a read-only file is refused, and so is a file SongAtlas did
    /// not write unless `rules` allow it (`--replace-foreign`).
    static func destination(_ path: String?, rules: OutputRules) throws -> OutputDestination {
        try checked { () throws(OutputError) in try OutputDestination.resolve(path ?? "-", rules: rules) }
    }

    /// Runs an output check, turning an ``OutputError`` into a one-line message and exit status 1.
    static func checked<T>(_ body: () throws(OutputError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            printError("songatlas: \(message(for: error))")
            throw ExitCode.failure
        }
    }

    /// `error` in the command's words: a foreign file is named with the flag that allows replacing it.
    static func message(for error: OutputError) -> String {
        if case .foreignFile = error { return "\(error); give --replace-foreign to replace it" }
        return "\(error)"
    }

    /// Names, one note each, the files of an earlier run that were kept because someone changed them.
    static func printKept(_ report: OutputSet.CommitReport?, folder: String) {
        for name in report?.keptChanged ?? [] {
            printError("songatlas: note: kept \(RawPath.display((folder as NSString).appendingPathComponent(name))): "
                + "written by an earlier run and changed since, so not removed; it is not part of this run's set")
        }
    }

    /// Writes the outputs of a run; on failure says that nothing was changed.
    static func writing<T>(product: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch OutputError.interrupted {
            throw interrupted(product: product)
        } catch let error as OutputError {
            if InterruptHandler.cancellation.isCancelled { throw interrupted(product: product) }
            if case .partiallyWritten = error {
                printError("songatlas: cannot write the \(product): \(error); run the command again to finish")
            } else {
                printError("songatlas: cannot write the \(product): \(message(for: error)); "
                    + "what was there before is unchanged")
            }
            throw ExitCode.failure
        }
    }

    /// Says that the run stopped on a signal, and gives the exit status to stop with (130, 143).
    static func interrupted(product: String) -> ExitCode {
        printError("songatlas: interrupted: no \(product) written; what was analysed is kept in the cache.")
        return ExitCode(InterruptHandler.exitStatus)
    }

    /// Says which files a command wrote, in the one voice of every writer: `songatlas: wrote a.txt, a.svg`
    /// on standard error (standard output may be carrying the result). Standard output is not named;
    /// nothing is said with `-q` or when nothing but standard output was written.
    static func printWrote(_ destinations: [OutputDestination], quiet: Bool) {
        guard !quiet, let line = wroteLine(destinations) else { return }
        printError(line)
    }

    /// The line ``printWrote(_:quiet:)`` prints, or nil when only standard output was written.
    static func wroteLine(_ destinations: [OutputDestination]) -> String? {
        let written = destinations.compactMap { destination -> String? in
            if case .standardOutput = destination.kind { return nil }
            return RawPath.display(destination.requested)
        }
        return written.isEmpty ? nil : "songatlas: wrote " + written.joined(separator: ", ")
    }

    /// Writes `text` to `destination` (see ``OutputDestination``); a signal exits with 130 or 143.
    static func emit(_ text: String, to destination: OutputDestination, product: String = "output",
                     quiet: Bool = false) throws {
        try writing(product: product) { try destination.write(text) }
        printWrote([destination], quiet: quiet)
    }
}

/// Ctrl-C and SIGTERM: the first signal asks every phase to stop (analysis
/// finishes the files in flight and keeps them in the cache; clustering and
/// map training stop at their next iteration; outputs not yet in place are
/// not written). Whatever has not stopped a second later is stopped: temporary
/// files are removed, unless outputs are being renamed into place (which takes
/// milliseconds and is let finish). A second signal stops at once. The exit
/// status is 128 + the signal: 130 for SIGINT, 143 for SIGTERM.
enum InterruptHandler {
    /// The cancellation every command passes into its library calls; the first signal cancels it.
    static let cancellation = Cancellation()
    /// The first signal received, 0 before any.
    private static let received = ReceivedSignal()
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    /// What the last message says was kept; commands that use the cache say so.
    nonisolated(unsafe) static var keptNote = "no output was written"

    /// How long the phases have to stop by themselves after the first signal.
    static let graceSeconds = 1.0

    static func install() {
        guard sources.isEmpty else { return }
        TemporaryFiles.removeLeftovers()
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if cancellation.isCancelled { stopNow() }
                _ = received.number.compareExchange(expected: 0, desired: signalNumber, ordering: .acquiringAndReleasing)
                cancellation.cancel()
                // Outputs not yet renamed into place are not written any more.
                TemporaryFiles.shared.refuseCommits()
                Terminal.printError("\nsongatlas: interrupted; stopping (press Ctrl-C again to quit now)")
                DispatchQueue.global().asyncAfter(deadline: .now() + graceSeconds) { stopNow() }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Ends the process with the signal's status, after any rename in progress.
    ///
    /// The last message is written from another thread: a full standard-error pipe
    /// must not keep the process alive.
    private static func stopNow() -> Never {
        TemporaryFiles.shared.refuseCommits()
        for _ in 0..<200 where TemporaryFiles.shared.isCommitting { usleep(50_000) }
        TemporaryFiles.shared.removeAll()
        let note = keptNote
        DispatchQueue.global().async { Terminal.printError("songatlas: stopped; \(note).") }
        usleep(100_000)
        _exit(exitStatus)
    }

    /// The exit status a shell expects after the signal that stopped the run: 128 + its number
    /// (130 for SIGINT, 143 for SIGTERM; 130 when none was received).
    static var exitStatus: Int32 {
        let number = received.number.load(ordering: .acquiring)
        return 128 + (number == 0 ? SIGINT : number)
    }

    /// Holds the first signal's number.
    private final class ReceivedSignal: Sendable {
        let number = Atomic<Int32>(0)
    }
}

/// A one-line progress display on standard error: count, rate, ETA, current file.
final class ProgressLine: Sendable {
    /// When the line was last drawn; held while drawing, so that two lines never interleave.
    private let lastDraw = Mutex(Date.distantPast)

    func update(_ progress: BatchProgress) {
        lastDraw.withLock { lastDraw in draw(progress, lastDraw: &lastDraw) }
    }

    private func draw(_ progress: BatchProgress, lastDraw: inout Date) {
        let now = Date()
        guard progress.completed == progress.total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let rate = progress.elapsedSeconds > 0 ? Double(progress.completed) / progress.elapsedSeconds : 0
        let remaining = rate > 0 ? Double(progress.total - progress.completed) / rate : 0
        let name = RawPath.display(URL(fileURLWithPath: progress.currentPath).lastPathComponent)
        let shortName = name.count > 40 ? "…" + name.suffix(39) : name
        let line = String(format: "[%d/%d] %.1f files/s, ETA %@  %@",
                          progress.completed, progress.total, rate, DurationText.clock(remaining), shortName)
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        if progress.completed == progress.total { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
