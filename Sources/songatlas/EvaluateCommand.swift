import ArgumentParser
import Clustering
import Export
import Foundation
import SongAtlas

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score playlists or segmentations against references.",
        subcommands: [EvaluateClustersCommand.self, EvaluateSegmentsCommand.self])
}

struct EvaluateClustersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusters",
        abstract: "Score an existing playlists.json against reference labels, or compare every clusterer on a library.",
        discussion: """
            Prints ARI, AMI, NMI, homogeneity, completeness and V-measure (each as scikit-learn computes it) \
            over the tracks that have a label. With --compare, analyses the music folders instead (through \
            the feature cache), runs every algorithm of 'playlists --algorithm' on them and prints one table: \
            ARI, AMI, V-measure, silhouette, number of playlists and time per algorithm.

            Examples:
              songatlas evaluate clusters playlists/playlists.json \\
                  --labels SampleAudio/labels.csv
              songatlas evaluate clusters playlists/playlists.json --labels-from-folders
              songatlas evaluate clusters --compare SampleAudio \\
                  --labels SampleAudio/labels.csv
            """)

    @Argument(help: ArgumentHelp("A playlists.json written by 'songatlas playlists'; with --compare, music folders or files.",
                                 valueName: "playlists.json|path"))
    var inputs: [String] = []

    @Flag(help: "Run every clusterer on the music in the paths and compare them.")
    var compare = false

    @OptionGroup(title: "With --compare") var comparison: CompareOptions

    @OptionGroup var labelOptions: LabelOptions

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        try requireNonEmptyPaths(inputs, flag: "the playlists.json or path argument")
        if labelOptions.labels == nil && !labelOptions.labelsFromFolders {
            throw ValidationError("give reference labels with --labels FILE.csv or --labels-from-folders")
        }
        if compare {
            if inputs.isEmpty { throw ValidationError("--compare needs music folders or files") }
        } else {
            if inputs.count != 1 { throw ValidationError("give one playlists.json (or --compare with music folders)") }
            if comparison.given { throw ValidationError("-k, --seed and the library options apply to --compare only") }
        }
    }

    func run() throws {
        if compare { return try comparison.run(paths: inputs, labelOptions: labelOptions, json: json) }
        let playlists = inputs[0]
        let document: PlaylistDocument
        do {
            document = try PlaylistDocument.read(playlists)
        } catch {
            Terminal.printError("songatlas: \(error)")
            throw ExitCode.failure
        }
        let (paths, clusters) = ReferenceLabels.assignments(in: document)
        guard let labels = try labelOptions.load(paths: paths),
              let (agreement, count) = ReferenceLabels.agreement(paths: paths, clusters: clusters, labels: labels) else {
            Terminal.printError("songatlas: no track in \(playlists) has a reference label")
            throw ExitCode.failure
        }
        if json {
            FileHandle.standardOutput.write(try JSONOutput.encoder().encode(PlaylistDocument.Agreement(agreement)) + Data("\n".utf8))
            return
        }
        print("tracks scored: \(count) of \(paths.count)")
        for (name, value) in [("ARI", agreement.adjustedRandIndex), ("AMI", agreement.adjustedMutualInformation),
                              ("NMI", agreement.normalizedMutualInformation), ("homogeneity", agreement.homogeneity),
                              ("completeness", agreement.completeness), ("V-measure", agreement.vMeasure)] {
            print(name.padding(toLength: 13, withPad: " ", startingAt: 0) + String(format: "%.6f", value))
        }
    }
}

struct EvaluateSegmentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segments",
        abstract: "Score an estimated segmentation against a reference one.",
        discussion: """
            Both files hold `start end label` lines (an Audacity label track or a .lab file), or the \
            JSON that 'songatlas segment' writes. Reports, as mir_eval 0.8 computes them: boundary \
            hit rate at 0.5 s and 3 s (with the first and last boundary, and trimmed without them), \
            pairwise frame-clustering precision, recall and F, and the normalised conditional \
            entropies (over- and under-segmentation).

            Example:
              songatlas evaluate segments \\
                  --reference SampleAudio/structured-abab.sections.tsv \\
                  --estimate abab.txt
            """)

    @Option(help: ArgumentHelp("The reference segmentation.", valueName: "file"))
    var reference: String

    @Option(help: ArgumentHelp("The estimated segmentation.", valueName: "file"))
    var estimate: String

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        try requireNonEmptyPath(reference, flag: "--reference")
        try requireNonEmptyPath(estimate, flag: "--estimate")
    }

    func run() throws {
        let referenceIntervals: [Section]
        let estimateIntervals: [Section]
        do {
            referenceIntervals = try SegmentFile.read(reference)
            estimateIntervals = try SegmentFile.read(estimate)
        } catch let error as SegmentFile.FormatError {
            Terminal.printError("songatlas: \(error)")
            throw ExitCode.failure
        }
        let scores = SegmentAgreement(reference: referenceIntervals, estimate: estimateIntervals)
        if json {
            FileHandle.standardOutput.write(try JSONOutput.encoder().encode(SegmentScoresDocument(scores)) + Data("\n".utf8))
            return
        }
        func row(_ name: String, _ value: PrecisionRecall) -> String {
            name.padding(toLength: 26, withPad: " ", startingAt: 0)
                + String(format: "P %.4f  R %.4f  F %.4f", value.precision, value.recall, value.fMeasure)
        }
        print(row("hit rate @0.5 s", scores.hitRate05))
        print(row("hit rate @0.5 s (trimmed)", scores.hitRate05Trimmed))
        print(row("hit rate @3 s", scores.hitRate3))
        print(row("hit rate @3 s (trimmed)", scores.hitRate3Trimmed))
        print(row("pairwise frames", scores.pairwise))
        print("entropy".padding(toLength: 26, withPad: " ", startingAt: 0)
            + String(format: "over %.4f  under %.4f  F %.4f", scores.overSegmentation, scores.underSegmentation,
                     scores.entropyF))
    }
}
