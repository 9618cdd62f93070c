import FilePaths
import Foundation

/// An extended M3U playlist in UTF-8 (`.m3u8`), as VLC, mpv and MPD read it.
///
/// `#EXTM3U`, then per entry `#EXTINF:<seconds>,<display title>` and the
/// track's location. A location is a plain path, relative to the playlist's
/// folder when the track is inside `relativeRoot` and absolute otherwise,
/// unless players would misread that path. Then it is an absolute `file://`
/// URI (RFC 8089) whose path is percent-encoded per RFC 3986: every UTF-8
/// byte outside the unreserved set (`A-Z a-z 0-9 - . _ ~`) and `/` becomes
/// `%XX`, so a player that decodes the URI gets back the exact bytes.
///
/// A path is misread (checked against mpv 0.35, VLC 3.0 and MPD 0.23 by
/// `PlayerCompatibilityTests`) when the written line
/// - starts with `#`: mpv, VLC and MPD skip it as a comment;
/// - starts or ends with white space: mpv and MPD trim it;
/// - contains `#`, `?` or `%` anywhere: VLC reads a plain line as a URI
///   reference, so `#` starts a fragment (it then opens the folder), `?` a
///   query and `%20` decodes to a space;
/// - contains `:`: `a:b.wav` is a URI with the scheme `a` to VLC;
/// - contains a line break or another control character, which would end or
///   corrupt the line;
/// - is not UTF-8 (a Latin-1 name, carried as ``RawPath`` escapes): an
///   `.m3u8` file is UTF-8 text, so only the URI's `%XX` escapes can give
///   players the name's exact bytes.
///
/// A leading space inside a later path component (`Album/ Intro.flac`) is read
/// correctly by mpv and VLC, so it stays plain. MPD 0.23 does not decode
/// percent escapes in `file://` entries (MPD issue #1831), so it skips the
/// entries written as URIs; plain entries, `..` included, load in MPD.
///
/// `#EXTINF` titles have line breaks and control characters folded to spaces.
///
/// A song that is one track of a larger file (a cue sheet's track) is
/// written in one of two forms:
/// - ``Entry/Location/range(startSeconds:endSeconds:)``: the audio file, with
///   VLC's options `#EXTVLCOPT:start-time=<s>` and `#EXTVLCOPT:stop-time=<s>`
///   between the `#EXTINF` line and the location, in seconds from the file's
///   start with six decimals at most (a CD frame is 1/75 s; VLC counts time
///   in microseconds). VLC 3.0.24 plays that stretch: from a WAV from its
///   start sample, from FLAC from a block boundary up to two blocks (0.2 s)
///   away, in both to the end of the block playing at `stop-time` (≤ 0.11 s
///   over), and in about one run of three after the file's first block (50 ms
///   of WAV) (`M3U8RangePlayerTests`). mpv 0.35 and MPD 0.23 read the lines
///   as comments and play the whole file (MPD shows the `#EXTINF` length).
/// - ``Entry/Location/sheetTrack(_:)`` (`--cue-entries sheet`): `path` is the
///   `.cue` sheet, for players that open sheets, and the track number leads
///   the `#EXTINF` title as `<n>. <title>`. Of the players checked, none
///   opens one track this way: mpv 0.35 plays the whole sheet, VLC 3.0.24
///   does not read sheets (it opens `album.cue` as an MPEG stream and plays
///   nothing), MPD 0.23 skips the entry.
public struct M3U8Playlist: Sendable {
    public struct Entry: Sendable {
        public var path: String
        public var durationSeconds: Double
        public var displayTitle: String
        /// Where in ``path`` the song lies: the whole file unless it is a track of a larger one.
        public var location: Location

        /// Which part of ``Entry/path`` an entry plays.
        public enum Location: Sendable, Equatable {
            /// The whole file.
            case wholeFile
            /// A stretch of the audio file, in seconds from its start (`startSeconds` < `endSeconds`).
            case range(startSeconds: Double, endSeconds: Double)
            /// Track `n` of the cue sheet at ``Entry/path``.
            case sheetTrack(Int)
        }

