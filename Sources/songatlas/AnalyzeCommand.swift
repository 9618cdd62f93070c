import ArgumentParser
import Clustering
import Export
import FilePaths
import Foundation
import Library
import SongAtlas

struct AnalyzeCommand: ParsableCommand {

    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse tracks: tags, duration and a named feature vector per track.",
        discussion: """
            Folders are searched recursively for audio files (hidden files are skipped): \
            what libsndfile reads (WAV, AIFF, FLAC, Ogg, Opus, MP3, ...) and what FFmpeg reads \
            (M4A/MP4 with AAC or ALAC, WMA, WavPack, Monkey's Audio, Musepack, Matroska/WebM, AC-3, DSF/DFF, ...). \
            Other files are counted by extension in the summary (and in the JSON's "skippedFiles"). \
            Each track gets one record; each file that fails gets an error record and the run goes on. \
            The exit status is non-zero only if no file could be analysed.

            With a musicnn model installed ('songatlas model list'), each track also gets its learned \
            embedding (200 values per network; 400 for mtt+msd) and every tag with its probability.

            Examples:
              songatlas analyze SampleAudio
              songatlas analyze --format csv --excerpt 30 ~/Music -o features.csv
              songatlas analyze --highlight 20 song.flac
            """)

    @Argument(help: ArgumentHelp("Audio files or folders.", valueName: "path"))
    var paths: [String]

    @Option(help: "Output format.")
    var format: AnalysisReportWriter.Format = .json

    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var embeddingOptions: EmbeddingOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp(
        "Also choose each track's most representative excerpt (usually the chorus) of this many seconds "
            + "(up to 86400; 30 when --highlight is given alone), as segment --highlight does; the whole track is read for it.",
        valueName: "seconds"))
    var highlight: Double?

    func validate() throws {
        if let highlight { try requirePositiveSeconds(highlight, maximum: 86400, flag: "--highlight") }
    }

    func run() throws {
        InterruptHandler.install()
        let destination = try output.destination()
        let writer = try Terminal.checked { () throws(OutputError) in try destination.openWriter() }
        let embedding = embeddingOptions.prepare(quiet: analysis.quiet)
        let highlightSeconds = highlight
        let stream = StreamedReport(try AnalysisReportWriter(
            format: format, embedding: embedding.key, highlightColumns: highlightSeconds != nil
        ) { text in
            try writer.write(text)
        })
        let timeLimit = analysis.timeLimit.seconds
        let otherFiles = Atlas.analyze(
            paths: paths, excerptSeconds: analysis.excerpt, timeLimitSeconds: timeLimit,
            embedding: embedding.setup, jobs: analysis.jobs, progress: Terminal.progressReporter(quiet: analysis.quiet),
            cancellation: InterruptHandler.cancellation
        ) { record in
            var highlight: Highlight?
            if let highlightSeconds, case let .analyzed(track) = record {
                do {
                    highlight = try TrackSegmenter.highlight(path: track.path, seconds: highlightSeconds,
                                                             timeLimitSeconds: timeLimit)
                } catch {
                    if !analysis.quiet { Terminal.printError("songatlas: no highlight for \(track.path): \(error)") }
                }
            }
            stream.add(record, highlight: highlight, quiet: analysis.quiet)
        }
        if InterruptHandler.cancellation.isCancelled {
            writer.abandon()
            throw Terminal.interrupted(product: "report")
        }
        if stream.trackCount == 0, case .file = destination.kind {
            // Nothing analysed (a mistyped folder?): the file at -o keeps what it had.
            writer.abandon()
            Terminal.printError("songatlas: no file could be analysed; \(destination.requested) was not written")
            throw ExitCode.failure
        }
        do {
            try stream.finish(otherFiles: otherFiles)
            try writer.finish()
        } catch {
            writer.abandon()
            Terminal.printError("songatlas: cannot write the report: \(error)")
            throw ExitCode.failure
        }
        if !analysis.quiet {
            Terminal.printOtherFiles(otherFiles, verbose: analysis.verbose)
            Terminal.printError("songatlas: analysed \(stream.trackCount), failed \(stream.failureCount)"
                + (otherFiles.summary().map { ", " + $0 } ?? ""))
        }
        if stream.trackCount == 0 { throw ExitCode.failure }
    }
}

extension AnalysisReportWriter.Format: ExpressibleByArgument {}

/// The report being written, fed from the analysis workers one record at a time.
private final class StreamedReport: @unchecked Sendable {
    private let lock = NSLock()
    private let writer: AnalysisReportWriter
    private var firstError: Error?
    private(set) var trackCount = 0
    private(set) var failureCount = 0

    init(_ writer: AnalysisReportWriter) { self.writer = writer }

    func add(_ record: Atlas.Record, highlight: Highlight?, quiet: Bool) {
        lock.lock()
        defer { lock.unlock() }
        switch record {
        case let .analyzed(track):
            trackCount += 1
            if let note = track.durationNote, !quiet {
                Terminal.printError("songatlas: note: \(RawPath.display(track.path)): \(note); its length is taken as decoded")
            }
            guard firstError == nil else { return }
            do { try writer.append(track, highlight: highlight) } catch { firstError = error }
        case let .failed(failure):
            failureCount += 1
            writer.append(failure)
            if !quiet { Terminal.printError("songatlas: skipped \(RawPath.display(failure.path)): \(failure.error)") }
        }
    }

    /// Closes the document, or throws the first write error.
    func finish(otherFiles: OtherFiles) throws {
        lock.lock()
        defer { lock.unlock() }
        if let firstError { throw firstError }
        try writer.finish(otherFiles: otherFiles)
    }
}
