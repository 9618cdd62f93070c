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
        guard let line = liveProgress(quiet: quiet, unit: "files") else { return nil }
        return { progress in
            line.update(completed: progress.completed, total: progress.total, elapsedSeconds: progress.elapsedSeconds,
                        item: RawPath.display(URL(fileURLWithPath: progress.currentPath).lastPathComponent))
        }
    }

    /// The live progress line every long phase shares (analysis, segmenting many files, map
    /// training: `[12/20] 3.1 epochs/s, ETA 0:04`), or nil when it should stay quiet (asked to,
    /// or standard error is not a terminal).
    ///
    /// - Parameter unit: what is counted, plural (`files`, `epochs`).
    static func liveProgress(quiet: Bool, unit: String) -> LiveProgress? {
        guard !quiet && standardErrorIsTerminal else { return nil }
        return LiveProgress(unit: unit)
    }

    /// A progress callback for ``SelfOrganizingMap`` training (`map`), drawing the live line in
    /// epochs (batch) or songs drawn (online); nil when quiet or not on a terminal.
    static func trainingProgress(quiet: Bool, unit: String = "epochs") -> (@Sendable (Int, Int) -> Void)? {
        guard let line = liveProgress(quiet: quiet, unit: unit) else { return nil }
        return { completed, total in line.update(completed: completed, total: total) }
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

/// A live one-line progress display on standard error: count, rate, ETA and the current item,
/// redrawn in place at most ten times a second and cleared when the count reaches the total.
///
/// One line for every long phase (``Terminal/liveProgress(quiet:unit:)``); the ETA is the
/// remaining count at the rate so far, so it appears once something is done.
final class LiveProgress: Sendable {
    /// What is counted, plural: `files`, `epochs`.
    let unit: String
    private let start = Date()
    /// When the line was last drawn; held while drawing, so that two lines never interleave.
    private let lastDraw = Mutex(Date.distantPast)

    init(unit: String) { self.unit = unit }

    /// Draws `completed` of `total`.
    ///
    /// - Parameters:
    ///   - elapsedSeconds: time since the work started; default: since this line was made.
    ///   - item: what is being worked on (a file name), shortened to 40 characters; "" for none.
    func update(completed: Int, total: Int, elapsedSeconds: Double? = nil, item: String = "") {
        let elapsed = elapsedSeconds ?? Date().timeIntervalSince(start)
        lastDraw.withLock { lastDraw in
            let now = Date()
            guard completed >= total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = now
            var text = "\r\u{1B}[K" + Self.text(completed: completed, total: total, elapsedSeconds: elapsed,
                                                 unit: unit, item: item)
            if completed >= total { text += "\r\u{1B}[K" }
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// The line's text: `[3/18] 1.2 files/s, ETA 0:13  piano-01.flac`.
    static func text(completed: Int, total: Int, elapsedSeconds: Double, unit: String, item: String) -> String {
        let rate = elapsedSeconds > 0 ? Double(completed) / elapsedSeconds : 0
        let remaining = rate > 0 ? Double(max(0, total - completed)) / rate : 0
        let shortItem = item.count > 40 ? "…" + item.suffix(39) : item
        return String(format: "[%d/%d] %.1f %@/s, ETA %@", completed, total, rate, unit, DurationText.clock(remaining))
            + (shortItem.isEmpty ? "" : "  " + shortItem)
    }
}
