import Foundation

/// Where a song that is one track of a larger file lies: what an output needs
/// to point a player at that track (the Library's `CueSheetTrack`, as a document carries it).
///
/// Documents write it as the song's `track`, `start` and `end` (seconds from
/// the file's start) beside its `path`, and `sheet` (the `.cue` file, or the
/// audio file itself for a sheet embedded in its tags).
public struct CueTrackReference: Sendable, Equatable, Hashable {
    /// The `TRACK` number, 1 or more.
    public var track: Int
    /// Seconds from the file's start to the track's first sample (its `INDEX 01`).
    public var startSeconds: Double
    /// Seconds from the file's start to one past its last sample.
    public var endSeconds: Double
    /// The sheet: a `.cue` file, or the audio file whose `CUESHEET` tag holds it.
    public var sheet: String

    public init(track: Int, startSeconds: Double, endSeconds: Double, sheet: String) {
        self.track = track
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.sheet = sheet
    }

    /// The M3U8 location of the track in `form` (``M3U8Playlist/Entry/Location``) and the path
    /// the entry names: the audio file with its range, or the `.cue` sheet with the track number.
    /// An embedded sheet has no `.cue` to name, so its tracks are always written as ranges.
    public func m3u8Location(audioPath: String, form: CueEntryForm) -> (path: String, location: M3U8Playlist.Entry.Location) {
        if form == .sheet, (sheet as NSString).pathExtension.lowercased() == "cue" {
            return (sheet, .sheetTrack(track))
        }
        return (audioPath, .range(startSeconds: startSeconds, endSeconds: endSeconds))
    }
}

/// How an M3U8 entry names a cue track (`--cue-entries`).
public enum CueEntryForm: String, Sendable, CaseIterable {
    /// The audio file with VLC's `#EXTVLCOPT:start-time`/`stop-time` lines (the default).
    case range
    /// The `.cue` sheet, the track number leading the `#EXTINF` title, for players that open sheets.
    case sheet
}
