import Foundation

/// A song named on the command line: a whole file, or one track of a sheet
/// written `FILE.cue#3` or `FILE.flac#3`.
///
/// The form: a path ending in `.cue` or an audio extension (any case), `#`,
/// and a track number of 1 to ``CueSheet/trackLimit`` in decimal digits
/// (`#3` and `#03` are the same track). `album.cue#3` is track 3 of that
/// sheet; `album.flac#3` is track 3 of the sheet that covers `album.flac`
/// (beside it, or embedded in its tags). A path that exists as written is
/// always a whole file, so a file really named `take#2.flac`, or even
/// `a.flac#2`, is still found; a name with `#` and anything else after the
/// extension is a path as written.
public enum CueSheetSeed: Hashable, Sendable {
    /// A whole file (or a path the command will report as missing).
    case file(String)
    /// Track `track` of the sheet `path` (a `.cue`) or of the sheet that covers the audio file `path`.
    case track(path: String, track: Int)

    /// Reads a seed argument.
    ///
    /// - Parameters:
    ///   - argument: as the user typed it.
    ///   - fileExists: whether a path names an existing file; the file system by default.
    /// - Throws: ``CueSheetSeedError`` for `FILE.cue#0` or a number over ``CueSheet/trackLimit``.
    public static func parse(_ argument: String,
                             fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) })
        throws(CueSheetSeedError) -> CueSheetSeed {
        guard let hash = argument.lastIndex(of: "#") else { return .file(argument) }
        let path = String(argument[..<hash]), digits = argument[argument.index(after: hash)...]
        let pathExtension = (path as NSString).pathExtension.lowercased()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              pathExtension == "cue" || AudioFileScanner.hasAudioExtension(path),
              !fileExists(argument) else { return .file(argument) }
        guard digits.count <= 4, let track = Int(digits), (1...CueSheet.trackLimit).contains(track) else {
            throw CueSheetSeedError(argument: argument)
        }
        return .track(path: path, track: track)
    }

    /// The file the seed names: the sheet or audio file.
    public var path: String {
        switch self {
        case .file(let path), .track(let path, _): return path
        }
    }
}

/// A seed `FILE#N` whose track number is 0 or above ``CueSheet/trackLimit``.
public struct CueSheetSeedError: Error, Sendable, Equatable, CustomStringConvertible {
    public var argument: String
    public var description: String {
        "\(argument): \(reason)"
    }
}
