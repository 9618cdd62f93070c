import ArgumentParser
import Export

extension CueEntryForm: ExpressibleByArgument {}

/// `--cue-entries`: how playlists name a song that is one track of a cue sheet.
struct CueEntryOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "How an M3U8 entry names a cue sheet's track: 'range' (the audio file, with VLC's #EXTVLCOPT start-time and "
            + "stop-time lines; mpv and MPD ignore them and play the whole file) or 'sheet' (the .cue file, the track "
            + "number leading the #EXTINF title, for players that open sheets).",
        valueName: "range|sheet"))
    var cueEntries: CueEntryForm = .range
}
