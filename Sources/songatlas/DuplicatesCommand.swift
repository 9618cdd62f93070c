import ArgumentParser
import FilePaths
import Foundation
import Library
import SongAtlas

extension DuplicateReport.Format: ExpressibleByArgument {}

/// `songatlas duplicates PATH...`: the files that hold one recording, with the copy to keep first.
struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "List the files that hold the same recording, the copy to keep first.",
        discussion: """
            Two files hold one recording when their Chromaprint fingerprints match over most of the \
            shorter file, whatever the offset (leading silence), gain, lossy encoding (96 kbit/s and up) \
            or fade, and their lengths agree. Fingerprints cover a file's first 2 minutes, as fpcalc's \
            do: all of a file up to 2 minutes, and for a longer one its start and its length. A file too short to fingerprint (under 3 s), or one whose fingerprint match is \
            borderline, is matched by feature distance and length instead. Tags are never used: a live \
            and a studio take of one title are different recordings. A damaged or cut-short file is \
            reported, not grouped.

            The copy kept is the lossless one, then the one of the higher bit rate, then of the higher \
            sample rate, then the longer, then the first by path. playlists, map, similar and path use \
            the kept copies only (--keep-copies turns that off).

            Files are analysed through the feature cache, as in playlists. Nothing is ever deleted, \
            moved or renamed.

            Examples:
              songatlas duplicates ~/Music
              songatlas duplicates ~/Music --format json -o duplicates.json
            """)

    @Argument(help: ArgumentHelp("Audio files or folders" + CueTrackPathHelp.suffix + ".", valueName: "path"))
    var paths: [String]

    @Option(help: "Output format: text, json or csv.")
    var format: DuplicateReport.Format = .text

    @OptionGroup var library: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let destination = try output.destination()
        let embedding = library.embedding.prepare(quiet: library.analysis.quiet)
        let analysed = try library.analyzeLibrary(paths, product: "duplicates list", embedding: embedding)
        let search = DuplicateFinder.search(analysed.tracks)
        if !library.analysis.quiet {
            for file in search.damaged { Terminal.printError("songatlas: note: \(RawPath.display(file.path)): \(file.reason)") }
            for file in search.distanceOnly { Terminal.printError("songatlas: note: \(RawPath.display(file.path)): \(file.reason)") }
        }
        try Terminal.emit(DuplicateReport.rendered(search, fileCount: analysed.tracks.count, format: format),
                          to: destination, product: "duplicates list")
    }
}
