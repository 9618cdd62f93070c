import ArgumentParser
import SongAtlas

extension PreviewSetBuilder.Choice: ExpressibleByArgument {}

/// What the map page carries beyond the map itself: each song's nearest songs.
struct MapPageOptions: ParsableArguments {
    /// The most neighbours a page may list per song: the page and map.json grow by about 40 bytes per neighbour and song.
    static let maximumNeighbours = 100

    @Option(name: .customLong("neighbours"),
            help: ArgumentHelp("Nearest songs listed per song on the page and in the .json, found as 'similar' finds "
                + "them (0 to \(maximumNeighbours); 0 for none).", valueName: "N"))
    var neighbours = 10

    @Option(name: .customLong("previews"),
            help: ArgumentHelp("Write short previews into <page>-previews/ beside the page, encoded with FFmpeg (Opus, "
                + "else MP3), for the songs a browser cannot play (browser, the value when left out) or for every "
                + "song (all); the page plays them. Kept between runs in $XDG_CACHE_HOME/songatlas/previews (or "
                + "~/.cache/songatlas/previews), not with --no-cache. By default none are written.", valueName: "browser|all"))
    var previews: PreviewSetBuilder.Choice?

    @Option(name: .customLong("preview-seconds"),
            help: ArgumentHelp("Length of each preview in seconds (with --previews). Each starts at the song's highlight "
                + "(as analyze --highlight chooses it), or at 0 for a song that is silent or not longer.",
                               valueName: "N"))
    var previewSeconds = 30.0

    func validate() throws {
        guard previewSeconds.isFinite, previewSeconds > 0, previewSeconds <= 600 else {
            throw ValidationError("--preview-seconds must be a number of seconds in (0, 600], got \(previewSeconds)")
        }
        guard (0...Self.maximumNeighbours).contains(neighbours) else {
            throw ValidationError("--neighbours must be between 0 and \(Self.maximumNeighbours), got \(neighbours)")
        }
    }
}
