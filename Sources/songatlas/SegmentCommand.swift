import ArgumentParser
import AudioDecoding
import Clustering
import Export
import FilePaths
import Foundation
import Library
import SongAtlas

struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Split tracks into sections and label the repeats (A B A C …).",
        discussion: """
            The default structure method compares every moment of the track with its \
            neighbourhood (a self-similarity band), finds the cuts where a checkerboard novelty \
            curve peaks, and labels sections that sound alike with the same letter. --method kmeans \
            is the simpler block k-means method. --format audacity writes a label track that \
            Audacity imports with File > Import > Labels. --plot draws the self-similarity matrix, \
            the novelty curve and the sections on one time axis.

            Several files or folders (searched recursively) need --out DIR: it gets one label file per \
            track named after the track (Song.flac gives Song.txt; Song.json or Song.csv with --format), \
            one plot per track with --plot html|svg, and sections.json describing the whole run. Tracks \
            that share a name are told apart by their folders (Album A - Song.txt). The files land \
            together or not at all, files in DIR that SongAtlas did not write are never replaced \
            (unless --replace-foreign), and a file that cannot be segmented is listed in \
            sections.json while the rest go on. Each track is decoded once; its song summary is \
            stored in the feature cache as it goes (segmenting needs frame features, which the \
            cache does not keep).

            A path written FILE.cue#N or FILE.flac#N is track N of a cue sheet: only its range of \
            the file is segmented, section times count from the track's start, and the JSON (track, \
            start, end, sheet) and a first Audacity label say which track it is. With --out, files a \
            cue sheet describes are segmented track by track (Album.flac track 3 gives Album - 03.txt) \
            unless --ignore-cue.

            Examples:
              songatlas segment SampleAudio/structured-abab.flac
              songatlas segment song.flac --format audacity -o song-labels.txt \\
                  --plot song.html
              songatlas segment mix.flac --min-section 30 --format csv
              songatlas segment song.flac --format audacity --highlight 20
              songatlas segment ~/Music/Album --out labels --plot html --highlight
              songatlas segment Album.cue#3 --format audacity -o track3.txt
            """)

    @Argument(help: ArgumentHelp("An audio file; or files and folders with --out" + CueTrackPathHelp.suffix + ".",
                                 valueName: "path"))
    var paths: [String]

    @Option(help: ArgumentHelp(
        "Write one label file per track, plots and sections.json to this folder (for several files or folders).",
        valueName: "dir"))
    var out: String?

    @Option(help: "Segmentation method.")
    var method: SegmentationMethod = .structure

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Number of sections, 1–1000 (kmeans: of distinct labels); default: chosen from the track.", valueName: "n"))
    var sections: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Shortest section, in seconds (up to 86400).", valueName: "seconds"))
    var minSection = 4.0

    @Option(help: "Output format (default: json; audacity with --out).")
    var format: SegmentFormat?

    @Option(help: ArgumentHelp(
        "Also draw the segmentation to this .svg or .html file; with --out, html or svg for one plot per track.",
        valueName: "file"))
    var plot: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Analyse only this many seconds (up to 1000000) from the middle of the track (default: the whole track).", valueName: "seconds"))
    var excerpt: Double?

    @Option(help: ArgumentHelp(
        "Also choose the track's most representative excerpt (usually the chorus) of this many seconds "
            + "(up to 86400; 30 when --highlight is given alone), with a one-line reason: in the JSON, as a CSV row "
            + "and as an Audacity label named highlight.",
        valueName: "seconds"))
    var highlight: Double?

    @OptionGroup var timeLimit: TimeLimitOptions

    @Option(parsing: .unconditional, help: "Random seed (kmeans; 0–18446744073709551615).")
    var seed: UInt64 = 0

    @Option(name: [.short, .long], parsing: .unconditional,
            help: "With --out: worker threads, 1–256 (default: number of cores).")
    var jobs: Int?

    @Flag(name: [.short, .long], help: "No progress, summary or 'wrote' line on standard error.")
    var quiet = false

    @Option(help: ArgumentHelp(
        "With --out: the feature cache to store summaries in (default as for playlists).", valueName: "path"))
    var cache: String?

    @Flag(help: "With --out: do not write the feature cache.")
    var noCache = false

    @Flag(help: "With --out: segment files that cue sheets describe whole, not track by track.")
    var ignoreCue = false

    @OptionGroup var output: OutputOptions

    /// Several files, or a folder: the run writes an output set to --out.
    private var isRun: Bool { out != nil }

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give an audio file, or files and folders with --out") }
        try requireNonEmptyPath(out, flag: "--out")
        try requireNonEmptyPath(cache, flag: "--cache")
        if let jobs { try requireRange(jobs, 1...256, flag: "--jobs") }
        if let excerpt { try requirePositiveSeconds(excerpt, maximum: DecodeOptions.maximumExcerptSeconds, flag: "--excerpt") }
        if let highlight { try requirePositiveSeconds(highlight, maximum: 86400, flag: "--highlight") }
        if let sections { try requireRange(sections, 1...1000, flag: "--sections") }
        try requirePositiveSeconds(minSection, maximum: 86400, flag: "--min-section")
        if isRun {
            try requireNonEmptyPaths(paths, flag: "the path argument")
            if output.output != nil { throw ValidationError("--out writes a folder; -o is for one file without --out") }
            if let plot, SegmentPlotKind(rawValue: plot.lowercased()) == nil {
                throw ValidationError("with --out, --plot must be html or svg, got \(plot)")
            }
            return
        }
        if paths.count > 1 {
            throw ValidationError("\(paths.count) paths need --out DIR for their label files")
        }
        for (flag, given) in [("--jobs", jobs != nil), ("--cache", cache != nil), ("--no-cache", noCache),
                              ("--ignore-cue", ignoreCue)]
            where given {
            throw ValidationError("\(flag) applies to --out only")
        }
        try validateOneFile()
    }

    /// The rules of `segment FILE`, as they were before runs of many files.
    private func validateOneFile() throws {
        try requireNonEmptyPath(paths[0], flag: "the file argument")
        try requireNonEmptyPath(plot, flag: "--plot")
        if let plot, !(plot.lowercased().hasSuffix(".svg") || plot.lowercased().hasSuffix(".html")) {
            throw ValidationError("--plot must name a .svg or .html file, got \(plot)")
        }
    }

    func run() throws {
        if isRun { try runMany() } else { try runOne() }
    }

    /// The segmenter the options describe.
    private var segmenter: TrackSegmenter {
        var segmenter = TrackSegmenter()
        segmenter.method = method
        segmenter.sectionCount = sections
        segmenter.minimumSectionSeconds = minSection
        segmenter.seed = seed
        segmenter.highlightSeconds = highlight
        return segmenter
    }

    /// `segment PATH... --out DIR`: one library call that writes the whole set.
    private func runMany() throws {
        InterruptHandler.install()
        InterruptHandler.keptNote = "no sections written; files analysed so far are kept in the cache"
        guard let out else { return }
        var featureCache: FeatureCache?
        if !noCache {
            let opened = Atlas.openCache(at: cache ?? FeatureCache.defaultPath)
            featureCache = opened.cache
            if let refusal = opened.refusal { Terminal.printError("songatlas: \(refusal). Going on without a cache.") }
        }
        var request = SegmentRunRequest()
        request.segmenter = segmenter
        request.format = format ?? .audacity
        request.plot = plot.flatMap { SegmentPlotKind(rawValue: $0.lowercased()) }
        request.excerptSeconds = excerpt
        request.timeLimitSeconds = timeLimit.seconds
        request.jobs = jobs
        request.readCueSheets = !ignoreCue
        let run: SegmentRun
        do {
            run = try Terminal.writing(product: "sections") {
                try Atlas.segment(paths: paths, request: request, to: out, rules: output.ownership.rules, cache: featureCache,
                                  progress: Terminal.progressReporter(quiet: quiet),
                                  cancellation: InterruptHandler.cancellation,
                                  waiting: quiet ? nil : { Terminal.printError("songatlas: \($0)") })
            }
        } catch SegmentRunError.cancelled {
            throw Terminal.interrupted(product: "sections")
        } catch let error as SegmentRunError {
            Terminal.printError("songatlas: \(error)")
            throw ExitCode.failure
        }
        Terminal.printKept(run.commit, folder: out)
        if !quiet { for problem in run.sheetProblems { Terminal.printError("songatlas: \(problem)") } }
        for failure in run.document.errors {
            Terminal.printError("songatlas: skipped \(RawPath.display(failure.path)): \(failure.error)")
        }
        if !quiet {
            for track in run.document.tracks {
                for note in track.segmentation.notes {
                    Terminal.printError("songatlas: note: \(RawPath.display(track.segmentation.path)): \(note)")
                }
            }
            Terminal.printError("songatlas: segmented \(run.document.tracks.count), failed \(run.document.errors.count)"
                + (run.otherFiles.summary().map { ", " + $0 } ?? "") + "; wrote \(out)")
        }
    }

    /// `segment FILE`: one track to one output (standard output or -o), and a plot file.
    private func runOne() throws {
        let file = paths[0]
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), isFolder.boolValue {
            Terminal.printError("songatlas: \(RawPath.display(file)) is a folder: segment a folder with --out DIR "
                + "(one label file per track)")
            throw ExitCode.failure
        }
        if let sheet = Atlas.wholeSheetArgument(file) {
            Terminal.printError("songatlas: \(RawPath.display(file)): \(sheet.error); or segment every track with --out DIR")
            throw ExitCode.failure
        }
        InterruptHandler.install()
        // Both outputs are checked before the work, so a bad path (or one path for both) fails at once.
        let destination = try output.destination()
        let plotDestination = try plot.map { try Terminal.destination($0, rules: output.ownership.rules) }
        try Terminal.checked { () throws(OutputError) in
            try OutputDestination.requireDistinct([destination] + (plotDestination.map { [$0] } ?? []))
        }
        let song: ScannedSong
        do {
            song = try CueSheetSeed.parse(file).song() ?? ScannedSong(path: file)
        } catch let error as CueSheetSeedError {
            Terminal.printError("songatlas: \(error)")
            throw ExitCode.failure
        } catch {
            Terminal.printError("songatlas: \(RawPath.display(file)): \(error)")
            throw ExitCode.failure
        }
        let document: SegmentationDocument
        let picture: SegmentPlot
        do {
            (document, picture) = try Atlas.segment(song: song, segmenter: segmenter, excerptSeconds: excerpt,
                                                    timeLimitSeconds: timeLimit.seconds,
                                                    cancellation: InterruptHandler.cancellation)
        } catch ClusteringError.cancelled {
            throw Terminal.interrupted(product: "sections")
        } catch let error as DecodingError {
            Terminal.printError("songatlas: \(error)")
            throw ExitCode.failure
        }
        let text = try document.rendered(as: format ?? .json)
        // The segmentation and its plot land together or not at all.
        var outputs = [(destination: destination, data: Data(text.utf8))]
        if let plot, let plotDestination {
            outputs.append((plotDestination, Data((plot.lowercased().hasSuffix(".svg") ? picture.svg() : picture.html()).utf8)))
        }
        try Terminal.writing(product: "segmentation") { try OutputDestination.writeTogether(outputs) }
        Terminal.printWrote(outputs.map(\.destination), quiet: quiet)
        for note in document.notes { Terminal.printError("songatlas: note: \(note)") }
    }
}


extension SegmentationMethod: ExpressibleByArgument {}
extension SegmentFormat: ExpressibleByArgument {}
