import ArgumentParser
import SongAtlas

@main
struct SongAtlasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "songatlas",
        abstract: "Cluster music: analyse tracks into features that match librosa, fast.",
        discussion: """
            Reads every format libsndfile reads (WAV, AIFF, FLAC, Ogg Vorbis, Opus, MP3). \
            Audio is downmixed to mono and resampled to 22050 Hz before analysis. \
            Music files are only ever read, never modified.
            """,
        version: "0.1.0",
        subcommands: [AnalyzeCommand.self, FeaturesCommand.self, PlaylistsCommand.self, SegmentCommand.self, MapCommand.self,
                      EvaluateCommand.self])

    /// Parses the command line once its optional option values are filled in (``OptionalOptionValues``).
    static func main() {
        main(OptionalOptionValues.completed(Array(CommandLine.arguments.dropFirst())))
    }
}
