import ArgumentParser
import AudioDecoding
import Clustering
import Export
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
              songatlas segment song.flac --format audacity --highlight 20
            """)

    @Argument(help: ArgumentHelp("An audio file.", valueName: "file"))
    var file: String

    @Option(help: "Segmentation method.")
    var method: SegmentationMethod = .structure

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Number of sections, 1–1000 (kmeans: of distinct labels); chosen automatically if omitted.", valueName: "n"))
    var sections: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Shortest section, in seconds (up to 86400).", valueName: "seconds"))
    var minSection = 4.0

    @Option(help: "Output format.")
    var format: Format = .json

    @Option(help: ArgumentHelp("Also draw the segmentation to this .svg or .html file.", valueName: "file"))
    var plot: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Analyse only this many seconds (up to 1000000) from the middle of the track.", valueName: "seconds"))
    var excerpt: Double?

    @Option(help: ArgumentHelp(
        "Also choose the track's most representative excerpt (usually the chorus) of this many seconds "
            + "(up to 86400; 30 when --highlight is given alone): in the JSON and as an Audacity label named highlight.",
        valueName: "seconds"))
    var highlight: Double?

    @OptionGroup var timeLimit: TimeLimitOptions

    @Option(parsing: .unconditional, help: "Random seed (kmeans; 0–18446744073709551615).")
    var seed: UInt64 = 0

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let sections { try requireRange(sections, 1...1000, flag: "--sections") }
        try requirePositiveSeconds(minSection, maximum: 86400, flag: "--min-section")
        if let excerpt { try requirePositiveSeconds(excerpt, maximum: DecodeOptions.maximumExcerptSeconds, flag: "--excerpt") }
        if let highlight { try requirePositiveSeconds(highlight, maximum: 86400, flag: "--highlight") }
        try requireNonEmptyPath(file, flag: "the file argument")
        try requireNonEmptyPath(plot, flag: "--plot")
        if let plot, !(plot.lowercased().hasSuffix(".svg") || plot.lowercased().hasSuffix(".html")) {
            throw ValidationError("--plot must name a .svg or .html file, got \(plot)")
        }
    }

    func run() throws {
        InterruptHandler.install()
        // Both outputs are checked before the work, so a bad path (or one path for both) fails at once.
        let destination = try output.destination()
        let plotDestination = try plot.map { try Terminal.destination($0, rules: output.ownership.rules) }
        try Terminal.checked { () throws(OutputError) in
            try OutputDestination.requireDistinct([destination] + (plotDestination.map { [$0] } ?? []))
        }
        var segmenter = TrackSegmenter()
        segmenter.method = method
        segmenter.sectionCount = sections
        segmenter.minimumSectionSeconds = minSection
        segmenter.seed = seed
        segmenter.highlightSeconds = highlight
        let document: SegmentationDocument
        let picture: SegmentPlot
        do {
            (document, picture) = try Atlas.segment(path: file, segmenter: segmenter, excerptSeconds: excerpt,
                                                    timeLimitSeconds: timeLimit.seconds,
                                                    cancellation: InterruptHandler.cancellation)
        } catch ClusteringError.cancelled {
            throw Terminal.interrupted(product: "sections")
        } catch let error as DecodingError {
            Terminal.printError("songatlas: \(error)")
            throw ExitCode.failure
        }
        let text: String
        switch format {
        case .json: text = try document.renderedJSON()
        case .csv: text = document.renderedCSV()
        case .audacity: text = document.renderedAudacityLabels()
        }
        // The segmentation and its plot land together or not at all.
        var outputs = [(destination: destination, data: Data(text.utf8))]
        if let plot, let plotDestination {
            outputs.append((plotDestination, Data((plot.lowercased().hasSuffix(".svg") ? picture.svg() : picture.html()).utf8)))
        }
        try Terminal.writing(product: "segmentation") { try OutputDestination.writeTogether(outputs) }
        for note in document.notes { Terminal.printError("songatlas: note: \(note)") }
    }
}


extension SegmentationMethod: ExpressibleByArgument {}
