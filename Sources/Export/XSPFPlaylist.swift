import FilePaths
import Foundation

/// An XSPF playlist (XML Shareable Playlist Format, version 1, https://www.xspf.org/spec), as VLC
/// and other players open it.
///
/// `<playlist version="1" xmlns="http://xspf.org/ns/0/">` holding one `<track>` per entry, in order,
/// each with its `<location>`, `<title>`, and `<creator>`, `<album>` and `<duration>` (milliseconds)
/// when known. XSPF locations are URIs, so every location is the absolute `file://` URI of the path's
/// exact bytes (``M3U8Playlist/fileURI(absolutePath:)``), whatever its characters. Text is XML-escaped,
/// and control characters, which XML 1.0 does not allow, are folded to spaces.
public struct XSPFPlaylist: Sendable {
    public struct Entry: Sendable {
        public var path: String
        /// The song's name (``SongTitle``: the title tag, else the file name).
        public var title: String
        public var creator: String?
        public var album: String?
        public var durationSeconds: Double

        public init(path: String, title: String, creator: String?, album: String?, durationSeconds: Double) {
            self.path = path
            self.title = title
            self.creator = creator
            self.album = album
            self.durationSeconds = durationSeconds
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The whole file, UTF-8 XML, each line ended by `\n`; relative paths are made absolute against the working folder.
    public func rendered() -> String {
        func text(_ value: String) -> String { xmlEscaped(M3U8Playlist.safeTitle(value)) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n"
            + "  <trackList>\n"
        for entry in entries {
            let absolute = PathKey.of(entry.path)
            out += "    <track>\n      <location>\(xmlEscaped(M3U8Playlist.fileURI(absolutePath: absolute)))</location>\n"
            out += "      <title>\(text(entry.title))</title>\n"
            if let creator = entry.creator { out += "      <creator>\(text(creator))</creator>\n" }
            if let album = entry.album { out += "      <album>\(text(album))</album>\n" }
            // Omitted when not a plausible length: never a trapping conversion.
            if entry.durationSeconds >= 0 && entry.durationSeconds < 1e12 {
                out += "      <duration>\(Int((entry.durationSeconds * 1000).rounded()))</duration>\n"
            }
            out += "    </track>\n"
        }
        return out + "  </trackList>\n</playlist>\n"
    }
}
