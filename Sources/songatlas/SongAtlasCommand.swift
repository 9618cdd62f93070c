import ArgumentParser
import FilePaths
import Foundation
import SongAtlas

@main
struct SongAtlasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "songatlas",
        abstract: "Cluster music: analyse tracks into features that match librosa, fast.",
        discussion: """
            Reads every format libsndfile reads (WAV, AIFF, FLAC, Ogg Vorbis, Opus, MP3) and, through FFmpeg, \
            the rest of a music folder (M4A with AAC or ALAC, WMA, WavPack, Matroska, ...). \
            File names need not be UTF-8. \
            Audio is downmixed to mono and resampled to 22050 Hz before analysis. \
            Music files are only ever read, never modified.
            """,
        version: "0.1.0",
        subcommands: [AnalyzeCommand.self, FeaturesCommand.self, PlaylistsCommand.self, SimilarCommand.self, PathCommand.self,
                      SegmentCommand.self, MapCommand.self, EvaluateCommand.self, ModelCommand.self, CacheCommand.self, DuplicatesCommand.self])

    /// Runs with the arguments as the system passed them, once their optional
    /// option values are filled in (``OptionalOptionValues``): `CommandLine.arguments`
    /// would replace the bytes of a name that is not UTF-8 (a Latin-1 file named
    /// on the command line) by U+FFFD, so the file could not be opened; each
    /// argument goes through ``RawPath/string(_:)`` instead, losslessly.
    static func main() {
        let arguments = (1..<Int(CommandLine.argc)).map { index -> String in
            guard let argument = CommandLine.unsafeArgv[index] else { return "" }
            return RawPath.string(UnsafeBufferPointer(start: UnsafeRawPointer(argument).assumingMemoryBound(to: UInt8.self),
                                                      count: strlen(argument)))
        }
        main(OptionalOptionValues.completed(arguments))
    }
}
