import ArgumentParser
import Clustering
import Export
import Foundation
import SongAtlas

struct PathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "path",
        abstract: "A sequence of songs that moves from one song to another in even, small steps.",
        discussion: """
            Joins FROM, each --via song and TO by straight lines in feature space, spreads the path's \
            songs evenly along them (a waypoint sits where its distance puts it, not at the start) and \
            takes, for each point, the nearest song not yet used. No song appears twice, nor two copies \
            of one recording: only the copy 'songatlas duplicates' keeps is used (an anchor in place of its \
            own copies; --keep-copies uses them all). Prints each \
            step's distance, the mean and the largest step, and warns about a gap: a step much larger \
            than the rest, where nothing in the library lies between two styles. Songs not in the \
            library are analysed.

            Examples:
              songatlas path ~/Music/calm.flac ~/Music/loud.flac --library ~/Music
              songatlas path a.flac b.flac --via c.flac --via d.flac -n 30 -o journey.m3u8
              songatlas path a.flac b.flac --format json --mpd
            """)

    @Argument(help: ArgumentHelp("The first song.", valueName: "from"))
    var from: String

    @Argument(help: ArgumentHelp("The last song.", valueName: "to"))
    var to: String

    @Option(help: ArgumentHelp("A song the path goes through, in the order given; repeat it for several.",
                               valueName: "song"))
    var via: [String] = []

    @Option(name: .customShort("n"), parsing: .unconditional, help: ArgumentHelp(
        "Songs in the path, FROM and TO included (1–100000); more than the library has gives the whole library.",
        valueName: "n"))
    var count = 20

    @OptionGroup var list: SongListOptions
    @OptionGroup var copies: CopiesOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("-n must be at least 1, got \(count)") }
        try requireRange(count, 1...100_000, flag: "-n")
        // A path holds its ends and waypoints: -n below them is refused rather than silently raised.
        // FROM = TO alone is a one-song path.
        let anchors = from == to && via.isEmpty ? 1 : 2 + via.count
        if count < anchors {
            let named = via.isEmpty ? "FROM and TO" : "FROM, TO and each --via"
            throw ValidationError("-n \(count) is fewer than the \(anchors) songs \(named) already make; "
                + "a path holds them all, so -n must be at least \(anchors)")
        }
    }

    func run() throws {
        let destination = try list.output.destination()
        let embedding = list.library.embedding.prepare(quiet: list.library.analysis.quiet)
        let candidates = try list.candidates(embedding: embedding, product: "path")
        let named = [from] + via + [to]
        let anchors = try list.songs(named, in: candidates, embedding: embedding, keepingRepeats: true)
        let document: SongListDocument
        do {
            let library = copies.oneCopy(candidates.tracks, keeping: anchors, quiet: list.library.analysis.quiet)
            document = try Atlas.path(library, anchors: anchors, length: count,
                                      space: list.featureChoice.space(embedding, weights: nil),
                                      cancellation: InterruptHandler.cancellation)
        } catch ClusteringError.cancelled {
            throw Terminal.interrupted(product: "path")
        } catch let error as ClusteringError {
            Terminal.printError("songatlas: \(error): FROM, TO and each --via must be different songs")
            throw ExitCode.validationFailure
        }
        try list.deliver(document, to: destination, product: "path")
        if !list.library.analysis.quiet, let steps = document.steps, document.songs.count > 1 {
            Terminal.printError(String(format: "songatlas: %d songs, mean step %.3f, largest step %.3f",
                                       document.songs.count, steps.mean, steps.largest))
        }
    }
}