        public init(path: String, durationSeconds: Double, displayTitle: String, location: Location = .wholeFile) {
            self.path = path
            self.durationSeconds = durationSeconds
            self.displayTitle = displayTitle
            self.location = location
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The playlist text for a file to be written in `playlistFolder`.
    ///
    /// - Parameters:
    ///   - playlistFolder: the folder the playlist file goes in.
    ///   - relativeRoot: tracks under this folder, when the playlist is under
    ///     it too, are written relative to `playlistFolder`; nil writes every
    ///     path absolute.
    /// - Returns: the whole file, each line ended by `\n`.
    public func rendered(playlistFolder: String, relativeRoot: String?) -> String {
        let folder = PathKey.of(playlistFolder)
        let root = relativeRoot.map { PathKey.of($0) }
        let playlistInsideRoot = root.map { folder == $0 || folder.hasPrefix($0 + "/") } ?? false
        var text = "#EXTM3U\n"
        for entry in entries {
            let absolute = PathKey.of(entry.path)
            var written = absolute
            if playlistInsideRoot, let root, absolute.hasPrefix(root + "/") {
                written = Self.relativePath(from: folder, to: absolute)
            }
            if Self.isMisreadAsPlainPath(written) {
                written = Self.fileURI(absolutePath: absolute)
            }
            // -1 (unknown) for a length that is not a plausible number of seconds: never a trapping conversion.
            let seconds = entry.durationSeconds >= 0 && entry.durationSeconds < 1e12 ? Int(entry.durationSeconds.rounded()) : -1
            switch entry.location {
            case .wholeFile:
                text += "#EXTINF:\(seconds),\(Self.safeTitle(entry.displayTitle))\n"
            case .range(let start, let end):
                text += "#EXTINF:\(seconds),\(Self.safeTitle(entry.displayTitle))\n"
                    + "#EXTVLCOPT:start-time=\(Self.optionSeconds(start))\n#EXTVLCOPT:stop-time=\(Self.optionSeconds(end))\n"
            case .sheetTrack(let track):
                text += "#EXTINF:\(seconds),\(track). \(Self.safeTitle(entry.displayTitle))\n"
            }
            text += written + "\n"
        }
        return text
    }

    /// Whether players would misread `line` as a plain path entry (see the type's rules).
    public static func isMisreadAsPlainPath(_ line: String) -> Bool {
        guard let first = line.unicodeScalars.first, let last = line.unicodeScalars.last else { return false }
        if !RawPath.isText(line) { return true }
        if first == "#" || first.properties.isWhitespace || last.properties.isWhitespace { return true }
        return line.unicodeScalars.contains { scalar in
            scalar == "#" || scalar == "?" || scalar == "%" || scalar == ":" || breaksTheLine(scalar)
        }
    }

    /// The `file://` URI of `absolutePath`: each byte of the path (its UTF-8,
    /// or its own bytes where it is not UTF-8, see ``RawPath``) outside RFC
    /// 3986's unreserved characters and `/` percent-encoded as `%XX` (upper-case hex).
    public static func fileURI(absolutePath: String) -> String {
        "file://" + RawPath.percentEncoded(absolutePath)
    }

    /// Seconds for a VLC option: at most six decimals, trailing zeros dropped (`180.16`, `0`);
    /// `0` for a value that is negative or not finite.
    static func optionSeconds(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0, seconds < 1e12 else { return "0" }
        let micro = Int64((seconds * 1_000_000).rounded())
        let whole = micro / 1_000_000, fraction = micro % 1_000_000
        guard fraction > 0 else { return "\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    /// `title` with every line break and control character replaced by a space.
    static func safeTitle(_ title: String) -> String {
        String(String.UnicodeScalarView(title.unicodeScalars.map { breaksTheLine($0) ? " " : $0 }))
    }

    /// A control character (C0, DEL, C1) or a Unicode line or paragraph separator.
    static func breaksTheLine(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// The path of `target` relative to `folder` (both absolute, standardised).
    public static func relativePath(from folder: String, to target: String) -> String {
        let from = folder.split(separator: "/")
        let to = target.split(separator: "/")
        var common = 0
        while common < from.count && common < to.count - 1 && from[common] == to[common] { common += 1 }
        let ups = Array(repeating: "..", count: from.count - common)
        return (ups + to[common...].map(String.init)).joined(separator: "/")
    }
}
