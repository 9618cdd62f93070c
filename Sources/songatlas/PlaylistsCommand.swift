import ArgumentParser
import Foundation
import SongAtlas

struct PlaylistsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playlists",
        abstract: "Turn a music folder into playlists of songs that belong together.",
        discussion: """
            Analyses every track (only new or changed ones: results are kept in a feature cache), \
            clusters them with k-means and writes one .m3u8 per playlist plus playlists.json and \
            playlists.csv to --out. Each playlist is ordered for smooth listening and named after \
            what sets it apart. The music itself is only read.

            Examples:
              songatlas playlists ~/Music
              songatlas playlists ~/Music -k 8 --seed 7 --out ~/Playlists
              songatlas playlists SampleAudio --labels SampleAudio/labels.csv --min-size 3
              songatlas playlists ~/Music --seed-song ~/Music/favourite.flac
            """)

    @Argument(help: ArgumentHelp("Music folders or files.", valueName: "path"))
    var paths: [String]

    @Option(name: [.short, .long], help: ArgumentHelp("Output folder.", valueName: "folder"))
    var out = "playlists"

    @Option(name: [.customShort("k"), .customLong("k")],
            help: ArgumentHelp("Number of playlists, or 'auto' to choose it by silhouette (2–12).", valueName: "n|auto"))
    var clusterCount = "auto"

    @Option(help: "k-means restarts; the best is kept.")
    var restarts = 10

    @Option(help: "k-means iterations per restart, at most.")
    var maxIterations = 300

    @Option(help: ArgumentHelp(
        "k-means convergence: stop when the centres move less than this (relative to the features' variance).",
        valueName: "tolerance"))
    var tolerance = 1e-4

    @Option(help: "Random seed: the same seed gives the same playlists.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Playlists smaller than this join their nearest neighbour.", valueName: "n"))
    var minSize = 2

    @Option(help: ArgumentHelp(
        "Feature group weights, e.g. timbre=1,harmony=0.5,rhythm=0.5,loudness=0.5,texture=1 (the defaults).",
        valueName: "weights"))
    var weights: String?

    @Option(help: ArgumentHelp("Make one playlist that starts from this track.", valueName: "file"))
    var seedSong: String?

    @Flag(help: "Print a JSON summary on standard output instead of text.")
    var json = false

    @OptionGroup var labelOptions: LabelOptions
    @OptionGroup var library: LibraryOptions

    func validate() throws {
        if clusterCount != "auto" {
            guard let k = Int(clusterCount), k >= 1 else {
                throw ValidationError("-k must be a positive whole number or 'auto', got \(clusterCount)")
            }
        }
        if restarts < 1 { throw ValidationError("--restarts must be at least 1, got \(restarts)") }
        if maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1, got \(maxIterations)") }
        if !(tolerance >= 0 && tolerance.isFinite) {
            throw ValidationError("--tolerance must be a number ≥ 0, got \(tolerance)")
        }
        if minSize < 1 { throw ValidationError("--min-size must be at least 1, got \(minSize)") }
        if let weights { _ = try Self.parseWeights(weights) }
    }

    static func parseWeights(_ text: String) throws -> FeatureWeights {
        var weights = FeatureWeights()
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let group = FeatureGroup(rawValue: pair[0]), let value = Double(pair[1]),
                  value >= 0, value.isFinite else {
                throw ValidationError("--weights: '\(part)' is not group=number with group one of "
                    + FeatureGroup.allCases.map(\.rawValue).joined(separator: ", "))
            }
            switch group {
            case .timbre: weights.timbre = value
            case .harmony: weights.harmony = value
            case .rhythm: weights.rhythm = value
            case .loudness: weights.loudness = value
            case .texture: weights.texture = value
            }
        }
        return weights
    }

    func run() throws {
        let quiet = library.analysis.quiet
        let analysis = try library.analyzeLibrary(paths, product: "playlists")

        var builder = PlaylistBuilder()
        builder.clusterCount = Int(clusterCount)
        builder.restarts = restarts
        builder.maximumIterations = maxIterations
        builder.tolerance = tolerance
        builder.seed = seed
        builder.minimumSize = minSize
        if let weights { builder.weights = try Self.parseWeights(weights) }
        if let jobs = library.analysis.jobs { builder.jobs = jobs }

        var seedIndex: Int?
        if let seedSong {
            let wanted = URL(fileURLWithPath: seedSong).standardizedFileURL.path
            seedIndex = analysis.tracks.firstIndex { URL(fileURLWithPath: $0.path).standardizedFileURL.path == wanted }
            if seedIndex == nil {
                Terminal.printError("songatlas: --seed-song \(seedSong) is not among the analysed tracks")
                throw ExitCode.validationFailure
            }
        }
        let set: PlaylistSet
        do {
            set = try builder.build(analysis.tracks, seedTrack: seedIndex)
        } catch let error as PlaylistBuilder.BuildError {
            Terminal.printError("songatlas: \(error)")
            throw ExitCode.validationFailure
        }
        let paths = analysis.tracks.map(\.path)
        let agreement = try labelOptions.load(paths: paths).flatMap {
            ReferenceLabels.agreement(paths: paths, clusters: set.labels, labels: $0)
        }
        let musicRoot = self.paths.count == 1 ? self.paths[0] : nil
        let document = try PlaylistWriter.write(set, to: out, musicRoot: musicRoot, agreement: agreement)

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(document) + Data("\n".utf8))
        } else {
            print(Self.summary(document, folder: out))
        }
        if !quiet { for note in set.notes { Terminal.printError("songatlas: note: \(note)") } }
    }

    static func summary(_ document: PlaylistDocument, folder: String) -> String {
        var lines: [String] = []
        if !document.kScores.isEmpty {
            lines.append("k chosen by silhouette: " + document.kScores.map {
                String(format: "k=%d %.3f", $0.k, $0.silhouette)
            }.joined(separator: ", "))
        }
        lines.append("\(document.playlists.count) playlist\(document.playlists.count == 1 ? "" : "s") in \(folder)/:")
        for playlist in document.playlists {
            let minutes = playlist.tracks.reduce(0) { $0 + $1.durationSeconds } / 60
            lines.append(String(format: "  %@  (%d tracks, %.0f min)", playlist.name, playlist.tracks.count, minutes))
        }
        let metrics = document.metrics
        if let silhouette = metrics.silhouette, let db = metrics.daviesBouldin, let ch = metrics.calinskiHarabasz,
           let inertia = metrics.inertia {
            lines.append(String(format: "silhouette %.3f, Davies–Bouldin %.3f, Calinski–Harabasz %.1f, inertia %.1f",
                                silhouette, db, ch, inertia))
        }
        if let agreement = metrics.agreement, let count = metrics.labelledTrackCount {
            lines.append(String(
                format: "against %d labelled tracks: ARI %.3f, AMI %.3f, NMI %.3f, homogeneity %.3f, completeness %.3f, V-measure %.3f",
                count, agreement.adjustedRandIndex, agreement.adjustedMutualInformation,
                agreement.normalizedMutualInformation, agreement.homogeneity, agreement.completeness, agreement.vMeasure))
        }
        return lines.joined(separator: "\n")
    }
}
