import ArgumentParser
import Export
import SongAtlas

/// `--replace-foreign`: whether a command may replace files at its output paths that SongAtlas did not write.
///
/// Every command that writes a file or an output set takes it (through ``OutputOptions`` for `-o`,
/// directly for `playlists` and `map`); the rules it gives also carry the audio check by content.
struct ReplaceForeignOptions: ParsableArguments {
    @Flag(help: ArgumentHelp(
        "Replace files at the output paths that SongAtlas did not write (or that were changed since it wrote "
            + "them). Without it such a file stops the run before anything is written. Audio and read-only files "
            + "are never replaced."))
    var replaceForeign = false

    /// The rules for every output of the command.
    var rules: OutputRules { .protectingAudio(replaceForeign: replaceForeign) }
}

/// Refuses an empty string where a path is expected, with a one-line error naming the flag.
func requireNonEmptyPath(_ value: String?, flag: String) throws {
    if let value, value.isEmpty { throw ValidationError("\(flag) must name a path, got an empty string") }
}

/// Refuses an empty string among several paths.
func requireNonEmptyPaths(_ values: [String], flag: String) throws {
    for value in values { try requireNonEmptyPath(value, flag: flag) }
}
