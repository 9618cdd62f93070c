import FilePaths
import Foundation

/// The one way a song is named in text outputs: M3U8 `#EXTINF` lines, the
/// `similar`/`path` text, `dendrogram.svg`, the map page and picture.
///
/// Tags first: `Artist - Title`, or the title alone. A song without a title
/// is named by its file name without the extension, in its display form
/// (``RawPath/display(_:)``), so a name that is not UTF-8 shows as `Caf\xE9`
/// and no ``RawPath`` escape character reaches a text a person or player reads.
public enum SongTitle {
    /// The song's name for people.
    ///
    /// - Parameters:
    ///   - title: the title tag, if any.
    ///   - artist: the artist tag, if any; pass nil where the artist is shown
    ///     apart (the map names the artist beside the title).
    ///   - path: the song's path, for a song without a title.
    /// - Returns: `Artist - Title`, the title, or the file name without its extension.
    public static func display(title: String?, artist: String?, path: String) -> String {
        switch (artist, title) {
        case let (artist?, title?): return "\(artist) - \(title)"
        case let (nil, title?): return title
        default: return RawPath.display(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
        }
    }
}
