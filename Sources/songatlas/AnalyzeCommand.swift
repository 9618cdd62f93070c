import ArgumentParser
import Clustering
import Export
import FilePaths
import Foundation
import Library
import SongAtlas
import Synchronization

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

            Results go through the feature cache, as in playlists and map: a file analysed before and \
            unchanged since is not decoded again, so a second run on the same folder is near-instant. \
            --no-cache analyses everything and writes each record as it is ready; --highlight decodes \
            every file (highlights are not cached).

            Examples:
              songatlas analyze SampleAudio
              songatlas analyze --format csv --excerpt 30 ~/Music -o features.csv
              songatlas analyze --highlight 20 song.flac
              songatlas analyze ~/Music --shard 2/8 --cache shard-2.sqlite -o /dev/null
            """)

    @Argument(help: ArgumentHelp("Audio files or folders" + CueTrackPathHelp.suffix + ".", valueName: "path"))
    var paths: [String]

    @Option(help: "Output format: json (one document), csv, or jsonl (JSON Lines: one track per line, for Spark and other engines).")
    var format: AnalysisReportWriter.Format = .json

    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var embeddingOptions: EmbeddingOptions
    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp(
        "Also choose each track's most representative excerpt (usually the chorus) of this many seconds "
            + "(up to 86400; 30 when --highlight is given alone), as segment --highlight does, in the same pass "
            + "(with --excerpt, within the excerpt).",
        valueName: "seconds"))
    var highlight: Double?

    @Option(help: ArgumentHelp(
        "Analyse only shard I of N (1 ≤ I ≤ N ≤ 10000, counted from 1): the files whose path relative to the PATH "
            + "they were found under hashes (FNV-1a 64) to I; the same on every machine and mount point. "
            + "Give each shard its own --cache FILE and join them with 'songatlas cache merge'.",
        valueName: "I/N"),
        transform: { text in
            do { return try ShardSelection(parsing: text) } catch { throw ValidationError("\(error)") }
        })
    var shard: ShardSelection?

    func validate() throws {
        if let highlight { try requirePositiveSeconds(highlight, maximum: 86400, flag: "--highlight") }
    }

    func run() throws {
        InterruptHandler.install()
        let destination = try output.destination()
        let writer = try Terminal.checked { () throws(OutputError) in try destination.openWriter() }
        let embedding = embeddingOptions.prepare(quiet: analysis.quiet)
        let highlightSeconds = highlight
        let stream = try StreamedReport(output: writer, format: format, embedding: embedding.key,
                                        highlightColumns: highlightSeconds != nil)
        let timeLimit = analysis.timeLimit.seconds
        let quiet = analysis.quiet
        let progress = Terminal.progressReporter(quiet: quiet)
        let otherFiles: OtherFiles
        var fromCache: LibraryAnalysis?
        var shardTally: ShardTally?
        if highlightSeconds == nil, let cache = cacheOptions.openCache() {
            let library = Atlas.analyzeLibrary(
                paths: paths, cache: cache, excerptSeconds: analysis.excerpt, timeLimitSeconds: timeLimit,
                embedding: embedding.setup, jobs: analysis.jobs, progress: progress,
                cancellation: InterruptHandler.cancellation, readCueSheets: !analysis.ignoreCue, shard: shard)
            if !quiet { for problem in library.sheetProblems { Terminal.printError("songatlas: \(problem)") } }
            if library.interrupted {
                stream.abandon()
                Terminal.printError("songatlas: interrupted: \(library.analyzedCount) files analysed and kept in the cache; "
                    + "no report written. Run the same command again to go on.")
                throw ExitCode(InterruptHandler.exitStatus)
            }
            for note in library.cacheNotes { Terminal.printError("songatlas: \(note)") }   // even with --quiet
            // The order the streamed report has: tracks in scan order; failures, written last, in scan order.
            for track in library.tracks { stream.add(.analyzed(track), highlight: nil, quiet: quiet) }
            for failure in library.failures { stream.add(.failed(failure), highlight: nil, quiet: quiet) }
            otherFiles = library.otherFiles
            shardTally = library.shardTally
            fromCache = library
        } else if let highlightSeconds {
            otherFiles = Atlas.analyze(
                paths: paths, excerptSeconds: analysis.excerpt, timeLimitSeconds: timeLimit, embedding: embedding.setup,
                jobs: analysis.jobs, highlightSeconds: highlightSeconds, progress: progress,
                cancellation: InterruptHandler.cancellation, readCueSheets: !analysis.ignoreCue,
                sheetProblem: { problem in if !quiet { Terminal.printError("songatlas: \(problem)") } },
                shard: shard, sharded: { shardTally = $0 }
            ) { record, highlight in
                stream.add(record, highlight: highlight, quiet: quiet)
            }
        } else {
            otherFiles = Atlas.analyze(
                paths: paths, excerptSeconds: analysis.excerpt, timeLimitSeconds: timeLimit, embedding: embedding.setup,
                jobs: analysis.jobs, progress: progress, cancellation: InterruptHandler.cancellation,
                readCueSheets: !analysis.ignoreCue,
                sheetProblem: { problem in if !quiet { Terminal.printError("songatlas: \(problem)") } },
                shard: shard, sharded: { shardTally = $0 }
            ) { record in
                stream.add(record, highlight: nil, quiet: quiet)
            }
        }
        if InterruptHandler.cancellation.isCancelled {
            stream.abandon()
            throw Terminal.interrupted(product: "report")
        }
        // A shard that got none of the files found (more shards than files) did its part: not an error.
        let emptyShard = shardTally.map { $0.selectedFiles == 0 && $0.totalFiles > 0 } ?? false
        if stream.trackCount == 0, !emptyShard, case .file = destination.kind {
            // Nothing analysed (a mistyped folder?): the file at -o keeps what it had.
            stream.abandon()
            Terminal.printError("songatlas: no file could be analysed; \(destination.requested) was not written")
            throw ExitCode.failure
        }
        do {
            try stream.finish(otherFiles: otherFiles)
        } catch {
            stream.abandon()
            Terminal.printError("songatlas: cannot write the report: \(error)")
            throw ExitCode.failure
        }
        if !analysis.quiet {
            Terminal.printOtherFiles(otherFiles, verbose: analysis.verbose)
            // Without the cache's counts when nothing came from it, so a first run reads as it always did.
            let cached = fromCache.map { $0.cachedCount > 0 ? ", \($0.cachedCount) from the cache" : "" } ?? ""
            let dropped = fromCache.map { $0.removedCount > 0 ? ", dropped \($0.removedCount) gone from the cache" : "" } ?? ""
            Terminal.printError("songatlas: " + (shardTally.map { "\($0); " } ?? "") + "analysed \(stream.trackCount), failed \(stream.failureCount)\(cached)\(dropped)"
                + (otherFiles.summary().map { ", " + $0 } ?? ""))
        }
        Terminal.printWrote([destination], quiet: analysis.quiet)
        if stream.trackCount == 0 && !emptyShard { throw ExitCode.failure }
    }
}

extension AnalysisReportWriter.Format: ExpressibleByArgument {}

/// The report being written, fed from the analysis workers one record at a time: the document's
/// writer and the output it writes to, behind one lock.
private final class StreamedReport: Sendable {
    private struct State {
        let output: OutputWriter
        let report: AnalysisReportWriter
        var firstError: Error?
        var trackCount = 0
        var failureCount = 0
    }

    private let state: Mutex<State>

    /// A report in `format` written to `output` as records come.
    init(output: sending OutputWriter, format: AnalysisReportWriter.Format, embedding: FeatureSpace.EmbeddingKey?,
         highlightColumns: Bool) throws {
        let report = try AnalysisReportWriter(format: format, embedding: embedding, highlightColumns: highlightColumns) {
            try output.write($0)
        }
        state = Mutex(State(output: output, report: report))
    }

    var trackCount: Int { state.withLock { $0.trackCount } }
    var failureCount: Int { state.withLock { $0.failureCount } }

    func add(_ record: Atlas.Record, highlight: SegmentHighlight?, quiet: Bool) {
        state.withLock { state in
            switch record {
            case let .analyzed(track):
                state.trackCount += 1
                if let note = track.durationNote, !quiet {
                    Terminal.printError("songatlas: note: \(RawPath.display(track.path)): \(note); its length is taken as decoded")
                }
                guard state.firstError == nil else { return }
                do { try state.report.append(track, highlight: highlight) } catch { state.firstError = error }
            case let .failed(failure):
                state.failureCount += 1
                state.report.append(failure)
                if !quiet { Terminal.printError("songatlas: skipped \(RawPath.display(failure.path)): \(failure.error)") }
            }
        }
    }

    /// Closes the document and puts the output in place, or throws the first write error.
    func finish(otherFiles: OtherFiles) throws {
        try state.withLock { state in
            if let firstError = state.firstError { throw firstError }
            try state.report.finish(otherFiles: otherFiles)
            try state.output.finish()
        }
    }

    /// Leaves the destination as it was.
    func abandon() { state.withLock { $0.output.abandon() } }
}
