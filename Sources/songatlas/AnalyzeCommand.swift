import ArgumentParser
import Foundation
import SongAtlas

struct AnalyzeCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv }

    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse tracks: tags, duration and a named feature vector per track.",
        discussion: """
            Folders are searched recursively for audio files (hidden files are skipped). \
            Each track gets one record; each file that fails gets an error record and the run goes on. \
            The exit status is non-zero only if no file could be analysed.

            Examples:
              songatlas analyze SampleAudio
              songatlas analyze --format csv --excerpt 30 ~/Music -o features.csv
            """)

    @Argument(help: ArgumentHelp("Audio files or folders.", valueName: "path"))
    var paths: [String]

    @Option(help: "Output format.")
    var format: Format = .json

    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = Atlas.analyze(paths: paths, excerptSeconds: analysis.excerpt,
                                   timeLimitSeconds: analysis.timeLimit.seconds, jobs: analysis.jobs,
                                   progress: Terminal.progressReporter(quiet: analysis.quiet))
        let text = format == .json ? try report.renderedJSON() : report.renderedCSV()
        try Terminal.emit(text, to: output.output)
        if !analysis.quiet {
            for failure in report.failures { Terminal.printError("songatlas: skipped \(failure.path): \(failure.error)") }
            Terminal.printError("songatlas: analysed \(report.tracks.count), failed \(report.failures.count)")
        }
        if report.tracks.isEmpty { throw ExitCode.failure }
    }
}
