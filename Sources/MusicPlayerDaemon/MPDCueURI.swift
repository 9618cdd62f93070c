/// The URIs MPD gives the tracks of a cue sheet: `<sheet URI>/trackNNNN`.
///
/// MPD's cue playlist plugin presents `Album/album.cue` as a playlist whose
/// songs are `Album/album.cue/track0001`, `…/track0002`, … (the track number
/// as written in the sheet, four digits at least, `track%04u` in MPD's
/// `CueParser`). Such a URI is queued with `add` and stored in a playlist
/// like a file's URI, and MPD plays the track's range.
///
/// What MPD 0.23.12 does (checked by hand with its cue and embcue plugins,
/// and `MPDCueURITests`):
/// - a sheet's `FILE` must name the audio file exactly: MPD neither ignores
///   case nor takes `album.flac` for `album.wav`, so for a sheet SongAtlas
///   resolves that way MPD lists tracks of a missing file;
/// - an embedded sheet (`CUESHEET` in a FLAC file) is a playlist to MPD, not
///   a folder: `image.flac/track0003` is refused ("No such directory");
///   `load "image.flac" 2:3` (``playlistRange(position:)``) queues track 3
///   with its range;
/// - any file can be queued as a range: `addid` and then `rangeid ID
///   start:end` (``rangeArgument(startSeconds:endSeconds:)``); MPD keeps
///   milliseconds. A stored playlist holds no range.
public enum MPDCueURI {
    /// The URI of track `track` of the sheet whose own URI is `sheetURI`
    /// (from ``MPDMusicDirectory/uri(of:)``: the `.cue` file, or the audio
    /// file that embeds the sheet).
    ///
    /// - Parameters:
    ///   - sheetURI: relative to MPD's music directory, without a leading `/`.
    ///   - track: the sheet's `TRACK` number, 1 or more.
    /// - Returns: `sheetURI/trackNNNN`; nil for a track number below 1.
    public static func uri(sheetURI: String, track: Int) -> String? {
        guard track >= 1, !sheetURI.isEmpty else { return nil }
        let digits = String(track)
        return sheetURI + "/track" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The sheet URI and track number of a cue track URI; nil for any other URI.
    public static func parse(_ uri: String) -> (sheetURI: String, track: Int)? {
        guard let slash = uri.lastIndex(of: "/") else { return nil }
        let last = uri[uri.index(after: slash)...]
        guard last.hasPrefix("track") else { return nil }
        let digits = last.dropFirst("track".count)
        guard digits.count >= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let track = Int(digits), track >= 1, slash > uri.startIndex else { return nil }
        return (String(uri[..<slash]), track)
    }

    /// The `load` range of one track in a sheet MPD reads as a playlist
    /// (an embedded one), counting the sheet's audio tracks from 0:
    /// `position:position+1`.
    ///
    /// - Parameter position: the track's place among the sheet's audio tracks, from 0.
    public static func playlistRange(position: Int) -> String {
        "\(max(0, position)):\(max(0, position) + 1)"
    }

    /// The argument of `rangeid` for a stretch in seconds: `start:end`, three decimals
    /// (MPD's own resolution), rounded to the nearest millisecond.
    public static func rangeArgument(startSeconds: Double, endSeconds: Double) -> String {
        func milliseconds(_ seconds: Double) -> String {
            guard seconds.isFinite, seconds > 0, seconds < 1e12 else { return "0.000" }
            let total = Int64((seconds * 1000).rounded())
            let fraction = String(total % 1000)
            return "\(total / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
        }
        return milliseconds(startSeconds) + ":" + milliseconds(endSeconds)
    }
}
