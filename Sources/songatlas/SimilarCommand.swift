import ArgumentParser
import Clustering
import Export
import Foundation
import SongAtlas

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Songs like one song, or like several (a playlist grown from seeds).",
        discussion: """
            Ranks the songs of the library by their distance to the nearest seed. With several seeds, \
            each seed's nearest songs take turns, so every seed's style stays in the list (the \
            average of two styles would find neither). At most 3 songs per artist and 2 per album, \
            and no near-duplicates: no other copy (remaster, live, "(2011 mix)" …) of a seed or of a \
            song already listed, by artist and title or by sound. Only one copy of each recording is \
            used, the one 'songatlas duplicates' keeps (a seed in place of its own copies; --keep-copies \
            uses them all). A seed that is not in the library is analysed. The text list gives each \
            song a similarity in [0, 1] (1: the same song); --format m3u8 writes the seeds first, then \
            the songs.

            Examples:
              songatlas similar ~/Music/a.flac --library ~/Music
              songatlas similar a.flac b.flac -n 50 -o radio.m3u8
              songatlas similar ~/Music/a.flac --format json --max-per-artist 0
              songatlas similar ~/Music/a.flac --mpd --mpd-replace
            """)

    @Argument(help: ArgumentHelp("The seed songs (audio files); one given twice counts once.", valueName: "song"))
    var seeds: [String]

    @Option(name: .customShort("n"), parsing: .unconditional, help: ArgumentHelp(
        "How many songs (1–1000000); more than the library has gives the whole library.", valueName: "n"))
    var count = 30

    @Option(parsing: .unconditional, help: ArgumentHelp("At most this many songs per artist (0: no cap).", valueName: "n"))
    var maxPerArtist = 3

    @Option(parsing: .unconditional, help: ArgumentHelp("At most this many songs per album (0: no cap).", valueName: "n"))
    var maxPerAlbum = 2

    @Flag(help: ArgumentHelp("Keep near-duplicates (a remaster, live take or mix of a seed or of a listed song; "
        + "--keep-copies keeps the files of one recording)."))
    var keepDuplicates = false

    @OptionGroup var list: SongListOptions
    @OptionGroup var copies: CopiesOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("-n must be at least 1, got \(count)") }
        try requireRange(count, 1...1_000_000, flag: "-n")
        try requireRange(maxPerArtist, 0...1_000_000, flag: "--max-per-artist")
        try requireRange(maxPerAlbum, 0...1_000_000, flag: "--max-per-album")
    }

    func run() throws {
        let destination = try list.output.destination()
        let embedding = list.library.embedding.prepare(quiet: list.library.analysis.quiet)
        let candidates = try list.candidates(embedding: embedding, product: "similar songs")
        let seedTracks = try list.songs(seeds, in: candidates, embedding: embedding)
        var options = SimilarOptions(count: count, maximumPerArtist: maxPerArtist, maximumPerAlbum: maxPerAlbum)
        options.removesDuplicates = !keepDuplicates
        options.space = list.featureChoice.space(embedding, weights: nil)
        let document: SongListDocument
        do {
            let library = copies.oneCopy(candidates.tracks, keeping: seedTracks, quiet: list.library.analysis.quiet)
            document = try Atlas.similar(library, seeds: seedTracks, options: options,
                                         cancellation: InterruptHandler.cancellation)
        } catch ClusteringError.cancelled {
            throw Terminal.interrupted(product: "similar songs")
        } catch {
            Terminal.printError("songatlas: \(error)")
            throw ExitCode.failure
        }
        try list.deliver(document, to: destination, product: "similar songs")
    }
}
