import ArgumentParser
import Foundation
import SongAtlas

struct SegmentCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv, audacity }

    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Split one track into sections and label the repeats (A B A C …).",
        discussion: """
            The default structure method compares every moment of the track with its \
            neighbourhood (a self-similarity band), finds the cuts where a checkerboard novelty \
            curve peaks, and labels sections that sound alike with the same letter. --method kmeans \
            is the simpler block k-means method. --format audacity writes a label track that \
            Audacity imports with File > Import > Labels. --plot draws the self-similarity matrix, \
            the novelty curve and the sections on one time axis.

            Examples:
              songatlas segment SampleAudio/structured-abab.flac
              songatlas segment song.flac --format audacity -o song-labels.txt --plot song.html
              songatlas segment mix.flac --min-section 30 --format csv
            """)

    @Argument(help: ArgumentHelp("An audio file.", valueName: "file"))
    var file: String

    @Option(help: "Segmentation method.")
    var method: SegmentationMethod = .structure

    @Option(help: ArgumentHelp("Number of sections (kmeans: of distinct labels); chosen automatically if omitted.",
                               valueName: "n"))
    var sections: Int?

    @Option(help: ArgumentHelp("Shortest section, in seconds.", valueName: "seconds"))
    var minSection = 4.0

    @Option(help: "Output format.")
    var format: Format = .json

    @Option(help: ArgumentHelp("Also draw the segmentation to this .svg or .html file.", valueName: "file"))
    var plot: String?

    @Option(help: ArgumentHelp("Analyse only this many seconds from the middle of the track.", valueName: "seconds"))
    var excerpt: Double?

    @OptionGroup var timeLimit: TimeLimitOptions

    @Option(help: "Random seed (kmeans).")
    var seed: UInt64 = 0

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let sections, sections < 1 { throw ValidationError("--sections must be at least 1, got \(sections)") }
        if !(minSection > 0 && minSection.isFinite) {
            throw ValidationError("--min-section must be a positive number of seconds, got \(minSection)")
        }
        if let excerpt, !(excerpt > 0 && excerpt.isFinite) {
            throw ValidationError("--excerpt must be a positive number of seconds, got \(excerpt)")
        }
        if let plot, !(plot.lowercased().hasSuffix(".svg") || plot.lowercased().hasSuffix(".html")) {
            throw ValidationError("--plot must name a .svg or .html file, got \(plot)")
        }
    }

    func run() throws {
        var segmenter = TrackSegmenter()
        segmenter.method = method
        segmenter.sectionCount = sections
        segmenter.minimumSectionSeconds = minSection
        segmenter.seed = seed
        let result: TrackSegmenter.Result
        do {
            result = try segmenter.segment(path: file, excerptSeconds: excerpt, timeLimitSeconds: timeLimit.seconds)
        } catch let error as DecodingError {
            Terminal.printError("songatlas: \(error)")
            throw ExitCode.failure
        }
        let document = SegmentationDocument(path: file, method: method, result: result)
        let text: String
        switch format {
        case .json: text = try document.renderedJSON()
        case .csv: text = document.renderedCSV()
        case .audacity: text = document.renderedAudacityLabels()
        }
        try Terminal.emit(text, to: output.output)
        if let plot {
            let picture = SegmentPlot(
                title: URL(fileURLWithPath: file).lastPathComponent, durationSeconds: result.durationSeconds,
                sections: document.sections.map { SegmentPlot.Span(start: $0.start, end: $0.end, label: $0.label) },
                novelty: Array(zip(result.segmentation.noveltyTimes, result.segmentation.novelty)),
                similarityCells: result.overviewCells, similarity: result.overview)
            try AtomicFile.write(plot.lowercased().hasSuffix(".svg") ? picture.svg() : picture.html(), to: plot)
        }
        for note in document.notes { Terminal.printError("songatlas: note: \(note)") }
    }
}

extension SegmentationMethod: ExpressibleByArgument {}
