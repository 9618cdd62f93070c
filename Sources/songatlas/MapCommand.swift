import ArgumentParser
import AudioDecoding
import Clustering
import Export
import Foundation
import SongAtlas

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Draw the collection as a song map: a self-organizing map where similar songs sit together.",
        discussion: """
            Writes --out (an interactive page that works offline: the U-matrix as a landscape where \
            darker means alike, one dot per song coloured by playlist, hover for the title, click to \
            play, search, zoom and pan) and, next to it, a static .svg, a .json with every song's grid \
            position, the codebook and the U-matrix, and a .csv. Shares the feature cache with \
            'playlists'.

            Examples:
              songatlas map ~/Music --out map.html
              songatlas map SampleAudio --out SampleAudio/map.html \\
                  --topology hexagonal --grid 8x6
            """)

    @Argument(help: ArgumentHelp("Music folders or files" + CueTrackPathHelp.suffix + ".", valueName: "path"))
    var paths: [String]

    @Option(name: [.short, .long], help: ArgumentHelp("The page to write; .svg, .json and .csv go next to it.",
                                                      valueName: "file.html"))
    var out = "map.html"

    @Option(help: ArgumentHelp("Grid size as WIDTHxHEIGHT with 2 to 250000 units, or 'auto' (about 5·√songs units).",
                               valueName: "WxH|auto"))
    var grid = GridArgument.automatic

    @Option(help: "Grid topology.")
    var topology: SOMTopology = .rectangular

    @Option(help: "Training: batch (PCA start, shrinking Gaussian neighbourhood) or online (one song at a time).")
    var method: SOMTraining = .batch

    @Option(parsing: .unconditional, help: "Random seed (0–18446744073709551615): the same seed gives the same map.")
    var seed: UInt64 = 0

    @Flag(help: "Print map.json's summary (without codebook) on standard output.")
    var json = false

    @Option(name: [.customShort("k"), .customLong("k")], parsing: .unconditional,
            help: ArgumentHelp("Playlists to colour by (1–1000), or 'auto', as 'playlists -k'.", valueName: "n|auto"))
    var clusterCount = ClusterCountArgument.automatic

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Playlists smaller than this (1–1000000) join their nearest neighbour, as 'playlists --min-size'.",
        valueName: "n"))
    var minSize = 2

    @Option(help: ArgumentHelp("Feature group weights from 0 to 1000, as 'playlists --weights' (default: timbre=1,harmony=0.5,rhythm=0.5,loudness=0.5,texture=1).", valueName: "weights"))
    var weights: WeightsArgument?

    @Option(help: ArgumentHelp(
        "Colour the dots by the playlists kept in this folder (its playlists.json); by default the map clusters afresh.",
        valueName: "folder"))
    var playlists: String?

    @OptionGroup var featureChoice: FeatureChoiceOptions
    @OptionGroup(title: "Colouring by playlist") var clusterer: ClustererOptions
    @OptionGroup var library: LibraryOptions
    @OptionGroup var copies: CopiesOptions
    @OptionGroup var ownership: ReplaceForeignOptions
    @OptionGroup(title: "The page") var page: MapPageOptions

    func validate() throws {
        try requireNonEmptyPath(out, flag: "--out")
        try grid.validate()
        if !out.lowercased().hasSuffix(".html") { throw ValidationError("--out must name an .html file, got \(out)") }
        try clusterCount.validate()
        try requireRange(minSize, 1...1_000_000, flag: "--min-size")
        try weights?.validate()
        try requireNonEmptyPath(playlists, flag: "--playlists")
        if clusterCount.count != nil { try clusterer.refuseUnused([("-k", .clusterCount)]) }
    }

    func run() throws {
        let quiet = library.analysis.quiet
        InterruptHandler.install()
        // Checked before the analysis, so a bad --out fails at once.
        let output = try Terminal.checked { () throws(OutputError) in try SongMapWriter.outputSet(htmlPath: out, rules: ownership.rules) }
        var kept: PlaylistDocument?
        if let playlists {
            do {
                kept = try PlaylistDocument.read((playlists as NSString).appendingPathComponent("playlists.json"))
            } catch {
                Terminal.printError("songatlas: --playlists \(playlists): \(error)")
                throw ExitCode.validationFailure
            }
        }
        let embedding = library.embedding.prepare(quiet: quiet)
        let analysis = try library.analyzeLibrary(paths, product: "map", embedding: embedding, oneCopy: copies)
        var playlistBuilder = PlaylistBuilder()
        playlistBuilder.seed = seed
        playlistBuilder.space = featureChoice.space(embedding, weights: weights?.weights)
        playlistBuilder.clusterCount = clusterCount.count
        playlistBuilder.minimumSize = minSize
        playlistBuilder.clustering = clusterer.clustering()
        playlistBuilder.countStrategy = clusterer.chooseK
        var builder = SongMapBuilder()
        builder.topology = topology
        builder.training = method
        builder.seed = seed
        builder.grid = grid.size
        builder.neighbourCount = page.neighbours
        builder.trainingProgress = Terminal.trainingProgress(quiet: quiet, unit: method == .batch ? "epochs" : "songs")
        if let jobs = library.analysis.jobs {
            builder.jobs = jobs
            playlistBuilder.jobs = jobs
        }
        let map: SongMapDocument
        do {
            if let kept {
                map = try Atlas.songMap(analysis.tracks, builder: builder, space: playlistBuilder.space,
                                        keptPlaylists: kept, cancellation: InterruptHandler.cancellation)
            } else {
                map = try Atlas.songMap(analysis.tracks, builder: builder, playlists: playlistBuilder,
                                        cancellation: InterruptHandler.cancellation)
            }
        } catch let PlaylistBuilder.BuildError.invalidParameter(name, value, requirement) where name == "grid" {
            Terminal.printError("songatlas: --grid \(value) \(requirement)")
            throw ExitCode.validationFailure
        } catch ClusteringError.cancelled {
            throw Terminal.interrupted(product: "map")
        } catch let error as ClusteringError {
            Terminal.printError("songatlas: --algorithm \(clusterer.algorithm.rawValue): \(error)")
            throw ExitCode.failure
        }
        let title = "Song map of " + (paths.count == 1 ? URL(fileURLWithPath: paths[0]).lastPathComponent : "\(paths.count) folders")
        var previews: PreviewSetBuilder.Result?
        if let choice = page.previews {
            guard let format = PreviewEncoder.availableFormat else {
                Terminal.printError("songatlas: --previews: this FFmpeg has neither the Opus nor the MP3 encoder")
                throw ExitCode.failure
            }
            // --no-cache: previews are encoded into a folder of this run only.
            let scratch = library.noCache ? NSTemporaryDirectory() + "songatlas-previews-\(getpid())" : nil
            defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
            let builder = PreviewSetBuilder(choice: choice, seconds: page.previewSeconds, format: format,
                                            cache: scratch.map { PreviewCache(folder: $0) } ?? PreviewCache())
            previews = try Terminal.writing(product: "map") { try builder.build(map.songs, htmlPath: out, rules: ownership.rules) }
            for failure in previews?.failures ?? [] { Terminal.printError("songatlas: \(failure)") }
        }
        let written = try Terminal.writing(product: "map") {
            try SongMapWriter.write(map, htmlPath: out, to: output, musicRoot: paths.count == 1 ? paths[0] : nil, title: title,
                                    waiting: quiet ? nil : { Terminal.printError("songatlas: \($0)") },
                                    previews: previews?.previews ?? [:], previewSet: previews?.set)
        }
        Terminal.printKept(output.report, folder: output.folder)
        let summary = String(format: "%d songs on a %d×%d %@ map (%@): quantisation error %.3f, topographic error %.3f",
                             map.songs.count, map.width, map.height, map.topology.rawValue,
                             map.training.rawValue, map.quantizationError, map.topographicError ?? 0)
        if json {
            let encoder = JSONOutput.encoder()
            struct Summary: Encodable {
                var songs, width, height: Int
                var topology, training: String
                var quantizationError: Double
                var topographicError: Double?
                var files: [String]
                var notes: [String]
            }
            let value = Summary(songs: map.songs.count, width: map.width, height: map.height,
                                topology: map.topology.rawValue, training: map.training.rawValue,
                                quantizationError: map.quantizationError, topographicError: map.topographicError,
                                files: written, notes: map.notes)
            FileHandle.standardOutput.write(try encoder.encode(value) + Data("\n".utf8))
        } else {
            print(summary)
            print("wrote " + written.joined(separator: ", "))
        }
        if !quiet { for note in map.notes { Terminal.printError("songatlas: note: \(note)") } }
    }
}

extension SOMTopology: ExpressibleByArgument {}
extension SOMTraining: ExpressibleByArgument {}
