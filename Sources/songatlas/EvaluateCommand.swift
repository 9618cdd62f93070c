import ArgumentParser
import Foundation
import SongAtlas

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score results against reference labels.",
        subcommands: [EvaluateClustersCommand.self])
}

struct EvaluateClustersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusters",
        abstract: "Score an existing playlists.json against reference labels.",
        discussion: """
            Prints ARI, AMI, NMI, homogeneity, completeness and V-measure (each as scikit-learn computes it) \
            over the tracks that have a label.

            Examples:
              songatlas evaluate clusters playlists/playlists.json --labels SampleAudio/labels.csv
              songatlas evaluate clusters playlists/playlists.json --labels-from-folders
            """)

    @Argument(help: ArgumentHelp("A playlists.json written by 'songatlas playlists'.", valueName: "playlists.json"))
    var playlists: String

    @OptionGroup var labelOptions: LabelOptions

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if labelOptions.labels == nil && !labelOptions.labelsFromFolders {
            throw ValidationError("give reference labels with --labels FILE.csv or --labels-from-folders")
        }
    }

    func run() throws {
        let document: PlaylistDocument
        do {
            document = try JSONDecoder().decode(PlaylistDocument.self, from: Data(contentsOf: URL(fileURLWithPath: playlists)))
        } catch {
            Terminal.printError("songatlas: \(playlists): not a playlists.json written by songatlas (\(error.localizedDescription))")
            throw ExitCode.failure
        }
        var paths: [String] = []
        var clusters: [Int] = []
        for (index, playlist) in document.playlists.enumerated() {
            // Paths in playlists.json are as given to 'playlists', relative to where it ran.
            for track in playlist.tracks {
                paths.append(track.path)
                clusters.append(index)
            }
        }
        guard let labels = try labelOptions.load(paths: paths),
              let (agreement, count) = ReferenceLabels.agreement(paths: paths, clusters: clusters, labels: labels) else {
            Terminal.printError("songatlas: no track in \(playlists) has a reference label")
            throw ExitCode.failure
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(agreement) + Data("\n".utf8))
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
