import ArgumentParser
import AudioDecoding
import Foundation
import SongAtlas

struct FeaturesCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Print frame-level features of one track, to plot or to compare with librosa.",
        discussion: """
            One row per STFT frame (2048-sample Hann window, hop 512, centred, at 22050 Hz). \
            CSV columns: time, mfcc_1 … mfcc_20, chroma_C … chroma_B, centroid, bandwidth, rolloff, \
            flatness, zcr, rms, onset, contrast_1 … contrast_7. Each matches the librosa 0.11 call of \
            the same name with default settings (chroma_stft with tuning=0, spectral_contrast's seven bands).

            Examples:
              songatlas features SampleAudio/piano-01.flac > piano.csv
              songatlas features --format json --excerpt 10 song.mp3 -o song.json
            """)

    @Argument(help: ArgumentHelp("An audio file.", valueName: "file"))
    var file: String

    @Option(help: "Output format.")
    var format: Format = .csv

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Analyse only this many seconds (up to 1000000) from the middle of the track (default: the whole track).", valueName: "seconds"))
    var excerpt: Double?

    @OptionGroup var output: OutputOptions

    @Flag(name: [.short, .long], help: "Do not say on standard error which file was written.")
    var quiet = false

    func validate() throws {
        try requireNonEmptyPath(file, flag: "the file argument")
        if let excerpt { try requirePositiveSeconds(excerpt, maximum: DecodeOptions.maximumExcerptSeconds, flag: "--excerpt") }
    }

    func run() throws {
        let destination = try output.destination()
        do {
            let (info, features) = try Atlas.frameFeatures(path: file, excerptSeconds: excerpt)
            let text = format == .csv ? features.renderedCSV() : try features.renderedJSON(path: file, info: info)
            try Terminal.emit(text, to: destination, product: "features", quiet: quiet)
        } catch let error as DecodingError {
            Terminal.printError("songatlas: \(error)")
            throw ExitCode.failure
        }
    }
}
