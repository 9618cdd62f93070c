import FilePaths
import Foundation

/// Which songs a browser plays from their own file, and where the map's
/// previews of the others are: the one rule the page's player line and
/// `map --previews browser` share.
public enum PreviewSources {
    /// Extensions (lower case) of files Chromium and Firefox play: FLAC, MP3,
    /// Ogg (Vorbis, Opus), WAV, AAC in MP4/M4A and WebM. Everything else
    /// (AIFF, WavPack, ALAC, WMA, APE, …) needs a preview.
    public static let browserExtensions: Set<String> = ["flac", "mp3", "ogg", "oga", "opus", "wav", "m4a", "aac",
                                                        "mp4", "webm"]

    /// True when a browser plays `path` from its own file.
    public static func browserPlays(_ path: String) -> Bool {
        browserExtensions.contains((path as NSString).pathExtension.lowercased())
    }

    /// The folder of previews beside the page `htmlPath`: `map-previews` for `map.html`.
    public static func folderName(htmlPath: String) -> String {
        ((htmlPath as NSString).lastPathComponent as NSString).deletingPathExtension + "-previews"
    }

    /// The output set of the previews of the page `htmlPath`: the folder
    /// ``folderName(htmlPath:)`` beside the page, committed with the page's set.
    public static func outputSet(htmlPath: String, rules: OutputRules = OutputRules()) throws(OutputError) -> OutputSet {
        let name = folderName(htmlPath: htmlPath)
        return try OutputSet(folder: (OutputDestination.folder(of: htmlPath) as NSString).appendingPathComponent(name),
                             name: name, rules: rules)
    }

    /// A preview's file name: a hash of the song's path bytes (FNV-1a, 64 bits), so the name
    /// is the same from run to run, safe in a URL, and never collides with another song's in practice.
    public static func fileName(for path: String, fileExtension: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in RawPath.bytes(path) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(format: "%016llx", hash) + "." + fileExtension
    }
}
