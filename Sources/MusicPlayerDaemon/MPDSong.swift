/// One song to hand to MPD: a whole file, or one track of a cue sheet.
///
/// A track of a `.cue` sheet goes to MPD as the sheet's own track URI
/// (``MPDCueURI/uri(sheetURI:track:)``, `album.cue/track0003`), which MPD
/// plays as that track's range. A sheet embedded in the audio file's tags
/// (its ``CueSheet/sheetPath`` is the audio file) has no such URI in MPD 0.23
/// (`image.flac/track0003` is refused, see ``MPDCueURI``): such a track is
/// queued as its file with the track's range (`addid`, `rangeid`), and a
/// stored playlist, which holds no range, names the whole file.
public struct MPDSong: Sendable, Equatable, Hashable {
    /// The cue sheet track a song is.
    public struct CueSheet: Sendable, Equatable, Hashable {
        /// The sheet: a `.cue` file, or the audio file whose tags embed it.
        public var sheetPath: String
        /// The sheet's `TRACK` number, 1 or more.
        public var track: Int
        /// Seconds from the audio file's start to the track's start.
        public var startSeconds: Double
        /// Seconds from the audio file's start to the track's end.
        public var endSeconds: Double

        public init(sheetPath: String, track: Int, startSeconds: Double, endSeconds: Double) {
            self.sheetPath = sheetPath
            self.track = track
            self.startSeconds = startSeconds
            self.endSeconds = endSeconds
        }

        /// Whether the sheet is a `.cue` file of its own (MPD lists its tracks), not one embedded in `audioPath`.
        public func isSheetFile(audioPath: String) -> Bool {
            sheetPath != audioPath && sheetPath.lowercased().hasSuffix(".cue")
        }
    }

    /// The audio file.
    public var path: String
    /// The cue sheet track the song is; nil for a whole file.
    public var cue: CueSheet?

    public init(path: String, cue: CueSheet? = nil) {
        self.path = path
        self.cue = cue
    }

    /// The range to queue the song's file with: an embedded sheet's track (whose ``uri(under:)`` is its
    /// whole file); nil for a whole file and for a `.cue` sheet's track (its URI carries its range).
    public var queueRange: (startSeconds: Double, endSeconds: Double)? {
        guard let cue, !cue.isSheetFile(audioPath: path) else { return nil }
        return (cue.startSeconds, cue.endSeconds)
    }

    /// The song's URI in MPD under `directory`: a `.cue` sheet's track URI, else the file's URI;
    /// nil when the file (or the sheet) lies outside the music directory or the track number is below 1.
    public func uri(under directory: MPDMusicDirectory) -> String? {
        guard let cue, cue.isSheetFile(audioPath: path) else { return directory.uri(of: path) }
        return directory.uri(of: cue.sheetPath).flatMap { MPDCueURI.uri(sheetURI: $0, track: cue.track) }
    }

    /// How reports name the song: its path, or for a cue track `SHEET#N` (the seed form `FILE.cue#3`).
    public var displayName: String {
        guard let cue else { return path }
        return (cue.isSheetFile(audioPath: path) ? cue.sheetPath : path) + "#\(cue.track)"
    }
}
