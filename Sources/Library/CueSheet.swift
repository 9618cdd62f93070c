/// A cue sheet (CDRWIN's `.cue` format): which files hold an album and where
/// each of its tracks starts, at CD frame precision (1/75 s).
///
/// A sheet is read from a `.cue` file (``read(path:)``) or from the text an
/// audio file embeds in its `CUESHEET` tag (``embedded(text:audioPath:)``).
/// Reading checks the sheet's order and resolves its `FILE` names
/// (``CueSheetFileResolver``); ``tracks(lengths:)`` then turns it into one
/// ``CueSheetTrack`` per audio track, given each file's length. Nothing is
/// ever written: not the sheet, not the audio.
///
/// The commands read (others, such as `CATALOG`, `ISRC`, `FLAGS`,
/// `SONGWRITER`, `CDTEXTFILE` and `REM`, are skipped):
/// - `FILE "name" TYPE`: the file the following indexes lie in;
/// - `TRACK nn TYPE`: a track; only `AUDIO` tracks become songs;
/// - `INDEX nn mm:ss:ff`: a position in the current file; a track's song runs
///   from its `INDEX 01` to the next track's `INDEX 01` in the same file, or
///   to the end of the file. `INDEX 00` (the pregap held in the file) is
///   checked but starts nothing: that stretch stays with the track before,
///   as players that play a sheet gaplessly hear it;
/// - `PREGAP`/`POSTGAP mm:ss:ff`: silence the file does not hold, kept on the track;
/// - `TITLE` and `PERFORMER`: the album's before the first `TRACK`, the track's after it.
///
/// Commands are case-insensitive, values may be quoted or not, and lines may
/// end in LF, CR LF or CR. A multi-file sheet (one `FILE` per track, or a
/// track whose `INDEX 00` lies at the end of the previous file, as EAC
/// writes them) places each song in the file of its `INDEX 01`.
public struct CueSheet: Sendable, Equatable {
    /// The sheet: the `.cue` file, or for an embedded sheet the audio file that holds it.
    public var sheetPath: String
    /// Whether the sheet came from an audio file's `CUESHEET` tag.
    public var isEmbedded: Bool
    /// The encoding its text was read in (``CueSheetText``).
    public var encoding: CueSheetText.Encoding
    /// The album's `TITLE` and `PERFORMER`, from before the first `TRACK`.
    public var title: String?
    public var performer: String?
    /// The `FILE` lines, in order.
    public var files: [File]
    /// The `TRACK`s, in order, data tracks included.
    public var tracks: [Track]

    /// A `FILE` line.
    public struct File: Sendable, Equatable {
        /// The name as the sheet writes it.
        public var name: String
        /// The type word after the name (`WAVE`, `MP3`, `BINARY`, …), upper-cased; empty when missing.
        public var type: String
        /// The sheet's line it is on (1-based).
        public var line: Int
        /// The file it names, once resolved (``CueSheetFileResolver``); nil before, and for a
        /// file that holds no audio track's `INDEX 01`.
        public var path: String?
    }

    /// A `TRACK` and what follows it up to the next.
    public struct Track: Sendable, Equatable {
        public var number: Int
        /// The type word (`AUDIO`, `MODE1/2352`, …), upper-cased.
        public var type: String
        public var title: String?
        public var performer: String?
        /// `PREGAP` and `POSTGAP`: silence not in the file, in frames (1/75 s).
        public var pregapFrames: Int?
        public var postgapFrames: Int?
        /// Its `INDEX` lines, in order.
        public var indexes: [Index]
        /// The sheet's line its `TRACK` is on (1-based).
        public var line: Int

        /// Whether it is an audio track (the only kind that becomes a song).
        public var isAudio: Bool { type == "AUDIO" }
        /// Its `INDEX 01`, where it has one.
        public var start: Index? { indexes.first { $0.number == 1 } }
    }

    /// An `INDEX nn mm:ss:ff` line.
    public struct Index: Sendable, Equatable {
        public var number: Int
        /// The position in its file, in CD frames (1/75 s): (mm·60 + ss)·75 + ff.
        public var frames: Int
        /// Its file, as an index into ``CueSheet/files``.
        public var file: Int
        public var line: Int
    }

    /// CD frames per second: sheets count time in 1/75 s.
    public static let framesPerSecond = 75
    /// The most tracks a sheet may have (a CD has at most 99; sheets of
    /// longer mixes number further, so this only refuses absurd sheets).
    public static let trackLimit = 999
    /// The largest sheet read, in bytes (a 99-track sheet is about 10 KB).
    public static let byteLimit = 1 << 20

    /// The `mm:ss:ff` text of a position in frames.
    public static func timeText(frames: Int) -> String {
        let minutes = frames / (60 * framesPerSecond), seconds = frames / framesPerSecond % 60, rest = frames % framesPerSecond
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(minutes)):\(two(seconds)):\(two(rest))"
    }

    /// The first sample of a position in frames, at `sampleRate`: frames·rate/75,
    /// exact at every rate that is a multiple of 75 (44.1, 48, 88.2, 96, 192 kHz),
    /// rounded down otherwise.
    public static func sample(ofFrames frames: Int, sampleRate: Int) -> Int {
        frames * sampleRate / framesPerSecond
    }
}
